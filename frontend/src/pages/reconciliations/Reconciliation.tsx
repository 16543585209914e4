// One reconciliation. While open, the employer's HR walks the steps
// (employees, wages, sick reports, evidence, check and hand in); staff's
// reason is shown when they reopened it. Handed in, everything is
// read-only with its status, and once processed the result with the
// specification (PDF and XLSX documents) to download. hr_read and finance
// read it (finance sees no employees: the API refuses them the people);
// staff read every employer's and may reopen a handed-in one with a reason.
import { useEffect, useState } from 'preact/hooks';
import { download } from '../../api/client';
import { allPages, documentsApi, mandatesApi, reconciliationsApi } from '../../api/endpoints';
import type { Me, PortalDocument, Reconciliation, ReconciliationEmployee, SickReport } from '../../api/types';
import { ErrorAlert, Notice } from '../../components/Alert';
import { SubmitButton, TextAreaField } from '../../components/Field';
import { Link } from '../../components/Link';
import { Page } from '../../components/Page';
import { problemToFormErrors } from '../../forms/errors';
import { useForm } from '../../forms/useForm';
import { fmt, t, type MessageKey } from '../../i18n';
import { saveBlob } from '../documents/Documents';
import { Loading } from '../Simple';
import { CheckStep } from './CheckStep';
import { EmployeesStep } from './EmployeesStep';
import { EvidenceStep } from './EvidenceStep';
import { byName, isStaffUser, mayEditReconciliation, mayReadEmployees, maySeeSpecification, STEPS, type LinkedProblem, type Step } from './model';
import { ReconStatusBadge } from './shared';
import { SickReportsStep } from './SickReportsStep';
import { WagesStep } from './WagesStep';

const STEP_LABEL: Record<Step, MessageKey> = {
  employees: 'recon.step.employees',
  wages: 'recon.step.wages',
  sick: 'recon.step.sick',
  evidence: 'recon.step.evidence',
  check: 'recon.step.check',
};

export function ReconciliationPage({ me, id }: { me: Me; id: string }) {
  const [rec, setRec] = useState<Reconciliation | null>(null);
  const [employees, setEmployees] = useState<ReconciliationEmployee[] | null>(null);
  const [reports, setReports] = useState<SickReport[] | null>(null);
  const [errors, setErrors] = useState<string[]>([]);
  const [step, setStep] = useState<Step>('employees');
  const [problems, setProblems] = useState<LinkedProblem[]>([]);
  const [notice, setNotice] = useState<string | null>(null);
  const [readWrite, setReadWrite] = useState<string[]>([]);
  const people = mayReadEmployees(me);
  useEffect(() => {
    // An office fills in a reconciliation only where its mandate says read_write.
    if (me.organisation.kind !== 'intermediary') return;
    mandatesApi
      .list({ status: 'active', limit: 200 })
      .then((page) => setReadWrite(page.items.filter((m) => m.access === 'read_write').flatMap((m) => m.scheme_ids)))
      .catch(() => setReadWrite([]));
  }, [me.organisation.kind]);
  const staff = isStaffUser(me);

  const loadEmployees = () =>
    allPages((cursor) => reconciliationsApi.employees(id, { cursor, limit: 200 }), 100)
      .then((items) => setEmployees(items.sort(byName)))
      .catch((e) => setErrors(problemToFormErrors(e).general));
  const loadAll = () => {
    reconciliationsApi
      .get(id)
      .then((r) => setRec(r.data))
      .catch((e) => setErrors(problemToFormErrors(e).general));
    if (people) {
      void loadEmployees();
      reconciliationsApi
        .sickReports(id)
        .then((p) => setReports(p.items))
        .catch((e) => setErrors(problemToFormErrors(e).general));
    }
  };
  useEffect(loadAll, [id]);

  const refreshRec = () =>
    reconciliationsApi
      .get(id)
      .then((r) => setRec(r.data))
      .catch(() => undefined);

  const back = staff ? '/staff/reconciliations' : '/reconciliations';
  if (!rec)
    return (
      <Page title={t('nav.reconciliations')}>
        {errors.length ? <ErrorAlert messages={errors} /> : <Loading />}
      </Page>
    );

  const editable = mayEditReconciliation(me, rec, readWrite);
  const title = t('recon.title', { year: rec.year, scheme: rec.scheme_name });
  const changed = (e: ReconciliationEmployee) => {
    setEmployees((old) => [...(old ?? []).filter((x) => x.id !== e.id), e].sort(byName));
    setProblems((old) => old.filter((p) => p.id !== e.id));
    void refreshRec();
  };
  // A merge keeps one employee (changed) and removes the other with its problems.
  const merged = (kept: ReconciliationEmployee, removedId: string) => {
    setEmployees((old) => [...(old ?? []).filter((x) => x.id !== kept.id && x.id !== removedId), kept].sort(byName));
    setReports((old) => (old ?? []).map((r) => (r.employee_id === removedId ? { ...r, employee_id: kept.id } : r)));
    setProblems((old) => old.filter((p) => p.id !== kept.id && p.id !== removedId));
    void refreshRec();
  };
  const goTo = (s: Step, anchor: string | null) => {
    setStep(s);
    // The target may render a moment later (the duplicates panel loads its pairs): look again a few times.
    const focus = (tries: number) => {
      const el = anchor ? document.getElementById(anchor) : null;
      if (el) {
        el.scrollIntoView?.({ block: 'center' });
        el.focus();
      } else if (anchor && tries > 0) setTimeout(() => focus(tries - 1), 50);
    };
    if (anchor) setTimeout(() => focus(20));
  };

  return (
    <Page
      title={title}
      wide
      intro={
        <p>
          <Link href={back}>{t('common.back')}</Link>
        </p>
      }
    >
      <Summary rec={rec} staff={staff} />
      <Notice>{notice}</Notice>
      {rec.status === 'open' && rec.reopen_reason && (
        <div class="alert alert-info recon-reopened" role="note">
          <p>
            <strong>{t(staff ? 'recon.reopenedStaff' : 'recon.reopened')}</strong>
          </p>
          <p data-testid="reopen-reason">{t('recon.reopenedReason', { reason: rec.reopen_reason })}</p>
        </div>
      )}
      {rec.status !== 'open' && <HandedIn rec={rec} />}
      {rec.status === 'processed' && <ResultSection rec={rec} me={me} />}
      {staff && rec.status !== 'open' && (
        <ReopenForm
          rec={rec}
          onDone={(r) => {
            setRec(r);
            setNotice(t('recon.reopen.done'));
          }}
        />
      )}
      {!people && rec.status === 'open' && <p class="muted">{t('recon.financeOnly')}</p>}
      {people && (
        <>
          {!editable && rec.status === 'open' && <p class="muted">{t('recon.readOnly')}</p>}
          <nav aria-label={t('recon.steps')} class="recon-steps">
            <ol>
              {STEPS.filter((s) => editable || s !== 'check').map((s, i) => (
                <li key={s}>
                  <button
                    type="button"
                    class={`doc-tab${step === s ? ' doc-tab-current' : ''}`}
                    aria-current={step === s ? 'step' : undefined}
                    onClick={() => setStep(s)}
                  >
                    <span class="recon-step-number">{i + 1}</span> {t(STEP_LABEL[s])}
                  </button>
                </li>
              ))}
            </ol>
          </nav>
          <ErrorAlert messages={errors} />
          {step === 'employees' && (
            <EmployeesStep rec={rec} employees={employees} editable={editable} problems={problems} onChanged={changed} onMerged={merged} />
          )}
          {step === 'wages' && (
            <WagesStep
              rec={rec}
              employees={employees}
              editable={editable}
              problems={problems}
              onChanged={changed}
              onUploaded={() => {
                setProblems((old) => old.filter((p) => !p.path.startsWith('insured_wage')));
                void refreshRec();
                return loadEmployees();
              }}
            />
          )}
          {step === 'sick' && (
            <SickReportsStep
              rec={rec}
              employees={employees}
              reports={reports}
              editable={editable}
              problems={problems}
              onAdded={(r) => {
                setReports((old) => [...(old ?? []), r]);
                void refreshRec();
              }}
            />
          )}
          {step === 'evidence' && (
            <EvidenceStep
              rec={rec}
              editable={editable}
              onAdded={(e) => {
                setRec((old) => (old ? { ...old, evidence: [...(old.evidence ?? []), e] } : old));
                void refreshRec();
              }}
            />
          )}
          {step === 'check' && editable && (
            <CheckStep
              rec={rec}
              employees={employees}
              reports={reports}
              problems={problems}
              editable={editable}
              onProblems={setProblems}
              onSubmitted={(r) => {
                setRec(r);
                setStep('employees');
                setNotice(t('recon.check.done'));
              }}
              onGoTo={goTo}
            />
          )}
          {editable && step !== 'check' && (
            <div class="button-row">
              <button type="button" class="btn btn-secondary" onClick={() => setStep(STEPS[STEPS.indexOf(step) + 1]!)}>
                {t('recon.nextStep')}
              </button>
            </div>
          )}
        </>
      )}
    </Page>
  );
}

function Summary({ rec, staff }: { rec: Reconciliation; staff: boolean }) {
  return (
    <section class="card" aria-labelledby="recon-summary-title">
      <h2 id="recon-summary-title" class="sr-only">
        {t('recon.summary')}
      </h2>
      <dl class="facts">
        {staff && (
          <>
            <dt>{t('recon.organisation')}</dt>
            <dd>{rec.organisation_name}</dd>
          </>
        )}
        <dt>{t('recon.scheme')}</dt>
        <dd>
          {rec.scheme_name} ({rec.scheme_number})
        </dd>
        <dt>{t('recon.variant')}</dt>
        <dd>{t(rec.variant === 'stop_loss' ? 'recon.variant.stop_loss' : 'recon.variant.no_claim')}</dd>
        <dt>{t('recon.year')}</dt>
        <dd>{rec.year}</dd>
        <dt>{t('recon.deadline')}</dt>
        <dd>{fmt.date(rec.deadline)}</dd>
        <dt>{t('common.status')}</dt>
        <dd>
          <ReconStatusBadge status={rec.status} />
        </dd>
      </dl>
    </section>
  );
}

function HandedIn({ rec }: { rec: Reconciliation }) {
  return (
    <div class="alert alert-info" role="note" data-testid="handed-in">
      <p>
        {rec.status === 'submitted'
          ? t('recon.handedIn.submitted', { date: rec.submitted_at ? fmt.dateTime(rec.submitted_at) : '' })
          : t('recon.handedIn.processed', { date: rec.processed_at ? fmt.dateTime(rec.processed_at) : '' })}
      </p>
      <p>{t('recon.handedIn.locked')}</p>
    </div>
  );
}

function ResultSection({ rec, me }: { rec: Reconciliation; me: Me }) {
  const r = rec.result;
  if (!r) return null;
  const money = (v: string | null) => (v === null ? '–' : fmt.money(v));
  const settlement = r.settlement ?? '0';
  return (
    <section class="card" aria-labelledby="recon-result-title">
      <h2 id="recon-result-title">{t('recon.result')}</h2>
      <dl class="facts">
        <dt>{t('recon.result.cappedWageTotal')}</dt>
        <dd>{money(r.capped_wage_total)}</dd>
        <dt>{t('recon.result.definitivePremium')}</dt>
        <dd>{money(r.definitive_premium)}</dd>
        <dt>{t('recon.result.provisionalPremium')}</dt>
        <dd>{money(r.provisional_premium)}</dd>
        <dt>{t(settlement.startsWith('-') ? 'recon.result.refund' : 'recon.result.toPay')}</dt>
        <dd data-testid="settlement">{money(settlement.replace(/^-/, ''))}</dd>
        {rec.variant === 'stop_loss' && (
          <>
            <dt>{t('recon.result.ownRisk')}</dt>
            <dd>{money(r.own_risk)}</dd>
            <dt>{t('recon.result.sickPayCost')}</dt>
            <dd>{money(r.sick_pay_cost)}</dd>
            <dt>{t('recon.result.reimbursement')}</dt>
            <dd>{money(r.reimbursement)}</dd>
          </>
        )}
      </dl>
      {maySeeSpecification(me) ? <Specification rec={rec} staff={isStaffUser(me)} /> : <p class="hint">{t('recon.result.specWhere')}</p>}
    </section>
  );
}

/** The newest specification documents of this reconciliation (its scheme and year in the title). */
export function specificationDocuments(docs: PortalDocument[], year: number): PortalDocument[] {
  const mine = docs.filter((d) => d.kind === 'reconciliation_specification' && new RegExp(`\\b${year}\\b`).test(d.title));
  const newest = new Map<string, PortalDocument>();
  for (const d of mine) {
    const seen = newest.get(d.content_type);
    if (!seen || seen.created_at < d.created_at) newest.set(d.content_type, d);
  }
  return [...newest.values()].sort((a, b) => a.content_type.localeCompare(b.content_type));
}

function Specification({ rec, staff }: { rec: Reconciliation; staff: boolean }) {
  const [docs, setDocs] = useState<PortalDocument[] | null>(null);
  const [errors, setErrors] = useState<string[]>([]);
  useEffect(() => {
    allPages((cursor) => documentsApi.list({ kind: 'reconciliation_specification', scheme_id: rec.scheme_id, ...(staff ? { organisation_id: rec.organisation_id } : {}), cursor, limit: 100 }), 5)
      .then((items) => setDocs(specificationDocuments(items, rec.year)))
      .catch((e) => setErrors(problemToFormErrors(e).general));
  }, [rec.id, rec.processed_at]);
  const open = async (d: PortalDocument) => {
    setErrors([]);
    try {
      const { blob, filename } = await download(`/documents/${encodeURIComponent(d.id)}/file`);
      saveBlob(blob, filename ?? d.file_name);
    } catch (e) {
      setErrors(problemToFormErrors(e).general);
    }
  };
  return (
    <div class="recon-spec">
      <h3>{t('recon.result.specification')}</h3>
      <ErrorAlert messages={errors} />
      {docs === null ? (
        errors.length ? null : <Loading />
      ) : docs.length === 0 ? (
        <p class="muted">{t('recon.result.specPending')}</p>
      ) : (
        <div class="button-row">
          {docs.map((d) => (
            <button key={d.id} type="button" class="btn btn-secondary" onClick={() => void open(d)}>
              {t(d.content_type === 'application/pdf' ? 'recon.result.downloadPdf' : 'recon.result.downloadXlsx')}
            </button>
          ))}
        </div>
      )}
    </div>
  );
}

function ReopenForm({ rec, onDone }: { rec: Reconciliation; onDone: (r: Reconciliation) => void }) {
  const f = useForm({ reason: '' });
  const submit = f.submit(
    (v) => [['reason', !v.reason.trim(), t('recon.reopen.reasonRequired')]],
    async (v) => {
      const r = await reconciliationsApi.reopen(rec.id, v.reason.trim());
      f.reset();
      onDone(r.data);
    },
  );
  return (
    <section class="card" aria-labelledby="recon-reopen-title">
      <h2 id="recon-reopen-title">{t('recon.reopen.title')}</h2>
      <p>{t('recon.reopen.intro')}</p>
      <form ref={f.formRef} noValidate onSubmit={submit}>
        <ErrorAlert messages={f.errors.general} />
        <TextAreaField {...f.field('reason')} label={t('recon.reopen.reason')} hint={t('recon.reopen.reasonHint')} />
        <SubmitButton busy={f.busy} busyLabel={t('common.busy')}>
          {t('recon.reopen.submit')}
        </SubmitButton>
      </form>
    </section>
  );
}
