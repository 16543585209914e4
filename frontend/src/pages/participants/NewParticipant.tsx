// Nieuwe deelnemer aanmelden: person, address and employment for one of the
// caller's schemes. The answer is active, or pending_review when the insurer
// checks it first (explained with the API's reasons).
import { useEffect, useRef, useState } from 'preact/hooks';
import { participantsApi } from '../../api/endpoints';
import type { Participant } from '../../api/types';
import { ErrorAlert } from '../../components/Alert';
import { RadioGroup, SelectField, SubmitButton, TextField } from '../../components/Field';
import { Link } from '../../components/Link';
import { Page } from '../../components/Page';
import { addMonths, parseDateInput, todayAmsterdam } from '../../format/dates';
import { cleanBsn, isValidBsn, parseMoneyInput, parsePercentInput } from '../../format/numbers';
import { isEmail, type Check } from '../../forms/errors';
import { useForm } from '../../forms/useForm';
import { activeLanguage, fmt, t } from '../../i18n';
import { Loading } from '../Simple';
import { schemeLabel, useSchemes } from '../../lib/accounts';

const EMPTY = {
  scheme_id: '',
  participant_number: '',
  'person.first_name': '',
  'person.initials': '',
  'person.surname_prefix': '',
  'person.surname': '',
  'person.birth_date': '',
  'person.gender': 'unknown',
  'person.bsn': '',
  'person.email': '',
  'person.address.street': '',
  'person.address.house_number': '',
  'person.address.postal_code': '',
  'person.address.city': '',
  'person.address.country': 'NL',
  'employment.start_date': '',
  'employment.salary': '',
  'employment.parttime_percentage': '100',
};
type Values = typeof EMPTY;

export function registrationChecks(v: Values, lang: 'nl' | 'en', today: string): Check[] {
  const req = (x: string) => x.trim() === '';
  const start = parseDateInput(v['employment.start_date']);
  const anyAddress = ['street', 'house_number', 'postal_code', 'city'].some((k) => !req(v[`person.address.${k}` as keyof Values]));
  return [
    ['scheme_id', req(v.scheme_id), t('participants.chooseScheme')],
    ['person.first_name', req(v['person.first_name']) && req(v['person.initials']), t('participants.nameOrInitials')],
    ['person.surname', req(v['person.surname']), t('validation.required')],
    ['person.birth_date', parseDateInput(v['person.birth_date']) === null, t('validation.date')],
    ['person.bsn', !isValidBsn(v['person.bsn']), t('validation.bsn')],
    ['person.email', !req(v['person.email']) && !isEmail(v['person.email']), t('validation.email')],
    ...(['street', 'house_number', 'postal_code', 'city'] as const).map(
      (k): Check => [`person.address.${k}`, anyAddress && req(v[`person.address.${k}`]), t('validation.required')],
    ),
    ['employment.start_date', start === null, t('validation.date')],
    ['employment.start_date', start !== null && start > addMonths(today, 3), t('change.tooLate', { date: fmt.date(addMonths(today, 3)) })],
    ['employment.salary', parseMoneyInput(v['employment.salary'], lang) === null, t('validation.money')],
    ['employment.parttime_percentage', parsePercentInput(v['employment.parttime_percentage'], lang) === null, t('validation.percent')],
  ];
}

export function registrationBody(v: Values, lang: 'nl' | 'en'): Record<string, unknown> {
  const opt = (x: string) => (x.trim() ? x.trim() : undefined);
  const person: Record<string, unknown> = {
    first_name: opt(v['person.first_name']),
    initials: opt(v['person.initials']),
    surname_prefix: opt(v['person.surname_prefix']),
    surname: v['person.surname'].trim(),
    birth_date: parseDateInput(v['person.birth_date']),
    gender: v['person.gender'],
    bsn: cleanBsn(v['person.bsn']),
    email: opt(v['person.email']),
  };
  if (v['person.address.street'].trim()) {
    person.address = {
      street: v['person.address.street'].trim(),
      house_number: v['person.address.house_number'].trim(),
      postal_code: v['person.address.postal_code'].trim().toUpperCase(),
      city: v['person.address.city'].trim(),
      country: (v['person.address.country'].trim() || 'NL').toUpperCase(),
    };
  }
  return {
    scheme_id: v.scheme_id,
    participant_number: opt(v.participant_number),
    person,
    employment: {
      start_date: parseDateInput(v['employment.start_date']),
      salary: parseMoneyInput(v['employment.salary'], lang),
      parttime_percentage: parsePercentInput(v['employment.parttime_percentage'], lang),
    },
  };
}

function Outcome({ p, onAnother }: { p: Participant; onAnother: () => void }) {
  const pending = p.status === 'pending_review';
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => ref.current?.focus(), [p.id]);
  return (
    <section class="card" aria-labelledby="outcome-title">
      <h2 id="outcome-title" tabIndex={-1} ref={ref}>
        {pending ? t('register.pendingTitle') : t('register.doneTitle')}
      </h2>
      <p>{t(pending ? 'register.pending' : 'register.done', { name: p.display_name, number: p.participant_number })}</p>
      {pending && p.registration?.review_reasons.length ? (
        <ul>
          {p.registration.review_reasons.map((r) => (
            <li key={r.id}>{r.message}</li>
          ))}
        </ul>
      ) : null}
      {p.rehired && <p>{t('register.rehired')}</p>}
      <div class="button-row">
        <Link href={`/participants/${p.id}`} class="btn btn-primary">
          {t('register.toParticipant')}
        </Link>
        <button type="button" class="btn btn-secondary" onClick={onAnother}>
          {t('register.another')}
        </button>
      </div>
    </section>
  );
}

export function NewParticipantPage() {
  const { schemes } = useSchemes();
  const f = useForm<Values>(EMPTY);
  const [done, setDone] = useState<Participant | null>(null);
  const lang = activeLanguage();

  if (schemes === null) return <Page title={t('nav.participantNew')}><Loading /></Page>;
  const scheme = f.values.scheme_id || (schemes.length === 1 ? schemes[0]!.id : '');
  const values = { ...f.values, scheme_id: scheme };
  const field = (name: keyof Values, label: string, extra: Record<string, unknown> = {}) => ({
    ...f.field(name),
    label,
    value: values[name],
    autocomplete: 'off',
    ...extra,
  });

  // The checks and the request see the scheme chosen by default when there is only one.
  const submit = f.submit(
    () => registrationChecks(values, lang, todayAmsterdam()),
    async () => {
      const r = await participantsApi.create(registrationBody(values, lang));
      setDone(r.data);
    },
  );

  return (
    <Page title={t('nav.participantNew')} wide intro={<p>{t('register.intro')}</p>}>
      {done ? (
        <Outcome
          p={done}
          onAnother={() => {
            setDone(null);
            f.reset({ ...EMPTY, scheme_id: f.values.scheme_id });
          }}
        />
      ) : (
        <form ref={f.formRef} class="user-form" noValidate onSubmit={submit}>
          <ErrorAlert messages={f.errors.general} />
          <section class="card" aria-labelledby="reg-scheme-title">
            <h2 id="reg-scheme-title">{t('participants.scheme')}</h2>
            {schemes.length > 1 ? (
              <SelectField
                name="scheme_id"
                label={t('participants.scheme')}
                value={scheme}
                onValue={f.set('scheme_id')}
                options={[{ value: '', label: t('participants.chooseScheme') }, ...schemes.map((s) => ({ value: s.id, label: schemeLabel(s) }))]}
                error={f.errors.fields.scheme_id}
              />
            ) : (
              <p>{schemes[0] ? schemeLabel(schemes[0]) : t('schemes.none')}</p>
            )}
            <TextField {...field('participant_number', t('register.number'))} hint={t('register.numberHint')} class="input-medium" />
          </section>
          <section class="card" aria-labelledby="reg-person-title">
            <h2 id="reg-person-title">{t('participants.person')}</h2>
            <div class="field-row">
              <TextField {...field('person.first_name', t('profile.firstName'))} />
              <TextField {...field('person.initials', t('register.initials'))} hint={t('register.initialsHint')} class="input-short" />
            </div>
            <div class="field-row">
              <TextField {...field('person.surname_prefix', t('register.prefix'))} hint={t('register.prefixHint')} class="input-short" />
              <TextField {...field('person.surname', t('profile.lastName'))} required />
            </div>
            <div class="field-row">
              <TextField {...field('person.birth_date', t('participants.birthDate'))} hint={t('date.hint')} inputMode="numeric" class="input-short" required />
              <TextField {...field('person.bsn', t('participants.bsn'))} hint={t('participants.bsnHint')} inputMode="numeric" class="input-medium" required />
            </div>
            <RadioGroup
              name="person.gender"
              legend={t('participants.gender')}
              value={values['person.gender']}
              onValue={f.set('person.gender')}
              options={(['female', 'male', 'unknown'] as const).map((g) => ({ value: g, label: t(`participants.gender.${g}`) }))}
            />
            <TextField {...field('person.email', t('register.emailOptional'))} type="email" />
          </section>
          <section class="card" aria-labelledby="reg-address-title">
            <h2 id="reg-address-title">{t('register.address')}</h2>
            <div class="field-row">
              <TextField {...field('person.address.street', t('address.street'))} />
              <TextField {...field('person.address.house_number', t('address.houseNumber'))} class="input-short" />
            </div>
            <div class="field-row">
              <TextField {...field('person.address.postal_code', t('address.postalCode'))} class="input-short" />
              <TextField {...field('person.address.city', t('address.city'))} />
              <TextField {...field('person.address.country', t('address.country'))} maxLength={2} class="input-short" />
            </div>
          </section>
          <section class="card" aria-labelledby="reg-employment-title">
            <h2 id="reg-employment-title">{t('participants.employment')}</h2>
            <div class="field-row">
              <TextField {...field('employment.start_date', t('participants.start'))} hint={t('date.hint')} inputMode="numeric" class="input-short" required />
              <TextField {...field('employment.salary', t('register.salary'))} hint={t('register.salaryHint')} inputMode="decimal" class="input-medium" required />
              <TextField {...field('employment.parttime_percentage', t('participants.parttime'))} inputMode="decimal" class="input-short" required />
            </div>
          </section>
          <div class="button-row form-actions">
            <SubmitButton busy={f.busy} busyLabel={t('common.busy')}>
              {t('register.submit')}
            </SubmitButton>
            <Link href="/participants" class="btn btn-secondary">
              {t('common.cancel')}
            </Link>
          </div>
        </form>
      )}
    </Page>
  );
}
