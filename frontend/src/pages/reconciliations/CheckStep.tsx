// Step 5, check and hand in ("Klaar en verzenden", seed 002 §7): the API
// checks completeness on submission and answers with every problem at once;
// each is shown with a link to its employee (or sick report) in the step
// where it is put right. A complete reconciliation is handed in and locked.
import { ApiError } from '../../api/client';
import { reconciliationsApi } from '../../api/endpoints';
import type { Reconciliation, ReconciliationEmployee, SickReport } from '../../api/types';
import { ErrorAlert } from '../../components/Alert';
import { useForm } from '../../forms/useForm';
import { t } from '../../i18n';
import { DUPLICATES_ANCHOR } from './DuplicatesPanel';
import { linkProblem, stepOfProblem, type LinkedProblem, type Step } from './model';

export function CheckStep({
  rec,
  employees,
  reports,
  problems,
  editable,
  onProblems,
  onSubmitted,
  onGoTo,
}: {
  rec: Reconciliation;
  employees: ReconciliationEmployee[] | null;
  reports: SickReport[] | null;
  problems: LinkedProblem[];
  editable: boolean;
  onProblems: (p: LinkedProblem[]) => void;
  onSubmitted: (r: Reconciliation, etag: string | null) => void;
  onGoTo: (step: Step, anchor: string | null) => void;
}) {
  const f = useForm({});
  const list = employees ?? [];
  const missingWages = list.filter((e) => !e.insured_wage).length;
  const send = () =>
    f.run(
      async () => {
        const r = await reconciliationsApi.submit(rec.id);
        onProblems([]);
        onSubmitted(r.data, r.etag);
      },
      {
        onError: (err, fe) => {
          if (err instanceof ApiError && err.code === 'reconciliation_incomplete') {
            onProblems((err.problem.errors ?? []).map(linkProblem));
            const n = err.problem.errors?.length ?? 0;
            return { fields: {}, general: [n === 1 ? t('recon.check.incompleteOne') : t('recon.check.incomplete', { n })] };
          }
          return fe;
        },
      },
    );
  const nameOf = (p: LinkedProblem) => {
    if (p.target === 'employee') return list.find((e) => e.id === p.id)?.display_name ?? t('recon.check.anEmployee');
    if (p.target === 'sick_report') {
      const r = reports?.find((x) => x.id === p.id);
      const who = r ? list.find((e) => e.id === r.employee_id)?.display_name : null;
      return t('recon.check.sickReportOf', { name: who ?? '' });
    }
    if (p.target === 'evidence') return t('recon.step.evidence');
    return t('recon.check.general');
  };
  const anchorOf = (p: LinkedProblem) =>
    p.code === 'likely_duplicate'
      ? DUPLICATES_ANCHOR
      : p.target === 'employee' ? (p.path.startsWith('insured_wage') ? `employee-${p.id}-wage` : `employee-${p.id}`) : p.target === 'sick_report' ? `sick-${p.id}` : p.target === 'evidence' ? `recon-evidence-${p.id}` : null;
  return (
    <section class="card" aria-labelledby="recon-check-title">
      <h2 id="recon-check-title">{t('recon.step.check')}</h2>
      <dl class="facts">
        <dt>{t('recon.check.employees')}</dt>
        <dd>{list.length}</dd>
        <dt>{t('recon.check.missingWages')}</dt>
        <dd>{missingWages}</dd>
        <dt>{t('recon.check.sickReports')}</dt>
        <dd>{reports?.length ?? 0}</dd>
        <dt>{t('recon.check.evidence')}</dt>
        <dd>{(rec.evidence ?? []).length}</dd>
      </dl>
      <ErrorAlert messages={f.errors.general} />
      {problems.length > 0 && (
        <ul class="recon-problems" aria-label={t('recon.check.problems')}>
          {problems.map((p, i) => (
            <li key={i} data-code={p.code}>
              <a
                href={`#${anchorOf(p) ?? ''}`}
                onClick={(e) => {
                  e.preventDefault();
                  onGoTo(stepOfProblem(p), anchorOf(p));
                }}
              >
                {nameOf(p)}
              </a>
              : {p.message}
            </li>
          ))}
        </ul>
      )}
      {editable && (
        <>
          <p>{t('recon.check.intro')}</p>
          <div class="button-row">
            <button type="button" class="btn btn-primary" aria-busy={f.busy ? 'true' : undefined} onClick={() => void send()}>
              {f.busy ? t('common.busy') : t('recon.check.submit')}
            </button>
          </div>
        </>
      )}
    </section>
  );
}
