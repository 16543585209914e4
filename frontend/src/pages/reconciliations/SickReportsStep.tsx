// Step 3, the sick reports of the year (seed 002 §18): shown, never
// changed. A stop-loss reconciliation may add reports (the right to a
// reimbursement is settled afterwards); a no-claim one may not, and says so.
import { useState } from 'preact/hooks';
import { reconciliationsApi } from '../../api/endpoints';
import type { Reconciliation, ReconciliationEmployee, SickReport } from '../../api/types';
import { ErrorAlert, Notice } from '../../components/Alert';
import { DataTable } from '../../components/DataTable';
import { SelectField, SubmitButton, TextField } from '../../components/Field';
import { parseDateInput } from '../../format/dates';
import { parsePercentInput } from '../../format/numbers';
import { useForm } from '../../forms/useForm';
import { activeLanguage, fmt, t } from '../../i18n';
import type { LinkedProblem } from './model';
import { sickAnchor } from './shared';

export function SickReportsStep({
  rec,
  employees,
  reports,
  editable,
  problems,
  onAdded,
}: {
  rec: Reconciliation;
  employees: ReconciliationEmployee[] | null;
  reports: SickReport[] | null;
  editable: boolean;
  problems: LinkedProblem[];
  onAdded: (r: SickReport) => void;
}) {
  const [adding, setAdding] = useState(false);
  const list = reports ?? [];
  const nameOf = (id: string) => employees?.find((e) => e.id === id)?.display_name ?? '';
  const processed = rec.status === 'processed';
  const stopLoss = rec.variant === 'stop_loss';
  return (
    <section class="card" aria-labelledby="recon-sick-title">
      <h2 id="recon-sick-title">{t('recon.step.sick')}</h2>
      <p>{t('recon.sick.intro', { year: rec.year })}</p>
      <p class="hint">{t('recon.sick.noChanges')}</p>
      {!stopLoss && <Notice kind="info">{t('recon.sick.noClaim')}</Notice>}
      <DataTable
        caption={t('recon.step.sick')}
        columns={[
          t('recon.sick.employee'),
          t('recon.sick.firstDay'),
          t('recon.sick.reportDate'),
          t('recon.sick.recovery'),
          t('recon.sick.ao'),
          t('recon.sick.atw'),
          ...(processed && stopLoss ? [t('recon.sick.days'), t('recon.sick.cost')] : []),
        ]}
        loading={reports === null}
        count={list.length}
        empty={t('recon.sick.none')}
      >
        {list.map((r) => {
          const mine = problems.filter((p) => p.target === 'sick_report' && p.id === r.id);
          return (
            <tr key={r.id} id={sickAnchor(r.id)} tabIndex={-1} class={mine.length ? 'recon-problem-row' : undefined}>
              <th scope="row" data-label={t('recon.sick.employee')}>
                {nameOf(r.employee_id)}
                {mine.map((p) => (
                  <span key={p.code + p.path} class="field-error">
                    {p.message}
                  </span>
                ))}
              </th>
              <td data-label={t('recon.sick.firstDay')}>{fmt.date(r.first_sick_day)}</td>
              <td data-label={t('recon.sick.reportDate')}>{fmt.date(r.report_date)}</td>
              <td data-label={t('recon.sick.recovery')}>{r.recovery_date ? fmt.date(r.recovery_date) : t('recon.sick.stillSick')}</td>
              <td data-label={t('recon.sick.ao')}>{fmt.percent(r.ao_percentage, 0)}</td>
              <td data-label={t('recon.sick.atw')}>{fmt.percent(r.atw_percentage, 0)}</td>
              {processed && stopLoss && (
                <>
                  <td data-label={t('recon.sick.days')}>{r.sick_days ?? '–'}</td>
                  <td data-label={t('recon.sick.cost')}>{r.cost ? fmt.money(r.cost) : '–'}</td>
                </>
              )}
            </tr>
          );
        })}
      </DataTable>
      {editable && stopLoss && !adding && (
        <p>
          <button type="button" class="btn btn-primary" onClick={() => setAdding(true)}>
            {t('recon.sick.add')}
          </button>
        </p>
      )}
      {editable && stopLoss && adding && (
        <SickReportForm
          rec={rec}
          employees={employees ?? []}
          onDone={(r) => {
            onAdded(r);
            setAdding(false);
          }}
          onCancel={() => setAdding(false)}
        />
      )}
    </section>
  );
}

function SickReportForm({
  rec,
  employees,
  onDone,
  onCancel,
}: {
  rec: Reconciliation;
  employees: ReconciliationEmployee[];
  onDone: (r: SickReport) => void;
  onCancel: () => void;
}) {
  const lang = activeLanguage();
  const f = useForm({ employee_id: '', first_sick_day: '', report_date: '', recovery_date: '', ao_percentage: '', atw_percentage: '' });
  const v = f.values;
  const submit = f.submit(
    (v) => [
      ['employee_id', v.employee_id === '', t('recon.sick.chooseEmployee')],
      ['first_sick_day', parseDateInput(v.first_sick_day) === null, t('validation.date')],
      ['report_date', parseDateInput(v.report_date) === null, t('validation.date')],
      ['recovery_date', v.recovery_date.trim() !== '' && parseDateInput(v.recovery_date) === null, t('validation.date')],
      ['ao_percentage', parsePercentInput(v.ao_percentage, lang) === null, t('validation.percent')],
      ['atw_percentage', v.atw_percentage.trim() !== '' && parsePercentInput(v.atw_percentage, lang) === null, t('validation.percent')],
    ],
    async (v) => {
      const r = await reconciliationsApi.addSickReport(rec.id, {
        employee_id: v.employee_id,
        first_sick_day: parseDateInput(v.first_sick_day)!,
        report_date: parseDateInput(v.report_date)!,
        recovery_date: v.recovery_date.trim() ? parseDateInput(v.recovery_date) : null,
        ao_percentage: parsePercentInput(v.ao_percentage, lang)!,
        atw_percentage: v.atw_percentage.trim() ? parsePercentInput(v.atw_percentage, lang)! : '0',
      });
      onDone(r.data);
    },
  );
  return (
    <form ref={f.formRef} noValidate onSubmit={submit} class="recon-inline-form" aria-labelledby="recon-new-sick">
      <h3 id="recon-new-sick">{t('recon.sick.add')}</h3>
      <p class="hint">{t('recon.sick.noMedical')}</p>
      <ErrorAlert messages={f.errors.general} />
      <SelectField
        name="employee_id"
        label={t('recon.sick.employee')}
        value={v.employee_id}
        onValue={f.set('employee_id')}
        options={[{ value: '', label: t('recon.choose') }, ...employees.map((e) => ({ value: e.id, label: e.display_name }))]}
        error={f.errors.fields.employee_id}
      />
      <div class="field-row">
        <TextField {...f.field('first_sick_day')} label={t('recon.sick.firstDay')} hint={t('date.hint')} inputMode="numeric" class="input-short" required />
        <TextField {...f.field('report_date')} label={t('recon.sick.reportDate')} hint={t('date.hint')} inputMode="numeric" class="input-short" required />
        <TextField {...f.field('recovery_date')} label={t('recon.sick.recovery')} hint={t('recon.sick.recoveryHint')} inputMode="numeric" class="input-short" />
      </div>
      <div class="field-row">
        <TextField {...f.field('ao_percentage')} label={t('recon.sick.ao')} inputMode="decimal" class="input-short" required />
        <TextField {...f.field('atw_percentage')} label={t('recon.sick.atwOptional')} inputMode="decimal" class="input-short" />
      </div>
      <div class="button-row">
        <SubmitButton busy={f.busy} busyLabel={t('common.busy')}>
          {t('recon.sick.addSubmit')}
        </SubmitButton>
        <button type="button" class="btn btn-secondary" onClick={onCancel}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}
