// Export deelnemersbestand: the participants of chosen schemes as valid on a
// date (past dates too), as CSV for software or XLSX for people; the history
// of earlier exports with their download.
import { useEffect, useState } from 'preact/hooks';
import { download } from '../../api/client';
import { exportsApi } from '../../api/endpoints';
import type { ExportJob } from '../../api/types';
import { ErrorAlert, Notice } from '../../components/Alert';
import { DataTable } from '../../components/DataTable';
import { CheckboxField, RadioGroup, SubmitButton, TextField } from '../../components/Field';
import { Page } from '../../components/Page';
import { Pager } from '../../components/Pager';
import { parseDateInput, todayAmsterdam } from '../../format/dates';
import { useForm } from '../../forms/useForm';
import { fmt, t, type MessageKey } from '../../i18n';
import { usePaged } from '../../lib/usePaged';
import { Loading } from '../Simple';
import { schemeLabel, schemeNames, useSchemes } from '../../lib/accounts';

const STATUS: Record<ExportJob['status'], [MessageKey, string]> = {
  pending: ['exports.status.pending', 'badge-invited'],
  ready: ['exports.status.ready', 'badge-active'],
  failed: ['exports.status.failed', 'badge-revoked'],
};

function saveBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export function ExportsPage() {
  const { schemes } = useSchemes();
  // scheme_ids null: all schemes (until the user unticks one).
  const f = useForm({ scheme_ids: null as string[] | null, as_of: fmt.date(todayAmsterdam()), format: 'xlsx' as 'xlsx' | 'csv' });
  const downloading = useForm({});
  const [flash, setFlash] = useState<string | null>(null);
  const list = usePaged((cursor) => exportsApi.list({ cursor, limit: 25 }), 'exports');
  const selected = f.values.scheme_ids ?? (schemes ?? []).map((s) => s.id);

  // Pending exports finish in the background: look again until they are done.
  const pending = list.items.some((x) => x.status === 'pending');
  useEffect(() => {
    if (!pending) return;
    const timer = setTimeout(list.reload, 1500);
    return () => clearTimeout(timer);
  }, [pending, list.items]);

  const submit = f.submit(
    (v) => [
      ['scheme_ids', selected.length === 0, t('scope.chooseOne')],
      ['as_of', parseDateInput(v.as_of) === null, t('validation.date')],
    ],
    async (v) => {
      await exportsApi.create({ scheme_ids: selected, as_of: parseDateInput(v.as_of)!, format: v.format });
      setFlash(t('exports.started'));
      list.reload();
    },
  );

  // Not run(): several files may download at the same time.
  const fetchFile = async (x: ExportJob) => {
    downloading.clearErrors();
    try {
      const { blob, filename } = await download(`/exports/${encodeURIComponent(x.id)}/file`);
      saveBlob(blob, filename ?? `deelnemers-${x.as_of}.${x.format}`);
    } catch (e) {
      downloading.showProblem(e);
    }
  };

  return (
    <Page title={t('nav.exports')} wide intro={<p>{t('exports.intro')}</p>}>
      <Notice>{flash}</Notice>
      <div class="stack">
        <section class="card" aria-labelledby="export-new-title">
          <h2 id="export-new-title">{t('exports.newTitle')}</h2>
          {schemes === null ? (
            <Loading />
          ) : (
            <form ref={f.formRef} noValidate onSubmit={submit}>
              <ErrorAlert messages={f.errors.general} />
              <fieldset class="scheme-choice">
                <legend>{t('scope.choose')}</legend>
                {f.errors.fields.scheme_ids && <p class="field-error group-error">{f.errors.fields.scheme_ids}</p>}
                {schemes.map((s) => (
                  <CheckboxField
                    key={s.id}
                    name={`scheme-${s.id}`}
                    label={schemeLabel(s)}
                    checked={selected.includes(s.id)}
                    onChange={(on) => f.set('scheme_ids')(on ? [...selected, s.id] : selected.filter((x) => x !== s.id))}
                  />
                ))}
              </fieldset>
              <TextField
                {...f.field('as_of')}
                label={t('exports.asOf')}
                hint={`${t('date.hint')} ${t('exports.asOfHint')}`}
                inputMode="numeric"
                class="input-short"
              />
              <RadioGroup
                name="format"
                legend={t('exports.format')}
                value={f.values.format}
                onValue={f.set('format')}
                options={[
                  { value: 'xlsx', label: t('exports.xlsx') },
                  { value: 'csv', label: t('exports.csv') },
                ]}
              />
              <SubmitButton busy={f.busy} busyLabel={t('common.busy')}>
                {t('exports.create')}
              </SubmitButton>
            </form>
          )}
        </section>
        <section class="card" aria-labelledby="export-list-title">
          <h2 id="export-list-title">{t('exports.history')}</h2>
          <ErrorAlert messages={[...list.errors, ...downloading.errors.general]} />
          <DataTable
            caption={t('exports.history')}
            columns={[
              t('exports.asOf'),
              t('scope.title'),
              t('exports.format'),
              t('exports.made'),
              t('common.status'),
            ]}
            loading={list.loading}
            count={list.items.length}
            empty={t('exports.none')}
          >
            {list.items.map((x) => (
              <tr key={x.id}>
                <th scope="row" data-label={t('exports.asOf')}>
                  {fmt.date(x.as_of)}
                </th>
                <td data-label={t('scope.title')}>{schemeNames(schemes, x.scheme_ids)}</td>
                <td data-label={t('exports.format')}>{x.format.toUpperCase()}</td>
                <td data-label={t('exports.made')}>
                  {fmt.dateTime(x.created_at)}
                  {x.created_by?.name && <span class="cell-note">{x.created_by.name}</span>}
                </td>
                <td data-label={t('common.status')}>
                  <span class="cell-actions">
                    <span class={`badge ${STATUS[x.status][1]}`}>{t(STATUS[x.status][0])}</span>
                    {x.status === 'ready' && (
                      <button type="button" class="btn btn-secondary btn-small" onClick={() => void fetchFile(x)}>
                        {t('exports.download')}
                        <span class="sr-only">
                          {' '}
                          – {fmt.date(x.as_of)} {x.format.toUpperCase()}
                        </span>
                      </button>
                    )}
                    {x.row_count !== null && <span class="cell-note">{t('exports.rows', { n: x.row_count })}</span>}
                  </span>
                </td>
              </tr>
            ))}
          </DataTable>
          <Pager list={list} label={t('exports.pages')} />
        </section>
      </div>
    </Page>
  );
}
