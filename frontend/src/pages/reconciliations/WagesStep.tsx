// Step 2, the insured wage per employee (seed 002 §11–14): the wage actually
// earned in the year while in service, from the policy start when the
// policy began that year. An employee who left needs the end date first
// (§14 "Let op"): the row says so. Each row saves on its own; once processed
// the row shows the calculation line (days, prorated cap, premium).
import { useState } from 'preact/hooks';
import { reconciliationsApi } from '../../api/endpoints';
import type { Reconciliation, ReconciliationEmployee } from '../../api/types';
import { DataTable } from '../../components/DataTable';
import { parseMoneyInput } from '../../format/numbers';
import { useForm } from '../../forms/useForm';
import { activeLanguage, fmt, t, type MessageKey } from '../../i18n';
import { openEmployment, type LinkedProblem } from './model';
import { employeeAnchor, employmentText } from './shared';

const WAGE_TYPE: Record<string, MessageKey> = {
  uniform_wage: 'recon.wages.type.uniform_wage',
  uniform_wage_excl_car: 'recon.wages.type.uniform_wage_excl_car',
  pensionable_salary: 'recon.wages.type.pensionable_salary',
};

export function WagesStep({
  rec,
  employees,
  editable,
  problems,
  onChanged,
}: {
  rec: Reconciliation;
  employees: ReconciliationEmployee[] | null;
  editable: boolean;
  problems: LinkedProblem[];
  onChanged: (e: ReconciliationEmployee) => void;
}) {
  const list = employees ?? [];
  const processed = rec.status === 'processed';
  const policyStartsInYear = rec.policy_start >= `${rec.year}-01-01`;
  return (
    <section class="card" aria-labelledby="recon-wages-title">
      <h2 id="recon-wages-title">{t('recon.step.wages')}</h2>
      <p>
        {t('recon.wages.intro', { year: rec.year, type: rec.insured_wage_type ? t(WAGE_TYPE[rec.insured_wage_type]!) : t('recon.wages.type.unknown') })}
      </p>
      {policyStartsInYear && <p class="hint">{t('recon.wages.policyStart', { date: fmt.date(rec.policy_start) })}</p>}
      <DataTable
        caption={t('recon.step.wages')}
        columns={[
          t('common.name'),
          t('recon.employments'),
          t('recon.wages.wage', { year: rec.year }),
          ...(processed ? [t('recon.line.days'), t('recon.line.cappedWage'), t('recon.line.premium')] : []),
        ]}
        loading={employees === null}
        count={list.length}
        empty={t('recon.employees.none')}
      >
        {list.map((e) => (
          <WageRow
            key={e.id}
            rec={rec}
            employee={e}
            editable={editable}
            processed={processed}
            problems={problems.filter((p) => p.target === 'employee' && p.id === e.id && p.path.startsWith('insured_wage'))}
            onChanged={onChanged}
          />
        ))}
      </DataTable>
    </section>
  );
}

function WageRow({
  rec,
  employee,
  editable,
  processed,
  problems,
  onChanged,
}: {
  rec: Reconciliation;
  employee: ReconciliationEmployee;
  editable: boolean;
  processed: boolean;
  problems: LinkedProblem[];
  onChanged: (e: ReconciliationEmployee) => void;
}) {
  const lang = activeLanguage();
  const f = useForm({ insured_wage: employee.insured_wage ? fmt.money(employee.insured_wage).replace(/^€\s?/, '').replace(/^-?€/, '') : '' });
  const [saved, setSaved] = useState(false);
  const needsEnd = employee.left_service && openEmployment(employee.employments) >= 0;
  const save = f.submit(
    (v) => [['insured_wage', v.insured_wage.trim() !== '' && parseMoneyInput(v.insured_wage, lang) === null, t('validation.money')]],
    async (v) => {
      const wage = v.insured_wage.trim() ? parseMoneyInput(v.insured_wage, lang) : null;
      setSaved(false);
      const r = await reconciliationsApi.patchEmployee(rec.id, employee.id, { insured_wage: wage });
      setSaved(true);
      onChanged(r.data);
    },
  );
  const problem = problems[0]?.message;
  return (
    <tr id={`${employeeAnchor(employee.id)}-wage`} tabIndex={-1} class={problem ? 'recon-problem-row' : undefined}>
      <th scope="row" data-label={t('common.name')}>
        {employee.display_name}
        {needsEnd && <span class="cell-note recon-warning">{t('recon.wages.endFirst')}</span>}
      </th>
      <td data-label={t('recon.employments')}>
        {employee.employments.map((x, i) => (
          <span key={i} class="cell-note">
            {employmentText(x)}
          </span>
        ))}
      </td>
      <td data-label={t('recon.wages.wage', { year: rec.year })}>
        {editable ? (
          <form ref={f.formRef} noValidate onSubmit={save} class="recon-wage-form">
            <label class="sr-only" for={`wage-${employee.id}`}>
              {t('recon.wages.wageOf', { name: employee.display_name })}
            </label>
            <input
              id={`wage-${employee.id}`}
              name="insured_wage"
              data-field={`insured_wage-${employee.seq}`}
              inputMode="decimal"
              class="input-medium"
              value={f.values.insured_wage}
              onInput={(ev) => {
                setSaved(false);
                f.set('insured_wage')(ev.currentTarget.value);
              }}
              aria-invalid={f.errors.fields.insured_wage || problem ? 'true' : undefined}
              aria-describedby={f.errors.fields.insured_wage || problem ? `wage-${employee.id}-err` : undefined}
            />
            <button type="submit" class="btn btn-secondary btn-small" aria-busy={f.busy ? 'true' : undefined}>
              {f.busy ? t('common.busy') : t('common.save')}
              <span class="sr-only"> – {employee.display_name}</span>
            </button>
            <span role="status" class="cell-note recon-saved">
              {saved && !f.busy ? t('recon.wages.saved') : ''}
            </span>
            {(f.errors.fields.insured_wage || problem || f.errors.general.length > 0) && (
              <p id={`wage-${employee.id}-err`} class="field-error">
                {f.errors.fields.insured_wage ?? problem ?? f.errors.general.join(' ')}
              </p>
            )}
          </form>
        ) : employee.insured_wage ? (
          fmt.money(employee.insured_wage)
        ) : (
          <span class="muted">{t('recon.wages.missing')}</span>
        )}
      </td>
      {processed && (
        <>
          <td data-label={t('recon.line.days')}>{employee.line?.days ?? '–'}</td>
          <td data-label={t('recon.line.cappedWage')}>{employee.line ? fmt.money(employee.line.capped_wage) : '–'}</td>
          <td data-label={t('recon.line.premium')}>{employee.line ? fmt.money(employee.line.premium) : '–'}</td>
        </>
      )}
    </tr>
  );
}
