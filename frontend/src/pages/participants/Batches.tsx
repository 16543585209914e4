// Collectieve wijzigingen (seed 001 §4.4): download a template, upload it with
// a progress bar, see every error by row (and the errors file), confirm or
// discard, follow the status while it is applied; below, the collective tab
// of submitted changes.
import { useEffect, useState } from 'preact/hooks';
import { download, newIdempotencyKey, upload } from '../../api/client';
import { batchesApi } from '../../api/endpoints';
import type { Batch, BatchError, BatchKind } from '../../api/types';
import { ErrorAlert, Notice } from '../../components/Alert';
import { DataTable } from '../../components/DataTable';
import { CheckboxField, RadioGroup, SelectField, TextField } from '../../components/Field';
import { Page } from '../../components/Page';
import { Pager } from '../../components/Pager';
import { parseDateInput, todayAmsterdam } from '../../format/dates';
import { problemToFormErrors } from '../../forms/errors';
import { fmt, t, type MessageKey } from '../../i18n';
import { usePaged } from '../../lib/usePaged';
import { Loading } from '../Simple';
import { schemeLabel, schemeNames, useSchemes } from '../../lib/accounts';

const BADGE: Record<Batch['status'], string> = {
  validating: 'badge-invited',
  invalid: 'badge-revoked',
  valid: 'badge-invited',
  queued: 'badge-invited',
  processing: 'badge-invited',
  processed: 'badge-active',
  failed: 'badge-revoked',
  discarded: 'badge-revoked',
};

const RUNNING: readonly Batch['status'][] = ['validating', 'queued', 'processing'];

function statusLabel(b: Batch): string {
  return t(`batches.status.${b.status}` as MessageKey);
}

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

/** One uploaded batch: counts, errors by row, confirm or discard, live status. */
function BatchResult({ initial, onChange }: { initial: Batch; onChange: () => void }) {
  const [batch, setBatch] = useState(initial);
  const [errors, setErrors] = useState<BatchError[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [skip, setSkip] = useState(false);
  const [busy, setBusy] = useState(false);
  const [problems, setProblems] = useState<string[]>([]);
  const [flash, setFlash] = useState<string | null>(null);

  const loadErrors = async (from: string | null) => {
    try {
      const page = await batchesApi.errors(batch.id, { cursor: from, limit: 100 });
      setErrors((old) => (from ? [...old, ...page.items] : page.items));
      setCursor(page.next_cursor);
    } catch (e) {
      setProblems(problemToFormErrors(e).general);
    }
  };
  useEffect(() => {
    setBatch(initial);
    if (initial.error_count > 0) void loadErrors(null);
    else setErrors([]);
  }, [initial.id]);

  // While it is applied, look again until it is done.
  useEffect(() => {
    if (!RUNNING.includes(batch.status)) return;
    const timer = setTimeout(() => {
      batchesApi
        .get(batch.id)
        .then((b) => {
          setBatch(b);
          if (!RUNNING.includes(b.status)) onChange();
        })
        .catch((e) => setProblems(problemToFormErrors(e).general));
    }, 1000);
    return () => clearTimeout(timer);
  }, [batch]);

  const act = async (what: 'submit' | 'discard') => {
    if (busy) return;
    setBusy(true);
    setProblems([]);
    try {
      const r = what === 'submit' ? await batchesApi.submit(batch.id, skip) : await batchesApi.discard(batch.id);
      setBatch(r.data);
      setFlash(t(what === 'submit' ? 'batches.submitted' : 'batches.discarded'));
      onChange();
    } catch (e) {
      setProblems(problemToFormErrors(e).general);
    } finally {
      setBusy(false);
    }
  };

  const errorsFile = async () => {
    try {
      const { blob, filename } = await download(`/batches/${encodeURIComponent(batch.id)}/errors.xlsx`);
      saveBlob(blob, filename ?? 'fouten.xlsx');
    } catch (e) {
      setProblems(problemToFormErrors(e).general);
    }
  };

  const open = batch.status === 'valid' || batch.status === 'invalid';
  return (
    <section class="card" aria-labelledby="batch-result-title" data-batch-id={batch.id}>
      <h2 id="batch-result-title">{t('batches.result')}</h2>
      <Notice>{flash}</Notice>
      <ErrorAlert messages={problems} />
      <p>
        <span class={`badge ${BADGE[batch.status]}`} data-status={batch.status}>
          {statusLabel(batch)}
        </span>{' '}
        {t('batches.counts', { rows: batch.row_count, valid: batch.valid_row_count, errors: batch.error_count })}
      </p>
      {batch.review_row_count > 0 && <p>{t('batches.review', { n: batch.review_row_count })}</p>}
      {RUNNING.includes(batch.status) && batch.status !== 'validating' && (
        <progress max={Math.max(batch.valid_row_count, 1)} value={batch.applied_row_count} aria-label={statusLabel(batch)} />
      )}
      {(batch.status === 'processed' || batch.status === 'failed') && <p>{t('batches.applied', { n: batch.applied_row_count })}</p>}
      {batch.error_count > 0 && (
        <>
          <h3>{t('batches.errorsTitle')}</h3>
          <DataTable
            caption={t('batches.errorsTitle')}
            columns={[t('batches.row'), t('batches.column'), t('batches.message')]}
            loading={false}
            count={errors.length}
            empty=""
          >
            {errors.map((e, i) => (
              <tr key={`${e.row}-${e.column}-${i}`}>
                <th scope="row" data-label={t('batches.row')}>
                  {e.row}
                </th>
                <td data-label={t('batches.column')}>{e.column ?? '–'}</td>
                <td data-label={t('batches.message')}>{e.message}</td>
              </tr>
            ))}
          </DataTable>
          <p class="cell-actions">
            {cursor && (
              <button type="button" class="btn btn-secondary btn-small" onClick={() => void loadErrors(cursor)}>
                {t('batches.moreErrors')}
              </button>
            )}
            <button type="button" class="btn btn-secondary btn-small" onClick={() => void errorsFile()}>
              {t('batches.errorsFile')}
            </button>
          </p>
        </>
      )}
      {open && (
        <div class="cell-actions">
          {batch.status === 'invalid' && batch.valid_row_count > 0 && (
            <CheckboxField name="skip_invalid_rows" label={t('batches.skipInvalid')} checked={skip} onChange={setSkip} />
          )}
          <button
            type="button"
            class="btn btn-primary"
            disabled={busy || (batch.status === 'invalid' && !skip) || batch.valid_row_count === 0}
            onClick={() => void act('submit')}
          >
            {t('batches.confirm')}
          </button>
          <button type="button" class="btn btn-secondary" disabled={busy} onClick={() => void act('discard')}>
            {t('batches.discard')}
          </button>
        </div>
      )}
    </section>
  );
}

export function BatchesPage() {
  const { schemes } = useSchemes();
  const [schemeId, setSchemeId] = useState('');
  const [kind, setKind] = useState<BatchKind>('salary_change');
  const [date, setDate] = useState(() => fmt.date(todayAmsterdam()));
  const [file, setFile] = useState<File | null>(null);
  const [progress, setProgress] = useState<number | null>(null);
  const [problems, setProblems] = useState<string[]>([]);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [current, setCurrent] = useState<Batch | null>(null);
  const list = usePaged((cursor) => batchesApi.list({ cursor, limit: 25 }), 'batches');
  const scheme = schemeId || schemes?.[0]?.id || '';
  const day = parseDateInput(date);

  const template = async (format: 'xlsx' | 'csv') => {
    setProblems([]);
    if (kind === 'salary_change' && !day) {
      setFieldErrors({ effective_date: t('validation.date') });
      return;
    }
    const name = kind === 'salary_change' ? 'salary-change' : 'new-participants';
    const q = kind === 'salary_change' ? `?effective_date=${encodeURIComponent(day!)}` : '';
    try {
      const { blob, filename } = await download(`/schemes/${encodeURIComponent(scheme)}/templates/${name}.${format}${q}`);
      saveBlob(blob, filename ?? `${name}.${format}`);
    } catch (e) {
      setProblems(problemToFormErrors(e).general);
    }
  };

  const submit = async (e: Event) => {
    e.preventDefault();
    if (progress !== null) return;
    const errs: Record<string, string> = {};
    if (!file) errs.file = t('batches.fileRequired');
    if (kind === 'salary_change' && !day) errs.effective_date = t('validation.date');
    setFieldErrors(errs);
    setProblems([]);
    if (Object.keys(errs).length > 0) return;
    const form = new FormData();
    form.append('scheme_id', scheme);
    form.append('kind', kind);
    if (kind === 'salary_change') form.append('effective_date', day!);
    form.append('file', file!, file!.name);
    setProgress(0);
    try {
      const r = await upload<Batch>('/batches', form, setProgress, newIdempotencyKey());
      setCurrent(r.data);
      list.reload();
    } catch (err) {
      const f = problemToFormErrors(err, ['effective_date', 'file']);
      setFieldErrors(f.fields as Record<string, string>);
      setProblems(f.general);
    } finally {
      setProgress(null);
    }
  };

  return (
    <Page title={t('nav.batches')} wide intro={<p>{t('batches.intro')}</p>}>
      <div class="stack">
        <section class="card" aria-labelledby="batch-new-title">
          <h2 id="batch-new-title">{t('batches.step1')}</h2>
          {schemes === null ? (
            <Loading />
          ) : (
            <form noValidate onSubmit={submit}>
              <ErrorAlert messages={problems} />
              <SelectField
                name="scheme_id"
                label={t('batches.scheme')}
                value={scheme}
                onValue={setSchemeId}
                options={schemes.map((s) => ({ value: s.id, label: schemeLabel(s) }))}
              />
              <RadioGroup
                name="kind"
                legend={t('batches.kind')}
                value={kind}
                onValue={setKind}
                options={[
                  { value: 'salary_change', label: t('batches.kind.salary_change') },
                  { value: 'new_participants', label: t('batches.kind.new_participants') },
                ]}
              />
              {kind === 'salary_change' && (
                <TextField
                  name="effective_date"
                  label={t('batches.effectiveDate')}
                  hint={`${t('date.hint')} ${t('batches.effectiveDateHint')}`}
                  value={date}
                  onValue={setDate}
                  error={fieldErrors.effective_date}
                  inputMode="numeric"
                  class="input-short"
                />
              )}
              <h3>{t('batches.step2')}</h3>
              <p class="hint">{t(kind === 'salary_change' ? 'batches.templateHint' : 'batches.templateNewHint')}</p>
              <p class="cell-actions">
                <button type="button" class="btn btn-secondary" onClick={() => void template('xlsx')}>
                  {t('batches.templateXlsx')}
                </button>
                <button type="button" class="btn btn-secondary" onClick={() => void template('csv')}>
                  {t('batches.templateCsv')}
                </button>
              </p>
              <h3>{t('batches.step3')}</h3>
              <div class={`field${fieldErrors.file ? ' field-invalid' : ''}`}>
                <label for="batch-file">{t('batches.file')}</label>
                <input
                  id="batch-file"
                  name="file"
                  type="file"
                  accept=".xlsx,.csv,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                  data-field="file"
                  aria-invalid={fieldErrors.file ? 'true' : undefined}
                  onChange={(ev) => setFile(ev.currentTarget.files?.[0] ?? null)}
                />
                {fieldErrors.file && <p class="field-error">{fieldErrors.file}</p>}
              </div>
              {progress !== null && (
                <p>
                  <progress max={1} value={progress} aria-label={t('batches.progress')} /> {t('batches.uploading')}
                </p>
              )}
              <button type="submit" class="btn btn-primary" disabled={progress !== null}>
                {t('batches.upload')}
              </button>
            </form>
          )}
        </section>
        {current && <BatchResult initial={current} onChange={list.reload} />}
        <section class="card" aria-labelledby="batch-list-title">
          <h2 id="batch-list-title">{t('batches.history')}</h2>
          <ErrorAlert messages={list.errors} />
          <DataTable
            caption={t('batches.history')}
            columns={[t('batches.uploaded'), t('batches.scheme'), t('batches.kind'), t('common.status')]}
            loading={list.loading}
            count={list.items.length}
            empty={t('batches.none')}
          >
            {list.items.map((b) => (
              <tr key={b.id}>
                <th scope="row" data-label={t('batches.uploaded')}>
                  {fmt.dateTime(b.created_at)}
                  <span class="cell-note">{b.created_by.name}</span>
                </th>
                <td data-label={t('batches.scheme')}>{schemeNames(schemes, [b.scheme_id])}</td>
                <td data-label={t('batches.kind')}>
                  {t(`batches.kind.${b.kind}` as MessageKey)}
                  {b.effective_date && <span class="cell-note">{fmt.date(b.effective_date)}</span>}
                </td>
                <td data-label={t('common.status')}>
                  <span class="cell-actions">
                    <span class={`badge ${BADGE[b.status]}`}>{statusLabel(b)}</span>
                    <span class="cell-note">
                      {t('batches.counts', { rows: b.row_count, valid: b.valid_row_count, errors: b.error_count })}
                    </span>
                    <button type="button" class="btn btn-secondary btn-small" onClick={() => setCurrent(b)}>
                      {t('batches.open')}
                    </button>
                  </span>
                </td>
              </tr>
            ))}
          </DataTable>
          <Pager list={list} label={t('batches.pages')} />
        </section>
      </div>
    </Page>
  );
}
