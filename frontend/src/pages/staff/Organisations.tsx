// Staff: customer organisations (employers and advisers' offices) — search
// and list, create, and per organisation its data, licences, schemes, users
// (the first administrator is invited here) and its audit log.
import { useEffect, useState } from 'preact/hooks';
import { ApiError } from '../../api/client';
import { intermediariesApi, organisationsApi, usersApi } from '../../api/endpoints';
import type { Address, OrganisationSummary, OrganisationWrite, Scheme } from '../../api/types';
import { ErrorAlert, Notice } from '../../components/Alert';
import { DataTable } from '../../components/DataTable';
import { CheckboxField, RadioGroup, SelectField, SubmitButton, TextField } from '../../components/Field';
import { Icon } from '../../components/Icon';
import { Link } from '../../components/Link';
import { Page } from '../../components/Page';
import { Pager } from '../../components/Pager';
import { isEmail, problemToFormErrors } from '../../forms/errors';
import { useForm } from '../../forms/useForm';
import { activeLanguage, t } from '../../i18n';
import { setFlash, takeFlash } from '../../lib/flash';
import { usePaged } from '../../lib/usePaged';
import { navigate } from '../../router';
import { useCatalogue, useSchemes } from '../../lib/accounts';
import { UserTable } from '../admin/Users';
import { SchemeForm, SchemeTable } from '../Schemes';
import { Loading } from '../Simple';

type Kind = 'employer' | 'intermediary';

function kindText(kind: string): string {
  return kind === 'intermediary' ? t('staff.kind.intermediary') : t('staff.kind.employer');
}

export function OrganisationsPage() {
  const [q, setQ] = useState('');
  const [kind, setKind] = useState('');
  const [search, setSearch] = useState({ q: '', kind: '' });
  const [flash] = useState(() => takeFlash());
  const list = usePaged((cursor) => organisationsApi.list({ q: search.q, kind: search.kind, cursor, limit: 25 }), JSON.stringify(search));
  return (
    <Page title={t('staff.orgs.title')} wide intro={<p>{t('staff.orgs.intro')}</p>}>
      <Notice>{flash}</Notice>
      <div class="toolbar">
        <form
          role="search"
          class="search-form"
          onSubmit={(e) => {
            e.preventDefault();
            setSearch({ q: q.trim(), kind });
          }}
        >
          <div class="field-row">
            <TextField name="q" type="search" label={t('staff.orgs.search')} value={q} onValue={setQ} autocomplete="off" />
            <SelectField
              name="kind"
              label={t('staff.kind')}
              value={kind}
              onValue={setKind}
              options={[
                { value: '', label: t('staff.kind.all') },
                { value: 'employer', label: t('staff.kind.employer') },
                { value: 'intermediary', label: t('staff.kind.intermediary') },
              ]}
            />
          </div>
          <button type="submit" class="btn btn-secondary">
            {t('common.search')}
          </button>
        </form>
        <Link href="/staff/organisations/new" class="btn btn-primary">
          <Icon name="building" />
          {t('staff.orgs.add')}
        </Link>
      </div>
      <ErrorAlert messages={list.errors} />
      <DataTable
        caption={t('staff.orgs.title')}
        columns={[t('org.name'), t('staff.kind'), t('org.registrationNumber'), t('address.city')]}
        loading={list.loading}
        count={list.items.length}
        empty={t('staff.orgs.none')}
      >
        {list.items.map((o) => (
          <tr key={o.id}>
            <th scope="row" data-label={t('org.name')}>
              <Link href={`/staff/organisations/${o.id}`}>{o.name}</Link>
            </th>
            <td data-label={t('staff.kind')}>{kindText(o.kind)}</td>
            <td data-label={t('org.registrationNumber')}>{o.registration_number || '–'}</td>
            <td data-label={t('address.city')}>{o.visiting_address?.city || o.postal_address?.city || '–'}</td>
          </tr>
        ))}
      </DataTable>
      <Pager list={list} label={t('staff.orgs.pages')} />
    </Page>
  );
}

const ADDRESS_KEYS: (keyof Address)[] = ['street', 'house_number', 'postal_code', 'city', 'country'];

interface OrgValues {
  kind: Kind;
  name: string;
  registration_number: string;
  notification_email: string;
  'visiting_address.street': string;
  'visiting_address.house_number': string;
  'visiting_address.postal_code': string;
  'visiting_address.city': string;
  'visiting_address.country': string;
  'contact_person.name': string;
  'contact_person.email': string;
  'contact_person.phone': string;
}

function orgValues(o: OrganisationSummary | null): OrgValues {
  const a = o?.visiting_address;
  return {
    kind: (o?.kind === 'intermediary' ? 'intermediary' : 'employer') as Kind,
    name: o?.name ?? '',
    registration_number: o?.registration_number ?? '',
    notification_email: o?.notification_email ?? '',
    'visiting_address.street': a?.street ?? '',
    'visiting_address.house_number': a?.house_number ?? '',
    'visiting_address.postal_code': a?.postal_code ?? '',
    'visiting_address.city': a?.city ?? '',
    'visiting_address.country': a?.country ?? 'NL',
    'contact_person.name': o?.contact_person?.name ?? '',
    'contact_person.email': o?.contact_person?.email ?? '',
    'contact_person.phone': o?.contact_person?.phone ?? '',
  };
}

function orgBody(v: OrgValues, creating: boolean): OrganisationWrite {
  const body: OrganisationWrite = { name: v.name.trim() };
  if (creating) body.kind = v.kind;
  if (v.registration_number.trim() || !creating) body.registration_number = v.registration_number.trim();
  if (v.notification_email.trim() || !creating) body.notification_email = v.notification_email.trim();
  if (v['visiting_address.street'].trim()) {
    const a = {} as Address;
    for (const k of ADDRESS_KEYS) a[k] = v[`visiting_address.${k}`].trim();
    a.country = a.country.toUpperCase() || 'NL';
    a.postal_code = a.postal_code.toUpperCase();
    body.visiting_address = a;
  }
  if (v['contact_person.name'].trim()) {
    body.contact_person = {
      name: v['contact_person.name'].trim(),
      email: v['contact_person.email'].trim(),
      phone: v['contact_person.phone'].trim(),
    };
  }
  return body;
}

function OrganisationForm({
  org,
  etag,
  onSaved,
  onCancel,
}: {
  org: OrganisationSummary | null;
  etag?: string | null;
  onSaved: (o: OrganisationSummary, etag: string | null) => void;
  onCancel?: () => void;
}) {
  const creating = org === null;
  const f = useForm<OrgValues>(orgValues(org));
  const v = f.values;

  const submit = f.submit(
    (v) => [
      ['name', !v.name.trim(), t('validation.required')],
      ['notification_email', v.notification_email.trim() !== '' && !isEmail(v.notification_email), t('validation.email')],
      ['contact_person.email', v['contact_person.email'].trim() !== '' && !isEmail(v['contact_person.email']), t('validation.email')],
    ],
    async (v) => {
      const r = creating ? await organisationsApi.create(orgBody(v, true)) : await organisationsApi.patch(org.id, orgBody(v, false), etag ?? null);
      onSaved(r.data, r.etag);
    },
    {
      onError: (err, fe) => (err instanceof ApiError && err.status === 412 ? { ...fe, general: [t('users.conflict'), ...fe.general] } : fe),
    },
  );

  return (
    <form ref={f.formRef} noValidate onSubmit={submit}>
      <ErrorAlert messages={f.errors.general} />
      {creating && (
        <RadioGroup
          name="kind"
          legend={t('staff.kind')}
          value={v.kind}
          onValue={f.set('kind')}
          options={[
            { value: 'employer', label: t('staff.kind.employer') },
            { value: 'intermediary', label: t('staff.kind.intermediary') },
          ]}
          error={f.errors.fields.kind}
        />
      )}
      <TextField {...f.field('name')} label={t('org.name')} required />
      <div class="field-row">
        <TextField {...f.field('registration_number')} label={t('org.registrationNumber')} class="input-short" />
        <TextField {...f.field('notification_email')} type="email" label={t('org.notificationEmail')} />
      </div>
      <fieldset class="subfieldset">
        <legend>{t('org.visitingAddress')}</legend>
        <div class="field-row">
          <TextField {...f.field('visiting_address.street')} label={t('address.street')} />
          <TextField {...f.field('visiting_address.house_number')} label={t('address.houseNumber')} class="input-short" />
        </div>
        <div class="field-row">
          <TextField {...f.field('visiting_address.postal_code')} label={t('address.postalCode')} class="input-short" />
          <TextField {...f.field('visiting_address.city')} label={t('address.city')} />
          <TextField {...f.field('visiting_address.country')} label={t('address.country')} maxLength={2} class="input-short" />
        </div>
      </fieldset>
      <fieldset class="subfieldset">
        <legend>{t('org.contactPerson')}</legend>
        <TextField {...f.field('contact_person.name')} label={t('common.name')} />
        <div class="field-row">
          <TextField {...f.field('contact_person.email')} type="email" label={t('common.email')} />
          <TextField {...f.field('contact_person.phone')} type="tel" label={t('common.phone')} />
        </div>
      </fieldset>
      {creating && v.kind === 'intermediary' && <p class="hint">{t('staff.orgs.licencesLater')}</p>}
      <div class="button-row">
        <SubmitButton busy={f.busy} busyLabel={t('common.busy')}>
          {creating ? t('staff.orgs.create') : t('common.save')}
        </SubmitButton>
        {onCancel && (
          <button type="button" class="btn btn-secondary" onClick={onCancel}>
            {t('common.cancel')}
          </button>
        )}
      </div>
    </form>
  );
}

export function NewOrganisationPage() {
  return (
    <Page
      title={t('staff.orgs.add')}
      intro={
        <p>
          <Link href="/staff/organisations">{t('staff.orgs.back')}</Link>
        </p>
      }
    >
      <OrganisationForm
        org={null}
        onSaved={(o) => {
          setFlash(t('staff.orgs.createdFlash', { name: o.name }));
          navigate(`/staff/organisations/${o.id}`);
        }}
      />
    </Page>
  );
}

function Licences({ org, etag, onSaved }: { org: OrganisationSummary; etag: string | null; onSaved: (o: OrganisationSummary, etag: string | null) => void }) {
  const { catalogue } = useCatalogue(org.id);
  const f = useForm({ licences: org.licences ?? [] }, { fields: [] });
  const chosen = f.values.licences;
  const [saved, setSaved] = useState(false);
  if (!catalogue) return <Loading />;
  const lang = activeLanguage();
  const licensable = catalogue.items.filter((r) => r.licensable);
  return (
    <form
      ref={f.formRef}
      noValidate
      onSubmit={f.submit(
        () => [],
        async (v) => {
          setSaved(false);
          const r = await organisationsApi.patch(org.id, { licences: v.licences }, etag);
          onSaved(r.data, r.etag);
          setSaved(true);
        },
      )}
    >
      <Notice>{saved ? t('common.saved') : null}</Notice>
      <ErrorAlert messages={f.errors.general} />
      <fieldset class="scheme-choice">
        <legend>{t('staff.licences')}</legend>
        <p class="hint">{t('staff.licencesHint')}</p>
        {licensable.map((r) => (
          <CheckboxField
            key={r.id}
            name={`licence-${r.id}`}
            label={r.label[lang]}
            checked={chosen.includes(r.id)}
            onChange={(on) => f.set('licences')(on ? [...chosen, r.id] : chosen.filter((x) => x !== r.id))}
          />
        ))}
      </fieldset>
      <SubmitButton busy={f.busy} busyLabel={t('common.busy')}>
        {t('staff.saveLicences')}
      </SubmitButton>
    </form>
  );
}

function Advisor({ org, etag, onSaved }: { org: OrganisationSummary; etag: string | null; onSaved: (o: OrganisationSummary, etag: string | null) => void }) {
  const [q, setQ] = useState('');
  const [found, setFound] = useState<{ id: string; name: string }[] | null>(null);
  const [choice, setChoice] = useState('');
  const f = useForm({}, { fields: [] });
  const save = (advisorId: string) =>
    f.run(async () => {
      const r = await organisationsApi.patch(org.id, { advisor_id: advisorId }, etag);
      onSaved(r.data, r.etag);
      setFound(null);
    });
  return (
    <div>
      <ErrorAlert messages={f.errors.general} />
      <p>{org.advisor ? org.advisor.name : <span class="muted">{t('org.noAdvisor')}</span>}</p>
      <div class="inline-search">
        <TextField
          name="advisor_q"
          type="search"
          label={t('mandates.searchOffice')}
          value={q}
          onValue={setQ}
          autocomplete="off"
          onKeyDown={(e) => {
            if (e.key === 'Enter') e.preventDefault();
          }}
        />
        <button
          type="button"
          class="btn btn-secondary"
          onClick={async () => {
            try {
              setFound((await intermediariesApi.search(q.trim(), { limit: 10 })).items);
            } catch (err) {
              f.showProblem(err);
            }
          }}
        >
          {t('common.search')}
        </button>
      </div>
      {found && found.length === 0 && <p class="muted">{t('mandates.noOffices')}</p>}
      {found && found.length > 0 && (
        <>
          <RadioGroup name="advisor_id" legend={t('mandates.office')} value={choice} onValue={setChoice} options={found.map((i) => ({ value: i.id, label: i.name }))} />
          <button type="button" class="btn btn-primary" aria-busy={f.busy ? 'true' : undefined} onClick={() => choice && void save(choice)}>
            {t('staff.setAdvisor')}
          </button>
        </>
      )}
    </div>
  );
}

export function OrganisationDetailPage({ id }: { id: string }) {
  const [org, setOrg] = useState<OrganisationSummary | null>(null);
  const [etag, setEtag] = useState<string | null>(null);
  const [errors, setErrors] = useState<string[]>([]);
  const [editing, setEditing] = useState(false);
  const [addingScheme, setAddingScheme] = useState(false);
  const [flash, setFlashHere] = useState(() => takeFlash());
  const { schemes } = useSchemes(id, org?.kind === 'employer');
  const [extraSchemes, setExtraSchemes] = useState<Scheme[]>([]);
  const users = usePaged((cursor) => usersApi.list({ organisation_id: id, cursor, limit: 25 }), id);

  useEffect(() => {
    organisationsApi
      .get(id)
      .then((r) => {
        setOrg(r.data);
        setEtag(r.etag);
      })
      .catch((e) => setErrors(problemToFormErrors(e).general));
  }, [id]);

  if (!org) return <Page title={t('staff.orgs.title')}>{errors.length ? <ErrorAlert messages={errors} /> : <Loading />}</Page>;
  const saved = (o: OrganisationSummary, tag: string | null) => {
    setOrg(o);
    setEtag(tag);
  };
  const allSchemes = [...(schemes ?? []), ...extraSchemes.filter((s) => !(schemes ?? []).some((x) => x.id === s.id))];

  return (
    <Page
      title={org.name}
      wide
      intro={
        <>
          <p>
            {kindText(org.kind)}
            {org.registration_number ? ` · ${t('org.registrationNumber')} ${org.registration_number}` : ''}
          </p>
          <p>
            <Link href="/staff/organisations">{t('staff.orgs.back')}</Link>
            {' · '}
            <Link href={`/audit-events?organisation_id=${org.id}`}>{t('staff.auditOf')}</Link>
          </p>
        </>
      }
    >
      <Notice>{flash}</Notice>
      <div class="sections">
        <section class="card" aria-labelledby="org-data-title">
          <h2 id="org-data-title">{t('org.company')}</h2>
          {editing ? (
            <OrganisationForm
              org={org}
              etag={etag}
              onSaved={(o, tag) => {
                saved(o, tag);
                setEditing(false);
                setFlashHere(t('common.saved'));
              }}
              onCancel={() => setEditing(false)}
            />
          ) : (
            <>
              <dl class="facts">
                <dt>{t('org.name')}</dt>
                <dd>{org.name}</dd>
                <dt>{t('org.registrationNumber')}</dt>
                <dd>{org.registration_number || '–'}</dd>
                <dt>{t('org.notificationEmail')}</dt>
                <dd>{org.notification_email || '–'}</dd>
                <dt>{t('org.visitingAddress')}</dt>
                <dd>
                  {org.visiting_address
                    ? `${org.visiting_address.street} ${org.visiting_address.house_number}, ${org.visiting_address.postal_code} ${org.visiting_address.city}`
                    : '–'}
                </dd>
                <dt>{t('org.contactPerson')}</dt>
                <dd>{org.contact_person ? `${org.contact_person.name} (${org.contact_person.email})` : '–'}</dd>
              </dl>
              <button type="button" class="btn btn-secondary" onClick={() => setEditing(true)}>
                {t('common.edit')}
              </button>
            </>
          )}
        </section>

        {org.kind === 'intermediary' ? (
          <section class="card" aria-labelledby="licences-title">
            <h2 id="licences-title">{t('staff.licences')}</h2>
            <Licences org={org} etag={etag} onSaved={saved} />
          </section>
        ) : (
          <section class="card" aria-labelledby="advisor-title">
            <h2 id="advisor-title">{t('staff.advisor')}</h2>
            <Advisor org={org} etag={etag} onSaved={saved} />
          </section>
        )}
      </div>

      {org.kind === 'employer' && (
        <section class="card section-gap" aria-labelledby="schemes-title">
          <h2 id="schemes-title">{t('schemes.title')}</h2>
          {schemes === null ? (
            <Loading />
          ) : allSchemes.length === 0 ? (
            <p class="muted">{t('schemes.none')}</p>
          ) : (
            <SchemeTable schemes={allSchemes} path={(s) => `/staff/schemes/${s.id}`} />
          )}
          {addingScheme ? (
            <div class="subform">
              <h3>{t('schemes.add')}</h3>
              <SchemeForm
                organisationId={org.id}
                onSaved={(s) => {
                  setExtraSchemes([...extraSchemes, s]);
                  setAddingScheme(false);
                  setFlashHere(t('schemes.createdFlash', { name: s.name }));
                }}
                onCancel={() => setAddingScheme(false)}
              />
            </div>
          ) : (
            <p>
              <button type="button" class="btn btn-secondary" onClick={() => setAddingScheme(true)}>
                {t('schemes.add')}
              </button>
            </p>
          )}
        </section>
      )}

      <section class="card section-gap" aria-labelledby="org-users-title">
        <h2 id="org-users-title">{t('staff.users')}</h2>
        <p class="hint">{org.kind === 'intermediary' ? t('staff.firstAdminOffice') : t('staff.firstAdmin')}</p>
        <ErrorAlert messages={users.errors} />
        <UserTable list={users} userPath={(u) => `/staff/organisations/${org.id}/users/${u}`} catalogueOrg={org.id} />
        <Pager list={users} label={t('users.pages')} />
        <p>
          <Link href={`/staff/organisations/${org.id}/users/new`} class="btn btn-primary">
            <Icon name="userPlus" />
            {t('staff.inviteUser')}
          </Link>
        </p>
      </section>
    </Page>
  );
}
