// Staff: every employer's reconciliations, filtered by year, status and
// "deadline passed" (open ones past their deadline are the employers that
// have not handed in), and the form that opens one for an income scheme.
// One scheme at a time (POST /reconciliations with a scheme_id), or a year
// for every income scheme of every employer at once (POST
// /reconciliations/bulk), which answers what it opened and what it skipped
// and why; the screen shows both.
import { useEffect, useState } from 'preact/hooks';
import { allPages, organisationsApi, reconciliationsApi, schemesApi } from '../../api/endpoints';
import type { OrganisationSummary, ReconciliationBulkResult, ReconciliationStatus, Scheme } from '../../api/types';
import { ErrorAlert, Notice } from '../../components/Alert';
import { DataTable } from '../../components/DataTable';
import { CheckboxField, SelectField, SubmitButton, TextField } from '../../components/Field';
import { Link } from '../../components/Link';
import { Page } from '../../components/Page';
import { Pager } from '../../components/Pager';
import { parseDateInput, todayAmsterdam } from '../../format/dates';
import { parseMoneyInput, parsePercentInput } from '../../format/numbers';
import type { Check } from '../../forms/errors';
import { useForm } from '../../forms/useForm';
import { activeLanguage, fmt, t, type MessageKey } from '../../i18n';
import { usePaged } from '../../lib/usePaged';
import { navigate } from '../../router';
import { ReconStatusBadge, STATUS_LABEL } from './shared';

export function StaffReconciliationsPage() {
  const [year, setYear] = useState('');
  const [status, setStatus] = useState<ReconciliationStatus | ''>('');
  const [late, setLate] = useState(false);
  const [creating, setCreating] = useState<'one' | 'all' | null>(null);
  const today = todayAmsterdam();
  const y = /^\d{4}$/.test(year) ? year : '';
  const list = usePagedRecon(y, status, late ? today : '');
  return (
    <Page title={t('nav.staffReconciliations')} wide intro={<p>{t('recon.staff.intro')}</p>}>
      {creating === null && (
        <p class="button-row">
          <button type="button" class="btn btn-primary" onClick={() => setCreating('one')}>
            {t('recon.open.title')}
          </button>
          <button type="button" class="btn btn-secondary" onClick={() => setCreating('all')}>
            {t('recon.bulk.title')}
          </button>
        </p>
      )}
      {creating === 'one' && <OpenForm onCancel={() => setCreating(null)} />}
      {creating === 'all' && <BulkOpenForm onClose={() => setCreating(null)} onOpened={list.reload} />}
      <section class="card" aria-labelledby="recon-staff-list">
        <h2 id="recon-staff-list">{t('recon.staff.list')}</h2>
        <div class="field-row recon-filters">
          <TextField name="filter_year" label={t('recon.year')} value={year} onValue={setYear} inputMode="numeric" class="input-short" />
          <SelectField
            name="filter_status"
            label={t('common.status')}
            value={status}
            onValue={setStatus}
            options={[{ value: '' as const, label: t('recon.staff.allStatuses') }, ...(['open', 'submitted', 'processed'] as const).map((s) => ({ value: s, label: t(STATUS_LABEL[s]) }))]}
          />
          <CheckboxField name="filter_late" label={t('recon.staff.late')} checked={late} onChange={setLate} />
        </div>
        <ErrorAlert messages={list.errors} />
        <DataTable
          caption={t('recon.staff.list')}
          columns={[t('recon.organisation'), t('recon.scheme'), t('recon.year'), t('recon.deadline'), t('common.status')]}
          loading={list.loading}
          count={list.items.length}
          empty={t('recon.list.none')}
        >
          {list.items.map((r) => (
            <tr key={r.id} data-recon-id={r.id}>
              <th scope="row" data-label={t('recon.organisation')}>
                <Link href={`/staff/reconciliations/${r.id}`}>{r.organisation_name}</Link>
              </th>
              <td data-label={t('recon.scheme')}>
                {r.scheme_name} ({r.scheme_number})
              </td>
              <td data-label={t('recon.year')}>{r.year}</td>
              <td data-label={t('recon.deadline')}>
                {fmt.date(r.deadline)}
                {r.status === 'open' && r.deadline < today && <span class="cell-note recon-warning">{t('recon.staff.overdue')}</span>}
              </td>
              <td data-label={t('common.status')}>
                <ReconStatusBadge status={r.status} />
              </td>
            </tr>
          ))}
        </DataTable>
        <Pager list={list} label={t('recon.list.pages')} />
      </section>
    </Page>
  );
}

function usePagedRecon(year: string, status: ReconciliationStatus | '', before: string) {
  return usePaged(
    (cursor) => reconciliationsApi.list({ year, status, deadline_before: before, cursor, limit: 25 }),
    `staff-recon-${year}-${status}-${before}`,
  );
}


const OPEN_FIELDS = [
  'organisation_id',
  'scheme_id',
  'year',
  'deadline',
  'premium_rate',
  'provisional_premium',
  'wage_cap',
  'own_risk_percentage',
  'own_risk_amount',
  'continued_pay_percentage',
  'maximum_reimbursement',
];

function OpenForm({ onCancel }: { onCancel: () => void }) {
  const lang = activeLanguage();
  const [orgs, setOrgs] = useState<OrganisationSummary[] | null>(null);
  const [schemes, setSchemes] = useState<Scheme[]>([]);
  const [done, setDone] = useState<string | null>(null);
  const f = useForm(
    {
      organisation_id: '',
      scheme_id: '',
      year: String(Number(todayAmsterdam().slice(0, 4)) - 1),
      deadline: '',
      premium_rate: '',
      provisional_premium: '',
      wage_cap: '',
      own_risk_kind: 'percentage' as 'percentage' | 'amount',
      own_risk: '',
      continued_pay_percentage: '',
      maximum_reimbursement: '',
      ask_payroll_summary: false,
      ask_absence_report: false,
    },
    { fields: [...OPEN_FIELDS, 'own_risk', 'evidence_requested'], aliases: { own_risk_percentage: 'own_risk', own_risk_amount: 'own_risk' } },
  );
  const v = f.values;
  useEffect(() => {
    allPages((cursor) => organisationsApi.list({ kind: 'employer', cursor, limit: 200 }))
      .then(setOrgs)
      .catch((e) => f.showProblem(e));
  }, []);
  useEffect(() => {
    setSchemes([]);
    if (!v.organisation_id) return;
    allPages((cursor) => schemesApi.list({ organisation_id: v.organisation_id, kind: 'income', cursor, limit: 200 }))
      .then((items) => setSchemes(items.filter((s) => s.kind === 'income')))
      .catch((e) => f.showProblem(e));
  }, [v.organisation_id]);
  const scheme = schemes.find((s) => s.id === v.scheme_id);
  const stopLoss = scheme?.variant === 'stop_loss';
  const money = (s: string) => parseMoneyInput(s, lang);
  const pct = (s: string) => parsePercentInput(s, lang);

  const submit = f.submit(
    (v): Check[] => [
      ['organisation_id', !v.organisation_id, t('recon.open.chooseOrganisation')],
      ['scheme_id', !v.scheme_id, t('recon.open.chooseScheme')],
      ['year', !/^\d{4}$/.test(v.year), t('recon.open.yearInvalid')],
      ['deadline', parseDateInput(v.deadline) === null, t('validation.date')],
      ['premium_rate', pct(v.premium_rate) === null, t('validation.percent')],
      ['provisional_premium', money(v.provisional_premium) === null, t('validation.money')],
      ['wage_cap', v.wage_cap.trim() !== '' && money(v.wage_cap) === null, t('validation.money')],
      ...(stopLoss
        ? ([
            ['own_risk', (v.own_risk_kind === 'percentage' ? pct(v.own_risk) : money(v.own_risk)) === null, t(v.own_risk_kind === 'percentage' ? 'validation.percent' : 'validation.money')],
            ['continued_pay_percentage', pct(v.continued_pay_percentage) === null, t('validation.percent')],
            ['maximum_reimbursement', money(v.maximum_reimbursement) === null, t('validation.money')],
          ] as Check[])
        : []),
    ],
    async (v) => {
      const r = await reconciliationsApi.create({
        scheme_id: v.scheme_id,
        year: Number(v.year),
        deadline: parseDateInput(v.deadline)!,
        premium_rate: pct(v.premium_rate)!,
        provisional_premium: money(v.provisional_premium)!,
        ...(v.wage_cap.trim() ? { wage_cap: money(v.wage_cap)! } : {}),
        ...(stopLoss
          ? {
              ...(v.own_risk_kind === 'percentage' ? { own_risk_percentage: pct(v.own_risk)! } : { own_risk_amount: money(v.own_risk)! }),
              continued_pay_percentage: pct(v.continued_pay_percentage)!,
              maximum_reimbursement: money(v.maximum_reimbursement)!,
            }
          : {}),
        ...(v.ask_payroll_summary || v.ask_absence_report
          ? {
              evidence_requested: [
                ...(v.ask_payroll_summary ? (['payroll_summary'] as const) : []),
                ...(v.ask_absence_report ? (['absence_report'] as const) : []),
              ],
            }
          : {}),
      });
      setDone(r.data.id);
      navigate(`/staff/reconciliations/${r.data.id}`);
    },
  );

  return (
    <section class="card" aria-labelledby="recon-open-title">
      <h2 id="recon-open-title">{t('recon.open.title')}</h2>
      <p>{t('recon.open.intro')}</p>
      <Notice>{done ? t('recon.open.done') : null}</Notice>
      <form ref={f.formRef} noValidate onSubmit={submit}>
        <ErrorAlert messages={f.errors.general} />
        <div class="field-row">
          <SelectField
            name="organisation_id"
            label={t('recon.organisation')}
            value={v.organisation_id}
            onValue={(x) => f.setValues((old) => ({ ...old, organisation_id: x, scheme_id: '' }))}
            options={[{ value: '', label: orgs === null ? t('common.loading') : t('recon.choose') }, ...(orgs ?? []).map((o) => ({ value: o.id, label: o.name }))]}
            error={f.errors.fields.organisation_id}
          />
          <SelectField
            name="scheme_id"
            label={t('recon.open.scheme')}
            value={v.scheme_id}
            onValue={f.set('scheme_id')}
            options={[{ value: '', label: t('recon.choose') }, ...schemes.map((s) => ({ value: s.id, label: `${s.name} (${s.number})` }))]}
            error={f.errors.fields.scheme_id}
          />
        </div>
        {scheme && <p class="hint">{t(stopLoss ? 'recon.variant.stop_loss' : 'recon.variant.no_claim')}</p>}
        <div class="field-row">
          <TextField {...f.field('year')} label={t('recon.year')} inputMode="numeric" class="input-short" required />
          <TextField {...f.field('deadline')} label={t('recon.deadline')} hint={t('date.hint')} inputMode="numeric" class="input-short" required />
        </div>
        <div class="field-row">
          <TextField {...f.field('premium_rate')} label={t('recon.open.premiumRate')} inputMode="decimal" class="input-short" required />
          <TextField {...f.field('provisional_premium')} label={t('recon.open.provisionalPremium')} inputMode="decimal" class="input-medium" required />
          <TextField {...f.field('wage_cap')} label={t('recon.open.wageCap')} hint={t('recon.open.wageCapHint')} inputMode="decimal" class="input-medium" />
        </div>
        {stopLoss && (
          <fieldset>
            <legend>{t('recon.variant.stop_loss')}</legend>
            <div class="field-row">
              <SelectField
                name="own_risk_kind"
                label={t('recon.open.ownRiskKind')}
                value={v.own_risk_kind}
                onValue={f.set('own_risk_kind')}
                options={[
                  { value: 'percentage' as const, label: t('recon.open.ownRiskPercentage') },
                  { value: 'amount' as const, label: t('recon.open.ownRiskAmount') },
                ]}
              />
              <TextField {...f.field('own_risk')} label={t('recon.open.ownRisk')} inputMode="decimal" class="input-medium" required />
            </div>
            <div class="field-row">
              <TextField {...f.field('continued_pay_percentage')} label={t('recon.open.continuedPay')} inputMode="decimal" class="input-short" required />
              <TextField {...f.field('maximum_reimbursement')} label={t('recon.open.maxReimbursement')} inputMode="decimal" class="input-medium" required />
            </div>
          </fieldset>
        )}
        <fieldset>
          <legend>{t('recon.open.askEvidence')}</legend>
          {f.errors.fields.evidence_requested && <p class="field-error">{f.errors.fields.evidence_requested}</p>}
          <CheckboxField name="ask_payroll_summary" label={t('recon.evidence.payrollSummary')} checked={v.ask_payroll_summary} onChange={f.set('ask_payroll_summary')} />
          <CheckboxField name="ask_absence_report" label={t('recon.evidence.absenceReport')} checked={v.ask_absence_report} onChange={f.set('ask_absence_report')} />
        </fieldset>
        <div class="button-row">
          <SubmitButton busy={f.busy} busyLabel={t('common.busy')}>
            {t('recon.open.submit')}
          </SubmitButton>
          <button type="button" class="btn btn-secondary" onClick={onCancel}>
            {t('common.cancel')}
          </button>
        </div>
      </form>
    </section>
  );
}

const SKIP_REASON: Record<ReconciliationBulkResult['skipped'][number]['reason'], MessageKey> = {
  exists: 'recon.bulk.reason.exists',
  not_started: 'recon.bulk.reason.not_started',
  variant_missing: 'recon.bulk.reason.variant_missing',
};

/** At most this many skipped schemes are looked up by name; the rest show their id. */
const SKIPPED_NAMES_MAX = 50;

/**
 * Opens a year for every income scheme (staff). The parameters apply to all
 * schemes; the stop-loss terms only to stop-loss schemes (the API ignores
 * them for no-claim). All or nothing: a wrong parameter opens none.
 */
function BulkOpenForm({ onClose, onOpened }: { onClose: () => void; onOpened: () => void }) {
  const lang = activeLanguage();
  const [result, setResult] = useState<ReconciliationBulkResult | null>(null);
  const [names, setNames] = useState<Record<string, string>>({});
  const f = useForm(
    {
      year: String(Number(todayAmsterdam().slice(0, 4)) - 1),
      deadline: '',
      premium_rate: '',
      provisional_premium: '',
      wage_cap: '',
      own_risk_kind: 'percentage' as 'percentage' | 'amount',
      own_risk: '',
      continued_pay_percentage: '',
      maximum_reimbursement: '',
    },
    {
      fields: ['year', 'deadline', 'premium_rate', 'provisional_premium', 'wage_cap', 'own_risk', 'continued_pay_percentage', 'maximum_reimbursement'],
      aliases: { own_risk_percentage: 'own_risk', own_risk_amount: 'own_risk' },
    },
  );
  const v = f.values;
  const money = (s: string) => parseMoneyInput(s, lang);
  const pct = (s: string) => parsePercentInput(s, lang);
  const optional = (s: string, parse: (s: string) => string | null) => s.trim() !== '' && parse(s) === null;
  const submit = f.submit(
    (v): Check[] => [
      ['year', !/^\d{4}$/.test(v.year), t('recon.open.yearInvalid')],
      ['deadline', parseDateInput(v.deadline) === null, t('validation.date')],
      ['premium_rate', pct(v.premium_rate) === null, t('validation.percent')],
      ['provisional_premium', money(v.provisional_premium) === null, t('validation.money')],
      ['wage_cap', optional(v.wage_cap, money), t('validation.money')],
      ['own_risk', optional(v.own_risk, v.own_risk_kind === 'percentage' ? pct : money), t(v.own_risk_kind === 'percentage' ? 'validation.percent' : 'validation.money')],
      ['continued_pay_percentage', optional(v.continued_pay_percentage, pct), t('validation.percent')],
      ['maximum_reimbursement', optional(v.maximum_reimbursement, money), t('validation.money')],
    ],
    async (v) => {
      setResult(null);
      const r = await reconciliationsApi.openForYear({
        year: Number(v.year),
        deadline: parseDateInput(v.deadline)!,
        premium_rate: pct(v.premium_rate)!,
        provisional_premium: money(v.provisional_premium)!,
        ...(v.wage_cap.trim() ? { wage_cap: money(v.wage_cap)! } : {}),
        ...(v.own_risk.trim() ? (v.own_risk_kind === 'percentage' ? { own_risk_percentage: pct(v.own_risk)! } : { own_risk_amount: money(v.own_risk)! }) : {}),
        ...(v.continued_pay_percentage.trim() ? { continued_pay_percentage: pct(v.continued_pay_percentage)! } : {}),
        ...(v.maximum_reimbursement.trim() ? { maximum_reimbursement: money(v.maximum_reimbursement)! } : {}),
      });
      setResult(r.data);
      onOpened();
      // The answer names skipped schemes by id only: look their names up.
      const ids = r.data.skipped.map((x) => x.scheme_id).slice(0, SKIPPED_NAMES_MAX);
      const found = await Promise.all(ids.map((sid) => schemesApi.get(sid).then((s) => s.data).catch(() => null)));
      setNames(
        Object.fromEntries(
          found.filter((s): s is Scheme => s !== null).map((s) => [s.id, `${s.organisation?.name ? `${s.organisation.name} – ` : ''}${s.name} (${s.number})`]),
        ),
      );
    },
  );
  return (
    <section class="card" aria-labelledby="recon-bulk-title">
      <h2 id="recon-bulk-title">{t('recon.bulk.title')}</h2>
      <p>{t('recon.bulk.intro')}</p>
      {result && (
        <div class="alert alert-info recon-bulk-result" role="status" data-testid="bulk-result">
          <p>
            <strong>
              {result.opened.length === 0
                ? t('recon.bulk.openedNone', { year: result.year })
                : result.opened.length === 1
                  ? t('recon.bulk.openedOne', { year: result.year })
                  : t('recon.bulk.opened', { n: result.opened.length, year: result.year })}
            </strong>
          </p>
          {result.opened.length > 0 && (
            <ul class="plain-list recon-bulk-opened">
              {result.opened.map((r) => (
                <li key={r.id}>
                  <Link href={`/staff/reconciliations/${r.id}`}>
                    {r.organisation_name} – {r.scheme_name} ({r.scheme_number})
                  </Link>
                </li>
              ))}
            </ul>
          )}
          {result.skipped.length > 0 && (
            <>
              <p>{result.skipped.length === 1 ? t('recon.bulk.skippedOne') : t('recon.bulk.skipped', { n: result.skipped.length })}</p>
              <ul class="plain-list recon-bulk-skipped">
                {result.skipped.map((x) => (
                  <li key={x.scheme_id} data-reason={x.reason}>
                    {names[x.scheme_id] ?? x.scheme_id}: {t(SKIP_REASON[x.reason])}
                  </li>
                ))}
              </ul>
            </>
          )}
        </div>
      )}
      <form ref={f.formRef} noValidate onSubmit={submit}>
        <ErrorAlert messages={f.errors.general} />
        <div class="field-row">
          <TextField {...f.field('year')} label={t('recon.year')} inputMode="numeric" class="input-short" required />
          <TextField {...f.field('deadline')} label={t('recon.deadline')} hint={t('date.hint')} inputMode="numeric" class="input-short" required />
        </div>
        <div class="field-row">
          <TextField {...f.field('premium_rate')} label={t('recon.open.premiumRate')} inputMode="decimal" class="input-short" required />
          <TextField {...f.field('provisional_premium')} label={t('recon.open.provisionalPremium')} inputMode="decimal" class="input-medium" required />
          <TextField {...f.field('wage_cap')} label={t('recon.open.wageCap')} hint={t('recon.open.wageCapHint')} inputMode="decimal" class="input-medium" />
        </div>
        <fieldset>
          <legend>{t('recon.variant.stop_loss')}</legend>
          <p class="hint">{t('recon.bulk.stopLossHint')}</p>
          <div class="field-row">
            <SelectField
              name="own_risk_kind"
              label={t('recon.open.ownRiskKind')}
              value={v.own_risk_kind}
              onValue={f.set('own_risk_kind')}
              options={[
                { value: 'percentage' as const, label: t('recon.open.ownRiskPercentage') },
                { value: 'amount' as const, label: t('recon.open.ownRiskAmount') },
              ]}
            />
            <TextField {...f.field('own_risk')} label={t('recon.open.ownRisk')} inputMode="decimal" class="input-medium" />
          </div>
          <div class="field-row">
            <TextField {...f.field('continued_pay_percentage')} label={t('recon.open.continuedPay')} inputMode="decimal" class="input-short" />
            <TextField {...f.field('maximum_reimbursement')} label={t('recon.open.maxReimbursement')} inputMode="decimal" class="input-medium" />
          </div>
        </fieldset>
        <div class="button-row">
          <SubmitButton busy={f.busy} busyLabel={t('common.busy')}>
            {t('recon.bulk.submit')}
          </SubmitButton>
          <button type="button" class="btn btn-secondary" onClick={onClose}>
            {result ? t('common.done') : t('common.cancel')}
          </button>
        </div>
      </form>
    </section>
  );
}
