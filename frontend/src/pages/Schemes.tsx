// Regelingen: the employer's pension and income schemes with their details
// and coverages (GET /schemes, /schemes/{id}); staff also create them and
// change their basic data (SchemeForm).
import { Fragment } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ApiError } from '../api/client';
import { schemesApi } from '../api/endpoints';
import type { Scheme, SchemeCreate, SchemeKind } from '../api/types';
import { ErrorAlert } from '../components/Alert';
import { RadioGroup, SelectField, SubmitButton, TextField } from '../components/Field';
import { Link } from '../components/Link';
import { Page } from '../components/Page';
import { parseDateInput } from '../format/dates';
import { problemToFormErrors } from '../forms/errors';
import { useForm } from '../forms/useForm';
import { activeLanguage, fmt, hasMessage, t, type MessageKey } from '../i18n';
import { useSchemes } from '../lib/accounts';
import { PayrollPeriodsSection } from './PayrollPeriods';
import { Loading } from './Simple';

export function kindLabel(kind: SchemeKind): string {
  return t(kind === 'pension' ? 'schemes.kind.pension' : 'schemes.kind.income');
}

function codeLabel(prefix: string, value: string | null): string {
  if (!value) return '–';
  const key = `${prefix}.${value}`;
  return hasMessage(key) ? t(key as MessageKey) : value;
}

export function SchemesPage() {
  const { schemes } = useSchemes();
  return (
    <Page title={t('schemes.title')} wide intro={<p>{t('schemes.intro')}</p>}>
      {schemes === null ? (
        <Loading />
      ) : schemes.length === 0 ? (
        <p class="muted">{t('schemes.none')}</p>
      ) : (
        <SchemeTable schemes={schemes} path={(s) => `/schemes/${s.id}`} />
      )}
    </Page>
  );
}

export function SchemeTable({ schemes, path }: { schemes: Scheme[]; path: (s: Scheme) => string }) {
  return (
    <div class="table-wrap">
      <table class="data-table">
        <caption class="sr-only">{t('schemes.title')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('schemes.name')}</th>
            <th scope="col">{t('schemes.number')}</th>
            <th scope="col">{t('schemes.kind')}</th>
            <th scope="col">{t('schemes.startDate')}</th>
          </tr>
        </thead>
        <tbody>
          {schemes.map((s) => (
            <tr key={s.id}>
              <th scope="row" data-label={t('schemes.name')}>
                <Link href={path(s)}>{s.name}</Link>
              </th>
              <td data-label={t('schemes.number')}>{s.number}</td>
              <td data-label={t('schemes.kind')}>{kindLabel(s.kind)}</td>
              <td data-label={t('schemes.startDate')}>{fmt.date(s.start_date)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Values({ value }: { value: unknown }) {
  if (value === null || value === undefined || value === '') return <>–</>;
  if (typeof value === 'boolean') return <>{t(value ? 'common.yes' : 'common.no')}</>;
  if (typeof value !== 'object') return <>{String(value)}</>;
  return (
    <dl class="facts facts-nested">
      {Object.entries(value as Record<string, unknown>).map(([k, v]) => (
        <Fragment key={k}>
          <dt>{k.replace(/_/g, ' ')}</dt>
          <dd>
            <Values value={v} />
          </dd>
        </Fragment>
      ))}
    </dl>
  );
}

export function SchemeDetails({ scheme }: { scheme: Scheme }) {
  return (
    <div class="sections">
      <section class="card" aria-labelledby="scheme-data-title">
        <h2 id="scheme-data-title">{t('schemes.details')}</h2>
        <dl class="facts">
          <dt>{t('schemes.number')}</dt>
          <dd>{scheme.number}</dd>
          <dt>{t('schemes.kind')}</dt>
          <dd>{kindLabel(scheme.kind)}</dd>
          <dt>{t('schemes.startDate')}</dt>
          <dd>{fmt.date(scheme.start_date)}</dd>
          {scheme.kind === 'income' && (
            <>
              <dt>{t('schemes.variant')}</dt>
              <dd>{codeLabel('schemes.variant', scheme.variant)}</dd>
              <dt>{t('schemes.wageType')}</dt>
              <dd>{codeLabel('schemes.wage', scheme.insured_wage_type)}</dd>
            </>
          )}
        </dl>
      </section>
      <section class="card" aria-labelledby="scheme-cov-title">
        <h2 id="scheme-cov-title">{t('schemes.coverages')}</h2>
        {scheme.coverages.length === 0 ? (
          <p class="muted">{t('schemes.noCoverages')}</p>
        ) : (
          <ul class="coverages">
            {scheme.coverages.map((c, i) => (
              <li key={i}>
                <h3>{c.name}</h3>
                {c.description && <p>{c.description}</p>}
                {c.figures && Object.keys(c.figures).length > 0 && <Values value={c.figures} />}
              </li>
            ))}
          </ul>
        )}
      </section>
      {scheme.premium && Object.keys(scheme.premium).length > 0 && (
        <section class="card" aria-labelledby="scheme-premium-title">
          <h2 id="scheme-premium-title">{t('schemes.premium')}</h2>
          <Values value={scheme.premium} />
        </section>
      )}
    </div>
  );
}

/** editable: staff, who come from (and go back to) the employer's organisation screen. */
export function SchemePage({ id, editable = false }: { id: string; editable?: boolean }) {
  const [scheme, setScheme] = useState<Scheme | null>(null);
  const [etag, setEtag] = useState<string | null>(null);
  const [errors, setErrors] = useState<string[]>([]);
  const [editing, setEditing] = useState(false);
  useEffect(() => {
    schemesApi
      .get(id)
      .then((r) => {
        setScheme(r.data);
        setEtag(r.etag);
      })
      .catch((e) => setErrors(problemToFormErrors(e).general));
  }, [id]);
  if (!scheme) return <Page title={t('schemes.title')}>{errors.length ? <ErrorAlert messages={errors} /> : <Loading />}</Page>;
  const backPath = editable ? `/staff/organisations/${scheme.organisation_id}` : '/schemes';
  return (
    <Page
      title={scheme.name}
      wide
      intro={
        <p>
          <Link href={backPath}>{t('common.back')}</Link>
        </p>
      }
    >
      {editable && !editing && (
        <p>
          <button type="button" class="btn btn-secondary" onClick={() => setEditing(true)}>
            {t('common.edit')}
          </button>
        </p>
      )}
      {editing ? (
        <section class="card">
          <SchemeForm
            organisationId={scheme.organisation_id}
            scheme={scheme}
            etag={etag}
            onSaved={(s, tag) => {
              setScheme(s);
              setEtag(tag);
              setEditing(false);
            }}
            onCancel={() => setEditing(false)}
          />
        </section>
      ) : (
        <SchemeDetails scheme={scheme} />
      )}
      <PayrollPeriodsSection schemeId={scheme.id} lang={activeLanguage()} />
    </Page>
  );
}

/** Staff: a new scheme for an employer, or the basic data of an existing one. */
export function SchemeForm({
  organisationId,
  scheme,
  etag,
  onSaved,
  onCancel,
}: {
  organisationId: string;
  scheme?: Scheme;
  etag?: string | null;
  onSaved: (s: Scheme, etag: string | null) => void;
  onCancel?: () => void;
}) {
  const f = useForm({
    name: scheme?.name ?? '',
    number: scheme?.number ?? '',
    kind: (scheme?.kind ?? 'pension') as SchemeKind,
    start_date: scheme ? fmt.date(scheme.start_date) : '',
    variant: scheme?.variant ?? 'stop_loss',
    insured_wage_type: scheme?.insured_wage_type ?? 'uniform_wage',
  });
  const v = f.values;

  const submit = f.submit(
    (v) => [
      ['name', !v.name.trim(), t('validation.required')],
      ['number', !v.number.trim(), t('validation.required')],
      ['start_date', parseDateInput(v.start_date) === null, t('validation.date')],
    ],
    async (v) => {
      const body: SchemeCreate = {
        organisation_id: organisationId,
        name: v.name.trim(),
        number: v.number.trim(),
        kind: v.kind,
        start_date: parseDateInput(v.start_date)!,
        ...(v.kind === 'income' ? { variant: v.variant, insured_wage_type: v.insured_wage_type } : {}),
      };
      if (scheme) {
        const { organisation_id: _o, kind: _k, ...patch } = body;
        const r = await schemesApi.patch(scheme.id, patch, etag ?? null);
        onSaved(r.data, r.etag);
      } else {
        const r = await schemesApi.create(body);
        onSaved(r.data, r.etag);
      }
    },
    {
      onError: (err, fe) => (err instanceof ApiError && err.status === 412 ? { ...fe, general: [t('users.conflict'), ...fe.general] } : fe),
    },
  );

  return (
    <form ref={f.formRef} noValidate onSubmit={submit}>
      <ErrorAlert messages={f.errors.general} />
      <TextField {...f.field('name')} label={t('schemes.name')} required />
      <div class="field-row">
        <TextField {...f.field('number')} label={t('schemes.number')} class="input-short" required />
        <TextField {...f.field('start_date')} label={t('schemes.startDate')} hint={t('date.hint')} inputMode="numeric" class="input-short" required />
      </div>
      {!scheme && (
        <RadioGroup
          name="kind"
          legend={t('schemes.kind')}
          value={v.kind}
          onValue={f.set('kind')}
          options={[
            { value: 'pension', label: t('schemes.kind.pension') },
            { value: 'income', label: t('schemes.kind.income') },
          ]}
          error={f.errors.fields.kind}
        />
      )}
      {v.kind === 'income' && (
        <div class="field-row">
          <SelectField
            name="variant"
            label={t('schemes.variant')}
            value={v.variant}
            onValue={f.set('variant')}
            options={(['stop_loss', 'no_claim'] as const).map((x) => ({ value: x, label: codeLabel('schemes.variant', x) }))}
            error={f.errors.fields.variant}
          />
          <SelectField
            name="insured_wage_type"
            label={t('schemes.wageType')}
            value={v.insured_wage_type}
            onValue={f.set('insured_wage_type')}
            options={(['uniform_wage', 'uniform_wage_excl_car', 'pensionable_salary'] as const).map((x) => ({ value: x, label: codeLabel('schemes.wage', x) }))}
            error={f.errors.fields.insured_wage_type}
          />
        </div>
      )}
      <div class="button-row">
        <SubmitButton busy={f.busy} busyLabel={t('common.busy')}>
          {scheme ? t('common.save') : t('schemes.add')}
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
