// Add or change a user: names, e-mail, mobile, rights (grouped, explained,
// rules applied as you tick), scheme scope, expiry for external consultants;
// on an existing user also re-send the invitation and delete (confirmed).
import { useEffect, useState } from 'preact/hooks';
import { ApiError } from '../../api/client';
import { usersApi } from '../../api/endpoints';
import type { Me, Scheme, User, UserCreate, UserPatch } from '../../api/types';
import { ErrorAlert, Notice } from '../../components/Alert';
import { ConfirmDialog } from '../../components/Dialog';
import { CheckboxField, RadioGroup, SubmitButton, TextField } from '../../components/Field';
import { Link } from '../../components/Link';
import { Page } from '../../components/Page';
import { amsterdamDate, endOfDayAmsterdam } from '../../format/dates';
import { problemToFormErrors } from '../../forms/errors';
import { useForm } from '../../forms/useForm';
import { expiryIso, userFormChecks, type UserFormValues } from '../../forms/userForm';
import { fmt, t } from '../../i18n';
import { setFlash } from '../../lib/flash';
import { navigate } from '../../router';
import type { RightsCatalogue } from '../../rights/rules';
import { Loading } from '../Simple';
import { RightsPicker } from './RightsPicker';
import { AccountCare } from './AccountCare';
import { fullName, isStaff, schemeLabel, StatusBadge, useCatalogue, userState, useSchemes } from '../../lib/accounts';

const FIELDS = ['first_name', 'last_name', 'email', 'mobile', 'rights', 'scheme_ids', 'expires_at', 'organisation_id'];

function initialValues(user: User | null): UserFormValues {
  const expiry = user?.expires_at ? amsterdamDate(user.expires_at) : null;
  return {
    first_name: user?.first_name ?? '',
    last_name: user?.last_name ?? '',
    email: user?.email ?? '',
    mobile: user?.mobile ?? '',
    rights: user?.rights ?? [],
    scope: user && user.scheme_ids !== null ? 'some' : 'all',
    scheme_ids: user?.scheme_ids ?? [],
    external: !!expiry,
    expires: expiry ? fmt.date(expiry) : '',
  };
}

interface FormProps {
  me: Me;
  catalogue: RightsCatalogue;
  schemes: Scheme[];
  user: User | null;
  etag: string | null;
  organisationId?: string | undefined;
  backPath: string;
  onReload: () => Promise<void>;
}

function UserForm({ me, catalogue, schemes, user, etag, organisationId, backPath, onReload }: FormProps) {
  const f = useForm<UserFormValues>(initialValues(user), { fields: FIELDS, aliases: { scope: 'scheme_ids' } });
  const [conflict, setConflict] = useState(false);
  const v = f.values;
  const creating = user === null;
  const self = user?.id === me.id;
  const current = user?.rights ?? [];
  // A scoped administrator may only give scoped access (the API answers 403 otherwise).
  const mayGiveAll = isStaff(me) || me.scheme_ids === null;
  const showScope = schemes.length > 0;

  const submit = f.submit(
    (v) => userFormChecks(v, { creating, catalogue, current, self, scopeShown: showScope }),
    async (v) => {
      const scheme_ids = !showScope || v.scope === 'all' ? (mayGiveAll ? null : me.scheme_ids) : v.scheme_ids;
      const expiry = v.external ? expiryIso(v) : null;
      const expires_at = expiry ? endOfDayAmsterdam(expiry) : null;
      setConflict(false);
      if (creating) {
        const body: UserCreate = {
          first_name: v.first_name.trim(),
          last_name: v.last_name.trim(),
          email: v.email.trim(),
          rights: v.rights,
          scheme_ids,
          expires_at,
        };
        if (v.mobile.trim()) body.mobile = v.mobile.trim();
        if (organisationId && isStaff(me)) body.organisation_id = organisationId;
        await usersApi.create(body);
        setFlash(t('users.invitedFlash', { name: `${body.first_name} ${body.last_name}`, email: body.email }));
      } else {
        const body: UserPatch = { first_name: v.first_name.trim(), last_name: v.last_name.trim() };
        if (v.mobile.trim() !== (user.mobile ?? '')) body.mobile = v.mobile.trim();
        if (!self) {
          body.rights = v.rights;
          body.scheme_ids = scheme_ids;
          body.expires_at = expires_at;
        }
        await usersApi.patch(user.id, body, etag);
        setFlash(t('users.savedFlash', { name: `${body.first_name} ${body.last_name}` }));
      }
      navigate(backPath);
    },
    {
      onError: async (err) => {
        if (err instanceof ApiError && err.status === 412) {
          setConflict(true);
          await onReload().catch(() => undefined);
        }
      },
    },
  );

  return (
    <form ref={f.formRef} class="user-form" noValidate onSubmit={submit}>
      {conflict && (
        <div class="alert alert-info" role="status">
          <p>{t('users.conflict')}</p>
        </div>
      )}
      <ErrorAlert messages={f.errors.general} />
      <section class="card" aria-labelledby="person-title">
        <h2 id="person-title">{t('users.person')}</h2>
        <div class="field-row">
          <TextField {...f.field('first_name')} label={t('profile.firstName')} autocomplete="off" required />
          <TextField {...f.field('last_name')} label={t('profile.lastName')} autocomplete="off" required />
        </div>
        {creating ? (
          <TextField
            {...f.field('email')}
            type="email"
            label={t('common.email')}
            hint={t('users.emailHint')}
            autocomplete="off"
            spellcheck={false}
            required
          />
        ) : (
          <dl class="facts">
            <dt>{t('common.email')}</dt>
            <dd>{user.email}</dd>
            <dt>{t('login.username')}</dt>
            <dd>{user.username ?? <span class="muted">{t('users.notActivated')}</span>}</dd>
            <dt>{t('users.status')}</dt>
            <dd>
              <StatusBadge state={userState(user)} />
            </dd>
          </dl>
        )}
        <TextField
          {...f.field('mobile')}
          type="tel"
          label={t('users.mobile')}
          hint={t('users.mobileHint')}
          autocomplete="off"
          class="input-medium"
        />
      </section>

      <section class="card" aria-labelledby="rights-title">
        <h2 id="rights-title">{t('users.rights')}</h2>
        {self ? (
          <p class="alert alert-info">{t('users.ownRights')}</p>
        ) : (
          <p class="hint">{t('users.rightsIntro')}</p>
        )}
        <RightsPicker
          catalogue={catalogue}
          selected={v.rights}
          current={current}
          onChange={f.set('rights')}
          error={f.errors.fields.rights}
          readOnly={self}
        />
      </section>

      {showScope && (
        <section class="card" aria-labelledby="scope-title">
          <h2 id="scope-title">{t('scope.title')}</h2>
          <RadioGroup
            name="scope"
            legend={t('scope.legend')}
            value={v.scope}
            onValue={f.set('scope', 'scheme_ids')}
            options={[
              ...(mayGiveAll || v.scope === 'all' ? [{ value: 'all' as const, label: t('scope.allOption') }] : []),
              { value: 'some' as const, label: t('scope.someOption') },
            ]}
          />
          {!mayGiveAll && <p class="hint">{t('scope.scopedAdmin')}</p>}
          {v.scope === 'some' && (
            <fieldset class="scheme-choice" aria-describedby={f.errors.fields.scheme_ids ? 'scheme-ids-err' : undefined}>
              <legend>{t('scope.choose')}</legend>
              {f.errors.fields.scheme_ids && (
                <p id="scheme-ids-err" class="field-error group-error">
                  {f.errors.fields.scheme_ids}
                </p>
              )}
              {schemes
                .filter((s) => mayGiveAll || (me.scheme_ids ?? []).includes(s.id))
                .map((s) => (
                  <CheckboxField
                    key={s.id}
                    name={`scheme-${s.id}`}
                    label={
                      <>
                        {schemeLabel(s)} <span class="muted">– {t(s.kind === 'pension' ? 'schemes.kind.pension' : 'schemes.kind.income')}</span>
                      </>
                    }
                    checked={v.scheme_ids.includes(s.id)}
                    onChange={(on) => f.set('scheme_ids')(on ? [...v.scheme_ids, s.id] : v.scheme_ids.filter((x) => x !== s.id))}
                  />
                ))}
            </fieldset>
          )}
        </section>
      )}

      {!self && (
        <section class="card" aria-labelledby="expiry-title">
          <h2 id="expiry-title">{t('users.expiryTitle')}</h2>
          <CheckboxField name="external" label={t('users.external')} checked={v.external} onChange={f.set('external', 'expires_at')} />
          {v.external && (
            <TextField
              name="expires_at"
              label={t('users.expiresAt')}
              hint={t('date.hint')}
              value={v.expires}
              onValue={f.set('expires', 'expires_at')}
              error={f.errors.fields.expires_at}
              inputMode="numeric"
              autocomplete="off"
              class="input-short"
            />
          )}
        </section>
      )}

      <div class="button-row form-actions">
        <SubmitButton busy={f.busy} busyLabel={t('common.busy')}>
          {creating ? t('users.inviteSubmit') : t('common.save')}
        </SubmitButton>
        <Link href={backPath} class="btn btn-secondary">
          {t('common.cancel')}
        </Link>
      </div>
    </form>
  );
}

function UserActions({ user, etag, backPath, self }: { user: User; etag: string | null; backPath: string; self: boolean }) {
  const [confirming, setConfirming] = useState(false);
  const [sent, setSent] = useState<string | null>(null);
  const removal = useForm({});
  const resending = useForm({});
  const name = fullName(user);

  const remove = () =>
    removal.run(async () => {
      await usersApi.remove(user.id, etag);
      setConfirming(false);
      setFlash(t('users.deletedFlash', { name }));
      navigate(backPath);
    });

  const resend = () =>
    resending.run(async () => {
      setSent(null);
      await usersApi.resendInvitation(user.id);
      setSent(t('users.resent', { email: user.email }));
    });

  return (
    <section class="card" aria-labelledby="actions-title">
      <h2 id="actions-title">{t('users.actions')}</h2>
      <Notice>{sent}</Notice>
      <ErrorAlert messages={resending.errors.general} />
      {user.status === 'invited' && (
        <div class="action-line">
          <p>{t('users.resendIntro')}</p>
          <button type="button" class="btn btn-secondary" onClick={resend}>
            {t('users.resend')}
          </button>
        </div>
      )}
      {self ? (
        <p class="hint">{t('users.cannotDeleteSelf')}</p>
      ) : (
        <div class="action-line">
          <p>{t('users.deleteIntro')}</p>
          <button type="button" class="btn btn-danger" onClick={() => setConfirming(true)}>
            {t('users.delete')}
          </button>
        </div>
      )}
      <ConfirmDialog
        open={confirming}
        title={t('users.deleteTitle', { name })}
        confirmLabel={t('users.deleteConfirm')}
        danger
        busy={removal.busy}
        errors={removal.errors.general}
        onConfirm={remove}
        onCancel={() => {
          setConfirming(false);
          removal.clearErrors();
        }}
      >
        <p>{t('users.deleteText', { name })}</p>
      </ConfirmDialog>
    </section>
  );
}

export function UserFormPage({ me, userId, organisationId, backPath }: { me: Me; userId?: string; organisationId?: string; backPath: string }) {
  const staff = isStaff(me);
  const catalogueOrg = staff ? (organisationId ?? me.organisation.id) : undefined;
  const { catalogue, errors: catalogueErrors } = useCatalogue(catalogueOrg);
  const [user, setUser] = useState<User | null>(null);
  const [etag, setEtag] = useState<string | null>(null);
  const [loadErrors, setLoadErrors] = useState<string[]>([]);
  const kind = catalogue?.organisation_kind;
  const { schemes } = useSchemes(staff ? catalogueOrg : undefined, kind === 'employer');

  const load = async () => {
    if (!userId) return;
    const r = await usersApi.get(userId);
    setUser(r.data);
    setEtag(r.etag);
  };
  useEffect(() => {
    setUser(null);
    load().catch((e) => setLoadErrors(problemToFormErrors(e).general));
  }, [userId]);

  const title = userId ? (user ? fullName(user) : t('users.editTitle')) : t('nav.userNew');
  const errors = [...catalogueErrors, ...loadErrors];
  if (!catalogue || (userId && !user) || schemes === null) {
    return <Page title={title}>{errors.length ? <ErrorAlert messages={errors} /> : <Loading />}</Page>;
  }
  return (
    <Page
      title={title}
      wide
      intro={
        <>
          <p>{userId ? t('users.editIntro') : t('users.newIntro')}</p>
          <p>
            <Link href={backPath}>{t('users.backToList')}</Link>
          </p>
        </>
      }
    >
      <div class="stack">
        <UserForm
          key={user?.id ?? 'new'}
          me={me}
          catalogue={catalogue}
          schemes={schemes}
          user={user}
          etag={etag}
          organisationId={organisationId}
          backPath={backPath}
          onReload={load}
        />
        {user && <UserActions user={user} etag={etag} backPath={backPath} self={user.id === me.id} />}
        {user && user.id !== me.id && <AccountCare me={me} user={user} />}
      </div>
    </Page>
  );
}
