// "Uw organisatie": company details, postal address and contact person (any
// user may change those two), the adviser, and the administrators, so that a
// user without rights sees whom to ask.
import { useEffect, useState } from 'preact/hooks';
import { ApiError } from '../api/client';
import { organisationApi, type OrganisationPatch } from '../api/endpoints';
import type { Address, Organisation } from '../api/types';
import { ErrorAlert, Notice } from '../components/Alert';
import { SubmitButton, TextField } from '../components/Field';
import { Page } from '../components/Page';
import { isEmail, problemToFormErrors } from '../forms/errors';
import { useForm } from '../forms/useForm';
import { t } from '../i18n';
import { Loading } from './Simple';

function AddressLines({ address }: { address: Address | null | undefined }) {
  if (!address) return <span class="muted">{t('common.unknown')}</span>;
  return (
    <span class="address">
      {`${address.street} ${address.house_number}`.trim()}
      <br />
      {`${address.postal_code}  ${address.city}`.trim()}
      {address.country && address.country !== 'NL' && (
        <>
          <br />
          {address.country}
        </>
      )}
    </span>
  );
}

type Save = (patch: OrganisationPatch) => Promise<void>;

function PostalAddressSection({ org, save }: { org: Organisation; save: Save }) {
  const [editing, setEditing] = useState(false);
  const [saved, setSaved] = useState(false);
  const a = org.postal_address;
  const initial = {
    'postal_address.street': a?.street ?? '',
    'postal_address.house_number': a?.house_number ?? '',
    'postal_address.postal_code': a?.postal_code ?? '',
    'postal_address.city': a?.city ?? '',
    'postal_address.country': a?.country ?? 'NL',
  };
  const f = useForm(initial);
  const req = (v: string) => v.trim() === '';
  return (
    <section class="card" aria-labelledby="postal-title">
      <h2 id="postal-title">{t('org.postalAddress')}</h2>
      <Notice>{saved ? t('common.saved') : null}</Notice>
      {!editing ? (
        <>
          <p>
            <AddressLines address={a} />
          </p>
          <button type="button" class="btn btn-secondary" onClick={() => { f.reset(initial); setSaved(false); setEditing(true); }}>
            {t('common.edit')}
          </button>
        </>
      ) : (
        <form
          ref={f.formRef}
          noValidate
          onSubmit={f.submit(
            (v) => [
              ['postal_address.street', req(v['postal_address.street']), t('validation.required')],
              ['postal_address.house_number', req(v['postal_address.house_number']), t('validation.required')],
              ['postal_address.postal_code', req(v['postal_address.postal_code']), t('validation.required')],
              ['postal_address.city', req(v['postal_address.city']), t('validation.required')],
              ['postal_address.country', !/^[A-Za-z]{2}$/.test(v['postal_address.country'].trim()), t('validation.country')],
            ],
            async (v) => {
              await save({
                postal_address: {
                  street: v['postal_address.street'].trim(),
                  house_number: v['postal_address.house_number'].trim(),
                  postal_code: v['postal_address.postal_code'].trim().toUpperCase(),
                  city: v['postal_address.city'].trim(),
                  country: v['postal_address.country'].trim().toUpperCase(),
                },
              });
              setEditing(false);
              setSaved(true);
            },
          )}
        >
          <ErrorAlert messages={f.errors.general} />
          <div class="field-row">
            <TextField {...f.field('postal_address.street')} label={t('address.street')} autocomplete="address-line1" required />
            <TextField {...f.field('postal_address.house_number')} label={t('address.houseNumber')} class="input-short" required />
          </div>
          <div class="field-row">
            <TextField {...f.field('postal_address.postal_code')} label={t('address.postalCode')} autocomplete="postal-code" class="input-short" required />
            <TextField {...f.field('postal_address.city')} label={t('address.city')} autocomplete="address-level2" required />
          </div>
          <TextField
            {...f.field('postal_address.country')}
            label={t('address.country')}
            hint={t('address.countryHint')}
            autocomplete="country"
            maxLength={2}
            class="input-short"
            required
          />
          <div class="button-row">
            <SubmitButton busy={f.busy} busyLabel={t('common.busy')}>
              {t('common.save')}
            </SubmitButton>
            <button type="button" class="btn btn-secondary" onClick={() => setEditing(false)}>
              {t('common.cancel')}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}

function ContactSection({ org, save }: { org: Organisation; save: Save }) {
  const [editing, setEditing] = useState(false);
  const [saved, setSaved] = useState(false);
  const c = org.contact_person;
  const initial = {
    'contact_person.name': c?.name ?? '',
    'contact_person.email': c?.email ?? '',
    'contact_person.phone': c?.phone ?? '',
  };
  const f = useForm(initial);
  return (
    <section class="card" aria-labelledby="contact-title">
      <h2 id="contact-title">{t('org.contactPerson')}</h2>
      <Notice>{saved ? t('common.saved') : null}</Notice>
      {!editing ? (
        <>
          {c ? (
            <dl class="facts">
              <dt>{t('common.name')}</dt>
              <dd>{c.name}</dd>
              <dt>{t('common.email')}</dt>
              <dd>{c.email ? <a href={`mailto:${c.email}`}>{c.email}</a> : '–'}</dd>
              <dt>{t('common.phone')}</dt>
              <dd>{c.phone || '–'}</dd>
            </dl>
          ) : (
            <p class="muted">{t('org.noContact')}</p>
          )}
          <button type="button" class="btn btn-secondary" onClick={() => { f.reset(initial); setSaved(false); setEditing(true); }}>
            {t('common.edit')}
          </button>
        </>
      ) : (
        <form
          ref={f.formRef}
          noValidate
          onSubmit={f.submit(
            (v) => [
              ['contact_person.name', v['contact_person.name'].trim() === '', t('validation.required')],
              ['contact_person.email', !isEmail(v['contact_person.email']), t('validation.email')],
            ],
            async (v) => {
              await save({
                contact_person: {
                  name: v['contact_person.name'].trim(),
                  email: v['contact_person.email'].trim(),
                  phone: v['contact_person.phone'].trim(),
                },
              });
              setEditing(false);
              setSaved(true);
            },
          )}
        >
          <ErrorAlert messages={f.errors.general} />
          <TextField {...f.field('contact_person.name')} label={t('common.name')} autocomplete="name" required />
          <TextField {...f.field('contact_person.email')} type="email" label={t('common.email')} autocomplete="email" required />
          <TextField {...f.field('contact_person.phone')} type="tel" label={t('common.phone')} autocomplete="tel" />
          <div class="button-row">
            <SubmitButton busy={f.busy} busyLabel={t('common.busy')}>
              {t('common.save')}
            </SubmitButton>
            <button type="button" class="btn btn-secondary" onClick={() => setEditing(false)}>
              {t('common.cancel')}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}

export function OrganisationPage() {
  const [org, setOrg] = useState<Organisation | null>(null);
  const [etag, setEtag] = useState<string | null>(null);
  const [loadError, setLoadError] = useState<string[]>([]);
  const [conflict, setConflict] = useState(false);

  const load = async () => {
    try {
      const r = await organisationApi.get();
      setOrg(r.data);
      setEtag(r.etag);
      setLoadError([]);
    } catch (e) {
      setLoadError(problemToFormErrors(e).general);
    }
  };
  useEffect(() => {
    void load();
  }, []);

  const save: Save = async (patch) => {
    setConflict(false);
    try {
      const r = await organisationApi.patch(patch, etag);
      if (r.data && typeof r.data === 'object' && 'id' in r.data) {
        setOrg(r.data);
        setEtag(r.etag);
      } else {
        await load();
      }
    } catch (e) {
      if (e instanceof ApiError && e.status === 412) {
        // Someone else changed the organisation meanwhile: show theirs, keep the form open.
        setConflict(true);
        void load();
      }
      throw e;
    }
  };

  if (!org) {
    return (
      <Page title={t('org.title')}>
        {loadError.length ? <ErrorAlert messages={loadError} /> : <Loading />}
      </Page>
    );
  }

  return (
    <Page title={t('org.title')} wide intro={<p class="org-title-name">{org.name}</p>}>
      {conflict && (
        <div class="alert alert-info" role="status">
          <p>{t('org.conflict')}</p>
        </div>
      )}
      <div class="sections">
        <section class="card" aria-labelledby="company-title">
          <h2 id="company-title">{t('org.company')}</h2>
          <dl class="facts">
            <dt>{t('org.name')}</dt>
            <dd>{org.name}</dd>
            {org.registration_number && (
              <>
                <dt>{t('org.registrationNumber')}</dt>
                <dd>{org.registration_number}</dd>
              </>
            )}
            <dt>{t('org.visitingAddress')}</dt>
            <dd>
              <AddressLines address={org.visiting_address} />
            </dd>
            <dt>{t('org.notificationEmail')}</dt>
            <dd>{org.notification_email || '–'}</dd>
          </dl>
          <p class="hint">{t('org.otherChanges')}</p>
        </section>

        <section class="card" aria-labelledby="admins-title">
          <h2 id="admins-title">{t('org.administrators')}</h2>
          <p>{t('org.administratorsIntro')}</p>
          {org.administrators.length ? (
            <ul class="people">
              {org.administrators.map((p) => (
                <li key={p.id}>
                  <span class="person-name">{`${p.first_name} ${p.last_name}`.trim()}</span>
                  {p.email && <a href={`mailto:${p.email}`}>{p.email}</a>}
                </li>
              ))}
            </ul>
          ) : (
            <p class="muted">{t('org.noAdministrators')}</p>
          )}
        </section>

        <PostalAddressSection org={org} save={save} />
        <ContactSection org={org} save={save} />

        <section class="card" aria-labelledby="advisor-title">
          <h2 id="advisor-title">{t('org.advisor')}</h2>
          {org.advisor ? (
            <dl class="facts">
              <dt>{t('common.name')}</dt>
              <dd>{org.advisor.name}</dd>
              {org.advisor.email && (
                <>
                  <dt>{t('common.email')}</dt>
                  <dd>
                    <a href={`mailto:${org.advisor.email}`}>{org.advisor.email}</a>
                  </dd>
                </>
              )}
              {org.advisor.phone && (
                <>
                  <dt>{t('common.phone')}</dt>
                  <dd>{org.advisor.phone}</dd>
                </>
              )}
              {(org.advisor.visiting_address || org.advisor.postal_address) && (
                <>
                  <dt>{t('org.address')}</dt>
                  <dd>
                    <AddressLines address={org.advisor.visiting_address ?? org.advisor.postal_address} />
                  </dd>
                </>
              )}
            </dl>
          ) : (
            <p class="muted">{t('org.noAdvisor')}</p>
          )}
          <p class="hint">{t('org.advisorChanges')}</p>
        </section>
      </div>
    </Page>
  );
}
