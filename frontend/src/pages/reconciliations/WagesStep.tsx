// Step 2, the insured wage per employee (seed 002 §11–14): the wage actually
// earned in the year while in service, from the policy start when the
// policy began that year. An employee who left needs the end date first
// (§14 "Let op"): the row says so. Each row saves on its own; once processed
// the row shows the calculation line (days, prorated cap, premium).
// Instead of typing, the employer may upload a wage file (CSV or XLSX with a
// BSN and a wage column): all rows or none are applied, and every wrong row
// is listed with its row number.
import { useState } from 'preact/hooks';
import { ApiError, type ProblemFieldError } from '../../api/client';
import { reconciliationsApi } from '../../api/endpoints';
import type { Reconciliation, ReconciliationEmployee } from '../../api/types';
import { ErrorAlert } from '../../components/Alert';
import { DataTable } from '../../components/DataTable';
import { SubmitButton } from '../../components/Field';
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
  onUploaded,
}: {
  rec: Reconciliation;
  employees: ReconciliationEmployee[] | null;
  editable: boolean;
  problems: LinkedProblem[];
  onChanged: (e: ReconciliationEmployee) => void;
  onUploaded: () => Promise<void>;
}) {
  const list = employees ?? [];
  // Bumped after a wage file: the rows start again from the wages as reloaded.
  const [generation, setGeneration] = useState(0);
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
            key={`${e.id}-${generation}`}
            rec={rec}
            employee={e}
            editable={editable}
            processed={processed}
            problems={problems.filter((p) => p.target === 'employee' && p.id === e.id && p.path.startsWith('insured_wage'))}
            onChanged={onChanged}
          />
        ))}
      </DataTable>
      {editable && (
        <WageFileUpload
          rec={rec}
          onUploaded={() => void onUploaded().then(() => setGeneration((g) => g + 1))}
        />
      )}
    </section>
  );
}

/** One error of a wage file as the API names it (row 1 is the header row). */
interface WageFileError extends ProblemFieldError {
  row?: number;
  column?: string;
}

/** The upload form; on success the caller reloads the employees (their wages changed). */
function WageFileUpload({ rec, onUploaded }: { rec: Reconciliation; onUploaded: () => void }) {
  const f = useForm({ file: null as File | null }, { fields: ['file'] });
  const [rowErrors, setRowErrors] = useState<{ errors: WageFileError[]; count: number } | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const submit = f.submit(
    (v) => [['file', v.file === null, t('recon.wages.upload.chooseFile')]],
    async (v) => {
      setRowErrors(null);
      setDone(null);
      const form = new FormData();
      form.append('file', v.file!);
      try {
        const r = await reconciliationsApi.uploadWages(rec.id, form);
        setDone(t('recon.wages.upload.done', { updated: r.data.updated, rows: r.data.rows }));
        f.formRef.current?.reset();
        f.reset();
        onUploaded();
      } catch (err) {
        if (err instanceof ApiError && err.code === 'wage_file_invalid') {
          const errors = (err.problem.errors ?? []) as WageFileError[];
          const count = (err.problem as { error_count?: number }).error_count ?? errors.length;
          setRowErrors({ errors, count });
          return;
        }
        throw err;
      }
    },
  );
  return (
    <div class="recon-wage-file" aria-labelledby="recon-wage-file-title">
      <h3 id="recon-wage-file-title">{t('recon.wages.upload.title')}</h3>
      <p>{t('recon.wages.upload.intro')}</p>
      <p class="hint">{t('recon.wages.upload.columns')}</p>
      <pre class="recon-template" aria-label={t('recon.wages.upload.example')}>
        {'BSN;Verzekerd loon\n123456782;38500,00\n111222333;41250,50'}
      </pre>
      <p role="status" class="recon-saved">
        {done}
      </p>
      <form ref={f.formRef} noValidate onSubmit={submit}>
        <ErrorAlert messages={f.errors.general} />
        {rowErrors && (
          <div class="alert alert-error recon-wage-file-errors" role="alert" tabIndex={-1}>
            <p>
              <strong>{t('recon.wages.upload.invalid')}</strong>
            </p>
            <p>{rowErrors.count === 1 ? t('recon.wages.upload.errorCountOne') : t('recon.wages.upload.errorCount', { n: rowErrors.count })}</p>
            <ul class="recon-problems">
              {rowErrors.errors.map((e, i) => (
                <li key={i} data-row={e.row} data-code={e.code}>
                  {e.column ? t('recon.wages.upload.rowColumn', { row: e.row ?? '?', column: e.column }) : t('recon.wages.upload.row', { row: e.row ?? '?' })}:{' '}
                  {e.message ?? e.code}
                </li>
              ))}
            </ul>
            {rowErrors.count > rowErrors.errors.length && <p>{t('recon.wages.upload.more', { n: rowErrors.count })}</p>}
          </div>
        )}
        <div class={`field${f.errors.fields.file ? ' field-invalid' : ''}`}>
          <label for="wage-file">{t('recon.wages.upload.file')}</label>
          <p id="wage-file-hint" class="hint">
            {t('recon.wages.upload.fileHint')}
          </p>
          <input
            id="wage-file"
            type="file"
            data-field="wage-file"
            accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            aria-invalid={f.errors.fields.file ? 'true' : undefined}
            aria-describedby={`wage-file-hint${f.errors.fields.file ? ' wage-file-err' : ''}`}
            onChange={(e) => f.set('file')(e.currentTarget.files?.[0] ?? null)}
          />
          {f.errors.fields.file && (
            <p id="wage-file-err" class="field-error">
              {f.errors.fields.file}
            </p>
          )}
        </div>
        <SubmitButton busy={f.busy} busyLabel={t('common.busy')}>
          {t('recon.wages.upload.submit')}
        </SubmitButton>
      </form>
    </div>
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
