// API-sleutels for payroll software: create one (its secret is shown once,
// with a copy button), see which exist and when they were last used, revoke.
import { useEffect, useRef, useState } from 'preact/hooks';
import { apiTokensApi } from '../../api/endpoints';
import type { ApiToken, Me, Scheme } from '../../api/types';
import { ErrorAlert, Notice } from '../../components/Alert';
import { CopyButton } from '../../components/Copy';
import { DataTable } from '../../components/DataTable';
import { ConfirmDialog } from '../../components/Dialog';
import { CheckboxField, RadioGroup, SubmitButton, TextField } from '../../components/Field';
import { Icon } from '../../components/Icon';
import { Page } from '../../components/Page';
import { Pager } from '../../components/Pager';
import { addMonths, endOfDayAmsterdam, parseDateInput, todayAmsterdam } from '../../format/dates';
import { useForm } from '../../forms/useForm';
import { activeLanguage, fmt, t } from '../../i18n';
import { usePaged } from '../../lib/usePaged';
import { useRevoke } from '../../lib/useRevoke';
import type { RightsCatalogue } from '../../rights/rules';
import { Loading } from '../Simple';
import { dayOf, rightsText, schemeLabel, schemeNames, useCatalogue, useSchemes } from '../../lib/accounts';

function SecretOnce({ token, onDone }: { token: ApiToken; onDone: () => void }) {
  const ref = useRef<HTMLElement>(null);
  useEffect(() => ref.current?.focus(), [token.id]);
  return (
    <section class="card secret-once" aria-labelledby="secret-title" tabIndex={-1} ref={ref}>
      <h2 id="secret-title">{t('tokens.secretTitle', { name: token.name })}</h2>
      <p class="warning-text">
        <Icon name="lock" /> {t('tokens.secretOnce')}
      </p>
      <p class="secret-value" aria-label={t('tokens.secretLabel')}>
        <code data-secret="">{token.secret}</code>
      </p>
      <div class="button-row">
        <CopyButton text={token.secret ?? ''} label={t('tokens.copy')} />
        <button type="button" class="btn btn-primary" onClick={onDone}>
          {t('tokens.secretStored')}
        </button>
      </div>
      <p class="hint">{t('tokens.secretUse')}</p>
    </section>
  );
}

function CreateForm({ me, catalogue, schemes, onCreated }: { me: Me; catalogue: RightsCatalogue; schemes: Scheme[]; onCreated: (t: ApiToken) => void }) {
  const lang = activeLanguage();
  const defaultExpiry = fmt.date(addMonths(todayAmsterdam(), 6));
  const f = useForm(
    {
      name: '',
      rights: [] as string[],
      scope: (me.scheme_ids === null ? 'all' : 'some') as 'all' | 'some',
      scheme_ids: [] as string[],
      expires_at: defaultExpiry,
    },
    { fields: ['name', 'rights', 'scheme_ids', 'expires_at'] },
  );
  const { rights, scope, scheme_ids: chosen } = f.values;
  const held = catalogue.items.filter((r) => me.rights.includes(r.id));

  const submit = f.submit(
    (v) => {
      const day = parseDateInput(v.expires_at);
      const today = todayAmsterdam();
      return [
        ['name', v.name.trim() === '', t('validation.required')],
        ['rights', v.rights.length === 0, t('tokens.chooseRight')],
        ['scheme_ids', schemes.length > 0 && v.scope === 'some' && v.scheme_ids.length === 0, t('scope.chooseOne')],
        ['expires_at', day === null, t('validation.date')],
        ['expires_at', day !== null && (day < today || day > addMonths(today, 12)), t('tokens.expiryRange')],
      ];
    },
    async (v) => {
      const r = await apiTokensApi.create({
        name: v.name.trim(),
        rights: v.rights,
        scheme_ids: schemes.length > 0 && v.scope === 'some' ? v.scheme_ids : null,
        expires_at: endOfDayAmsterdam(parseDateInput(v.expires_at)!)!,
      });
      f.setValues((old) => ({ ...old, name: '', rights: [], scheme_ids: [], expires_at: defaultExpiry }));
      onCreated(r.data);
    },
  );

  return (
    <section class="card" aria-labelledby="token-new-title">
      <h2 id="token-new-title">{t('tokens.newTitle')}</h2>
      <p class="hint">{t('tokens.newIntro')}</p>
      <form ref={f.formRef} noValidate onSubmit={submit}>
        <ErrorAlert messages={f.errors.general} />
        <TextField {...f.field('name')} label={t('tokens.name')} hint={t('tokens.nameHint')} autocomplete="off" required />
        <fieldset class="scheme-choice">
          <legend>{t('tokens.rights')}</legend>
          <p class="hint">{t('tokens.rightsHint')}</p>
          {f.errors.fields.rights && <p class="field-error group-error">{f.errors.fields.rights}</p>}
          {held.map((r) => (
            <CheckboxField
              key={r.id}
              name={`right-${r.id}`}
              label={
                <>
                  {r.label[lang]} <span class="right-inline-desc">– {r.description[lang]}</span>
                </>
              }
              checked={rights.includes(r.id)}
              onChange={(on) => f.set('rights')(on ? [...rights, r.id] : rights.filter((x) => x !== r.id))}
            />
          ))}
        </fieldset>
        {schemes.length > 0 && (
          <>
            <RadioGroup
              name="scope"
              legend={t('scope.legend')}
              value={scope}
              onValue={f.set('scope', 'scheme_ids')}
              options={[
                ...(me.scheme_ids === null ? [{ value: 'all' as const, label: t('scope.allOption') }] : []),
                { value: 'some' as const, label: t('scope.someOption') },
              ]}
            />
            {scope === 'some' && (
              <fieldset class="scheme-choice">
                <legend>{t('scope.choose')}</legend>
                {f.errors.fields.scheme_ids && <p class="field-error group-error">{f.errors.fields.scheme_ids}</p>}
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
            )}
          </>
        )}
        <TextField
          {...f.field('expires_at')}
          label={t('tokens.expiresAt')}
          hint={`${t('date.hint')} ${t('tokens.expiryHint')}`}
          inputMode="numeric"
          autocomplete="off"
          class="input-short"
        />
        <SubmitButton busy={f.busy} busyLabel={t('common.busy')}>
          {t('tokens.create')}
        </SubmitButton>
      </form>
    </section>
  );
}

const STATUS_KEY = { active: 'tokens.status.active', expired: 'tokens.status.expired', revoked: 'tokens.status.revoked' } as const;

export function ApiTokensPage({ me }: { me: Me }) {
  const { catalogue, errors: catalogueErrors } = useCatalogue();
  const { schemes } = useSchemes(undefined, me.organisation.kind === 'employer');
  const [created, setCreated] = useState<ApiToken | null>(null);
  const [flash, setFlash] = useState<string | null>(null);
  const list = usePaged((cursor) => apiTokensApi.list({ cursor, limit: 50 }), 'tokens');
  const revoking = useRevoke<ApiToken>(
    (tok) => apiTokensApi.revoke(tok.id),
    (tok) => {
      setFlash(t('tokens.revokedFlash', { name: tok.name }));
      list.reload();
    },
  );

  return (
    <Page title={t('tokens.title')} wide intro={<p>{t('tokens.intro')}</p>}>
      <Notice>{flash}</Notice>
      <div class="stack">
        {created && <SecretOnce token={created} onDone={() => setCreated(null)} />}
        <section class="card" aria-labelledby="tokens-list-title">
          <h2 id="tokens-list-title">{t('tokens.listTitle')}</h2>
          <ErrorAlert messages={[...catalogueErrors, ...list.errors]} />
          <DataTable
            caption={t('tokens.listTitle')}
            columns={[
              t('tokens.name'),
              t('tokens.key'),
              t('tokens.rights'),
              t('scope.title'),
              t('tokens.lastUsed'),
              t('tokens.validUntil'),
              t('common.status'),
            ]}
            loading={list.loading}
            count={list.items.length}
            empty={t('tokens.none')}
          >
            {list.items.map((tok) => (
              <tr key={tok.id} class={tok.status !== 'active' ? 'row-muted' : undefined}>
                <th scope="row" data-label={t('tokens.name')}>
                  {tok.name}
                  <span class="cell-note">
                    {t('tokens.createdBy', { name: tok.created_by?.name ?? '–', date: dayOf(tok.created_at) })}
                  </span>
                </th>
                <td data-label={t('tokens.key')}>
                  <code>{`pat_${tok.prefix}…`}</code>
                </td>
                <td data-label={t('tokens.rights')}>{rightsText(catalogue, tok.rights)}</td>
                <td data-label={t('scope.title')}>{schemeNames(schemes, tok.scheme_ids)}</td>
                <td data-label={t('tokens.lastUsed')}>{tok.last_used_at ? fmt.dateTime(tok.last_used_at) : t('tokens.neverUsed')}</td>
                <td data-label={t('tokens.validUntil')}>{dayOf(tok.expires_at)}</td>
                <td data-label={t('common.status')}>
                  <span class="cell-actions">
                    <span class={`badge badge-${tok.status}`}>{t(STATUS_KEY[tok.status])}</span>
                    {tok.status === 'active' && (
                      <button type="button" class="btn btn-danger btn-small" onClick={() => revoking.ask(tok)}>
                        {t('tokens.revoke')}
                        <span class="sr-only"> – {tok.name}</span>
                      </button>
                    )}
                  </span>
                </td>
              </tr>
            ))}
          </DataTable>
          <Pager list={list} label={t('tokens.pages')} />
        </section>
        {catalogue && schemes ? (
          <CreateForm
            me={me}
            catalogue={catalogue}
            schemes={schemes}
            onCreated={(tok) => {
              setFlash(null);
              setCreated(tok);
              list.reload();
            }}
          />
        ) : (
          !catalogueErrors.length && <Loading />
        )}
      </div>
      <ConfirmDialog
        open={revoking.item !== null}
        title={t('tokens.revokeTitle')}
        confirmLabel={t('tokens.revoke')}
        danger
        busy={revoking.busy}
        errors={revoking.errors}
        onConfirm={revoking.confirm}
        onCancel={revoking.cancel}
      >
        <p>{revoking.item ? t('tokens.revokeText', { name: revoking.item.name }) : ''}</p>
      </ConfirmDialog>
    </Page>
  );
}
