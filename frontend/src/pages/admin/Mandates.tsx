// Machtigingen: an employer's administrator lets an adviser's office see
// (or also change) chosen schemes, and revokes that again.
import { useState } from 'preact/hooks';
import { intermediariesApi, mandatesApi } from '../../api/endpoints';
import type { Intermediary, Mandate, MandateAccess, Scheme } from '../../api/types';
import { ErrorAlert, Notice } from '../../components/Alert';
import { DataTable } from '../../components/DataTable';
import { ConfirmDialog } from '../../components/Dialog';
import { CheckboxField, RadioGroup, SubmitButton, TextField } from '../../components/Field';
import { Page } from '../../components/Page';
import { Pager } from '../../components/Pager';
import { useForm } from '../../forms/useForm';
import { t } from '../../i18n';
import { usePaged } from '../../lib/usePaged';
import { useRevoke } from '../../lib/useRevoke';
import { Loading } from '../Simple';
import { dayOf, schemeLabel, schemeNames, useSchemes } from '../../lib/accounts';

function accessLabel(a: MandateAccess): string {
  return a === 'read_write' ? t('mandates.access.readWrite') : t('mandates.access.read');
}

function officePlace(i: Intermediary): string {
  return [i.visiting_address?.city, i.registration_number ? `${t('org.registrationNumber')} ${i.registration_number}` : null].filter(Boolean).join(' · ');
}

function GrantForm({ schemes, onGranted }: { schemes: Scheme[]; onGranted: (m: Mandate) => void }) {
  const [q, setQ] = useState('');
  const [found, setFound] = useState<Intermediary[] | null>(null);
  const [searching, setSearching] = useState(false);
  const f = useForm({ intermediary_id: '', scheme_ids: [] as string[], access: 'read' as MandateAccess });
  const { intermediary_id: office, scheme_ids: chosen, access } = f.values;

  const search = async () => {
    if (!q.trim()) return;
    setSearching(true);
    try {
      const page = await intermediariesApi.search(q.trim(), { limit: 20 });
      setFound(page.items);
      f.setValues((v) => ({ ...v, intermediary_id: page.items.length === 1 ? page.items[0]!.id : '' }));
    } catch (e) {
      f.showProblem(e, []);
    } finally {
      setSearching(false);
    }
  };

  const submit = f.submit(
    (v) => [
      ['intermediary_id', v.intermediary_id === '', t('mandates.chooseOffice')],
      ['scheme_ids', v.scheme_ids.length === 0, t('scope.chooseOne')],
    ],
    async (v) => {
      const r = await mandatesApi.create(v);
      onGranted(r.data);
      setFound(null);
      setQ('');
      f.reset();
    },
  );

  return (
    <section class="card" aria-labelledby="grant-title">
      <h2 id="grant-title">{t('mandates.grantTitle')}</h2>
      <p class="hint">{t('mandates.grantIntro')}</p>
      <form ref={f.formRef} noValidate onSubmit={submit}>
        <ErrorAlert messages={f.errors.general} />
        <div class="inline-search">
          <TextField
            name="office_q"
            type="search"
            label={t('mandates.searchOffice')}
            hint={t('mandates.searchHint')}
            value={q}
            onValue={setQ}
            autocomplete="off"
            onKeyDown={(e) => {
              if (e.key === 'Enter') {
                e.preventDefault();
                void search();
              }
            }}
          />
          <button type="button" class="btn btn-secondary" aria-busy={searching ? 'true' : undefined} onClick={() => void search()}>
            {t('common.search')}
          </button>
        </div>
        <div role="status" class="results-note">
          {found && found.length === 0 ? t('mandates.noOffices') : ''}
        </div>
        {found && found.length > 0 && (
          <RadioGroup
            name="intermediary_id"
            legend={t('mandates.office')}
            value={office}
            onValue={f.set('intermediary_id')}
            options={found.map((i) => ({ value: i.id, label: officePlace(i) ? `${i.name} (${officePlace(i)})` : i.name }))}
            error={f.errors.fields.intermediary_id}
          />
        )}
        {!found && f.errors.fields.intermediary_id && <p class="field-error group-error">{f.errors.fields.intermediary_id}</p>}
        <fieldset class="scheme-choice">
          <legend>{t('mandates.schemes')}</legend>
          {f.errors.fields.scheme_ids && <p class="field-error group-error">{f.errors.fields.scheme_ids}</p>}
          {schemes.length === 0 && <p class="muted">{t('schemes.none')}</p>}
          {schemes.map((s) => (
            <CheckboxField
              key={s.id}
              name={`scheme-${s.id}`}
              label={schemeLabel(s)}
              checked={chosen.includes(s.id)}
              onChange={(on) => f.set('scheme_ids')(on ? [...chosen, s.id] : chosen.filter((x) => x !== s.id))}
            />
          ))}
        </fieldset>
        <RadioGroup
          name="access"
          legend={t('mandates.accessLegend')}
          value={access}
          onValue={f.set('access')}
          options={[
            { value: 'read', label: t('mandates.access.readLong') },
            { value: 'read_write', label: t('mandates.access.readWriteLong') },
          ]}
          error={f.errors.fields.access}
        />
        <SubmitButton busy={f.busy} busyLabel={t('common.busy')}>
          {t('mandates.grant')}
        </SubmitButton>
      </form>
    </section>
  );
}

export function MandatesPage() {
  const { schemes } = useSchemes();
  const [flash, setFlash] = useState<string | null>(null);
  const list = usePaged((cursor) => mandatesApi.list({ cursor, limit: 50 }), 'mandates');

  const revoking = useRevoke<Mandate>(
    (m) => mandatesApi.revoke(m.id),
    (m) => {
      setFlash(t('mandates.revokedFlash', { office: m.intermediary.name }));
      list.reload();
    },
  );

  return (
    <Page title={t('mandates.title')} wide intro={<p>{t('mandates.intro')}</p>}>
      <Notice>{flash}</Notice>
      <div class="stack">
        <section class="card" aria-labelledby="mandates-list-title">
          <h2 id="mandates-list-title">{t('mandates.listTitle')}</h2>
          <ErrorAlert messages={list.errors} />
          <DataTable
            caption={t('mandates.listTitle')}
            columns={[
              t('mandates.office'),
              t('mandates.schemes'),
              t('mandates.accessLegend'),
              t('mandates.since'),
              { label: t('common.actions'), hidden: true },
            ]}
            loading={list.loading}
            count={list.items.length}
            empty={t('mandates.none')}
          >
            {list.items.map((m) => (
              <tr key={m.id} class={m.revoked_at ? 'row-muted' : undefined}>
                <th scope="row" data-label={t('mandates.office')}>
                  {m.intermediary.name}
                </th>
                <td data-label={t('mandates.schemes')}>{schemeNames(schemes, m.scheme_ids)}</td>
                <td data-label={t('mandates.accessLegend')}>{accessLabel(m.access)}</td>
                <td data-label={t('mandates.since')}>{dayOf(m.created_at)}</td>
                <td data-label={t('common.status')}>
                  {m.revoked_at ? (
                    <span class="badge badge-revoked">{t('mandates.revokedOn', { date: dayOf(m.revoked_at) })}</span>
                  ) : (
                    <button type="button" class="btn btn-danger btn-small" onClick={() => revoking.ask(m)}>
                      {t('mandates.revoke')}
                      <span class="sr-only"> – {m.intermediary.name}</span>
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </DataTable>
          <Pager list={list} label={t('mandates.pages')} />
        </section>
        {schemes ? (
          <GrantForm
            schemes={schemes}
            onGranted={(m) => {
              setFlash(t('mandates.grantedFlash', { office: m.intermediary.name }));
              list.reload();
            }}
          />
        ) : (
          <Loading />
        )}
      </div>
      <ConfirmDialog
        open={revoking.item !== null}
        title={t('mandates.revokeTitle')}
        confirmLabel={t('mandates.revoke')}
        danger
        busy={revoking.busy}
        errors={revoking.errors}
        onConfirm={revoking.confirm}
        onCancel={revoking.cancel}
      >
        <p>{revoking.item ? t('mandates.revokeText', { office: revoking.item.intermediary.name }) : ''}</p>
      </ConfirmDialog>
    </Page>
  );
}
