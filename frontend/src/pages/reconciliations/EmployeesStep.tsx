// Step 1, "Actuele deelnemersadministratie" (seed 002 §8–10, §15–17): every
// employee with a duty to continue pay in the year, with their employments.
// Add an employee (general data and the first employment), change the
// employments, end the current one, or re-hire someone who left with a new
// main employment (never a second employee: the API answers
// employee_exists for a known BSN and the form says what to do). The general
// data (names, birth date, gender, BSN) can be changed too (§15).
import { Fragment } from 'preact';
import { useState } from 'preact/hooks';
import { ApiError } from '../../api/client';
import { reconciliationsApi } from '../../api/endpoints';
import type { Employment, Reconciliation, ReconciliationEmployee, ReconciliationPerson } from '../../api/types';
import { ErrorAlert } from '../../components/Alert';
import { DataTable } from '../../components/DataTable';
import { CheckboxField, SelectField, SubmitButton, TextField } from '../../components/Field';
import { parseDateInput } from '../../format/dates';
import { cleanBsn, isValidBsn } from '../../format/numbers';
import type { Check } from '../../forms/errors';
import { useForm } from '../../forms/useForm';
import { fmt, t } from '../../i18n';
import { genderLabel } from '../participants/shared';
import { DuplicatesPanel } from './DuplicatesPanel';
import { endEmployment, openEmployment, rehire, type LinkedProblem } from './model';
import { dateValue, employeeAnchor, employmentText } from './shared';

type Mode = 'edit' | 'end' | 'rehire' | 'person';

export function EmployeesStep({
  rec,
  employees,
  editable,
  problems,
  onChanged,
  onMerged,
}: {
  rec: Reconciliation;
  employees: ReconciliationEmployee[] | null;
  editable: boolean;
  problems: LinkedProblem[];
  onChanged: (e: ReconciliationEmployee) => void;
  onMerged: (kept: ReconciliationEmployee, removedId: string) => void;
}) {
  const [open, setOpen] = useState<{ id: string; mode: Mode } | null>(null);
  const [adding, setAdding] = useState(false);
  const list = employees ?? [];
  return (
    <section class="card" aria-labelledby="recon-employees-title">
      <h2 id="recon-employees-title">{t('recon.step.employees')}</h2>
      <p>{t('recon.employees.intro', { year: rec.year })}</p>
      <DuplicatesPanel rec={rec} employees={employees} editable={editable} onMerged={onMerged} />
      <DataTable
        caption={t('recon.step.employees')}
        columns={[t('common.name'), t('participants.birthDate'), t('participants.bsn'), t('recon.employments'), ...(editable ? [{ label: t('common.actions'), hidden: true as const }] : [])]}
        loading={employees === null}
        count={list.length}
        empty={t('recon.employees.none')}
      >
        {list.map((e) => {
          const mine = problems.filter((p) => p.target === 'employee' && p.id === e.id);
          return (
            <Fragment key={e.id}>
              <tr id={employeeAnchor(e.id)} class={mine.length ? 'recon-problem-row' : undefined} tabIndex={-1}>
                <th scope="row" data-label={t('common.name')}>
                  {e.display_name}
                  {e.left_service && openEmployment(e.employments) >= 0 && <span class="cell-note recon-warning">{t('recon.employees.leftService')}</span>}
                  {mine.map((p) => (
                    <span key={p.code + p.path} class="field-error">
                      {p.message}
                    </span>
                  ))}
                </th>
                <td data-label={t('participants.birthDate')}>{fmt.date(e.birth_date)}</td>
                <td data-label={t('participants.bsn')}>{e.bsn}</td>
                <td data-label={t('recon.employments')}>
                  {e.employments.length === 0 ? (
                    <span class="muted">{t('recon.employments.none')}</span>
                  ) : (
                    <ul class="plain-list">
                      {e.employments.map((x, i) => (
                        <li key={i}>{employmentText(x)}</li>
                      ))}
                    </ul>
                  )}
                </td>
                {editable && (
                  <td data-label={t('common.actions')}>
                    <span class="cell-actions">
                      <button type="button" class="btn btn-secondary btn-small" onClick={() => setOpen({ id: e.id, mode: 'person' })}>
                        {t('recon.employees.changePerson')}
                        <span class="sr-only"> – {e.display_name}</span>
                      </button>
                      <button type="button" class="btn btn-secondary btn-small" onClick={() => setOpen({ id: e.id, mode: 'edit' })}>
                        {t('recon.employees.change')}
                        <span class="sr-only"> – {e.display_name}</span>
                      </button>
                      {openEmployment(e.employments) >= 0 ? (
                        <button type="button" class="btn btn-secondary btn-small" onClick={() => setOpen({ id: e.id, mode: 'end' })}>
                          {t('recon.employees.end')}
                          <span class="sr-only"> – {e.display_name}</span>
                        </button>
                      ) : (
                        <button type="button" class="btn btn-secondary btn-small" onClick={() => setOpen({ id: e.id, mode: 'rehire' })}>
                          {t('recon.employees.rehire')}
                          <span class="sr-only"> – {e.display_name}</span>
                        </button>
                      )}
                    </span>
                  </td>
                )}
              </tr>
              {open?.id === e.id && (
                <tr key={`${e.id}-form`} class="recon-form-row">
                  <td colSpan={5}>
                    {open.mode === 'person' ? (
                      <PersonForm
                        rec={rec}
                        employee={e}
                        onDone={(changed) => {
                          onChanged(changed);
                          setOpen(null);
                        }}
                        onCancel={() => setOpen(null)}
                      />
                    ) : (
                      <EmploymentForm
                        rec={rec}
                        employee={e}
                        mode={open.mode}
                        onDone={(changed) => {
                          onChanged(changed);
                          setOpen(null);
                        }}
                        onCancel={() => setOpen(null)}
                      />
                    )}
                  </td>
                </tr>
              )}
            </Fragment>
          );
        })}
      </DataTable>
      {editable && !adding && (
        <p>
          <button type="button" class="btn btn-primary" onClick={() => setAdding(true)}>
            {t('recon.employees.add')}
          </button>
        </p>
      )}
      {editable && adding && (
        <NewEmployeeForm
          rec={rec}
          onDone={(e) => {
            onChanged(e);
            setAdding(false);
          }}
          onCancel={() => setAdding(false)}
        />
      )}
    </section>
  );
}

interface EmploymentText {
  start_date: string;
  end_date: string;
  fixed_term: boolean;
}

function toText(e: Employment): EmploymentText {
  return { start_date: dateValue(e.start_date), end_date: dateValue(e.end_date), fixed_term: e.fixed_term };
}

/** Client checks of employment rows: real dates, and an end date on a fixed-term contract (§17). */
export function employmentChecks(rows: EmploymentText[], prefix = 'employments'): Check[] {
  return rows.flatMap((r, i): Check[] => [
    [`${prefix}.${i}.start_date`, parseDateInput(r.start_date) === null, t('validation.date')],
    [`${prefix}.${i}.end_date`, r.end_date.trim() !== '' && parseDateInput(r.end_date) === null, t('validation.date')],
    [`${prefix}.${i}.end_date`, r.fixed_term && r.end_date.trim() === '', t('recon.employment.fixedTermEnd')],
  ]);
}

function fromText(rows: EmploymentText[]): Employment[] {
  return rows.map((r) => ({
    start_date: parseDateInput(r.start_date)!,
    end_date: r.end_date.trim() ? parseDateInput(r.end_date) : null,
    fixed_term: r.fixed_term,
  }));
}

function EmploymentForm({
  rec,
  employee,
  mode,
  onDone,
  onCancel,
}: {
  rec: Reconciliation;
  employee: ReconciliationEmployee;
  mode: Mode;
  onDone: (e: ReconciliationEmployee) => void;
  onCancel: () => void;
}) {
  const rows = employee.employments.map(toText);
  const initial = {
    rows: mode === 'rehire' ? [...rows, { start_date: '', end_date: '', fixed_term: false }] : rows,
    end_date: '',
  };
  const names = initial.rows.flatMap((_, i) => [`employments.${i}.start_date`, `employments.${i}.end_date`]);
  const f = useForm(initial, { fields: [...names, 'employments', 'end_date'] });
  const v = f.values;
  const setRow = (i: number, patch: Partial<EmploymentText>) =>
    f.setValues((old) => ({ ...old, rows: old.rows.map((r, k) => (k === i ? { ...r, ...patch } : r)) }));

  const submit = f.submit(
    (v): Check[] =>
      mode === 'end'
        ? [['end_date', parseDateInput(v.end_date) === null, t('validation.date')]]
        : employmentChecks(mode === 'rehire' ? v.rows.slice(-1) : v.rows, 'employments').map(
            ([field, failed, msg]): Check => [mode === 'rehire' ? field.replace(/^employments\.0/, `employments.${v.rows.length - 1}`) : field, failed, msg],
          ),
    async (v) => {
      let employments: Employment[];
      if (mode === 'end') employments = endEmployment(employee.employments, parseDateInput(v.end_date)!);
      else if (mode === 'rehire') {
        const last = v.rows[v.rows.length - 1]!;
        employments = rehire(employee.employments, parseDateInput(last.start_date)!, last.end_date.trim() ? parseDateInput(last.end_date) : null, last.fixed_term);
      } else employments = fromText(v.rows);
      const r = await reconciliationsApi.patchEmployee(rec.id, employee.id, { employments });
      onDone(r.data);
    },
  );

  const title = mode === 'end' ? 'recon.employees.end' : mode === 'rehire' ? 'recon.employees.rehire' : 'recon.employees.change';
  const shown = mode === 'rehire' ? [v.rows.length - 1] : mode === 'edit' ? v.rows.map((_, i) => i) : [];
  return (
    <form ref={f.formRef} noValidate onSubmit={submit} class="recon-inline-form" aria-label={`${t(title)} – ${employee.display_name}`}>
      <h3>
        {t(title)} – {employee.display_name}
      </h3>
      <ErrorAlert messages={f.errors.general} />
      {mode === 'end' && (
        <>
          <p class="hint">{t('recon.employees.endHint')}</p>
          <TextField {...f.field('end_date')} label={t('recon.employment.lastDay')} hint={t('date.hint')} inputMode="numeric" class="input-short" required />
        </>
      )}
      {mode === 'rehire' && <p class="hint">{t('recon.employees.rehireHint')}</p>}
      {f.errors.fields.employments && <p class="field-error">{f.errors.fields.employments}</p>}
      {shown.map((i) => (
        <fieldset key={i} class="recon-employment">
          <legend>{t('recon.employment.n', { n: i + 1 })}</legend>
          <div class="field-row">
            <TextField
              name={`employments.${i}.start_date`}
              label={t('recon.employment.start')}
              value={v.rows[i]!.start_date}
              onValue={(x) => setRow(i, { start_date: x })}
              error={f.errors.fields[`employments.${i}.start_date`]}
              hint={t('date.hint')}
              inputMode="numeric"
              class="input-short"
            />
            <TextField
              name={`employments.${i}.end_date`}
              label={t('recon.employment.end')}
              value={v.rows[i]!.end_date}
              onValue={(x) => setRow(i, { end_date: x })}
              error={f.errors.fields[`employments.${i}.end_date`]}
              hint={t('recon.employment.endHint')}
              inputMode="numeric"
              class="input-short"
            />
          </div>
          <CheckboxField name={`employments.${i}.fixed_term`} label={t('recon.employment.fixedTermLabel')} checked={v.rows[i]!.fixed_term} onChange={(x) => setRow(i, { fixed_term: x })} />
        </fieldset>
      ))}
      {mode === 'edit' && (
        <p>
          <button type="button" class="btn btn-secondary btn-small" onClick={() => f.setValues((old) => ({ ...old, rows: [...old.rows, { start_date: '', end_date: '', fixed_term: false }] }))}>
            {t('recon.employment.add')}
          </button>
        </p>
      )}
      <div class="button-row">
        <SubmitButton busy={f.busy} busyLabel={t('common.busy')}>
          {t('common.save')}
        </SubmitButton>
        <button type="button" class="btn btn-secondary" onClick={onCancel}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}

interface PersonText {
  'person.initials': string;
  'person.first_name': string;
  'person.surname_prefix': string;
  'person.surname': string;
  'person.birth_date': string;
  'person.gender': '' | 'male' | 'female' | 'unknown';
  'person.bsn': string;
}

/** Client checks of the general data: the mandatory fields, a real date, a gender and an 11-test BSN (§9). */
function personChecks(v: PersonText): Check[] {
  return [
    ['person.initials', !v['person.initials'].trim(), t('validation.required')],
    ['person.surname', !v['person.surname'].trim(), t('validation.required')],
    ['person.birth_date', parseDateInput(v['person.birth_date']) === null, t('validation.date')],
    ['person.gender', v['person.gender'] === '', t('recon.employees.genderRequired')],
    ['person.bsn', !isValidBsn(v['person.bsn']), t('validation.bsn')],
  ];
}

/** The general data as the API takes them (checked by personChecks first). */
function personBody(v: PersonText): ReconciliationPerson {
  return {
    initials: v['person.initials'].trim(),
    ...(v['person.first_name'].trim() ? { first_name: v['person.first_name'].trim() } : {}),
    ...(v['person.surname_prefix'].trim() ? { surname_prefix: v['person.surname_prefix'].trim() } : {}),
    surname: v['person.surname'].trim(),
    birth_date: parseDateInput(v['person.birth_date'])!,
    gender: v['person.gender'] as 'male' | 'female' | 'unknown',
    bsn: cleanBsn(v['person.bsn']),
  };
}

/** The text-field props useForm gives for one name. */
type PersonFieldProps = { name: string; value: string; onValue: (value: string) => void; error?: string };

/** The general-data fields of an employee (§15): the same for adding one and for changing one. */
function PersonFields({ field, gender, onGender, genderError }: { field: (name: Exclude<keyof PersonText, 'person.gender'>) => PersonFieldProps; gender: PersonText['person.gender']; onGender: (g: PersonText['person.gender']) => void; genderError?: string }) {
  return (
    <>
      <div class="field-row">
        <TextField {...field('person.initials')} label={t('recon.person.initials')} class="input-short" required />
        <TextField {...field('person.first_name')} label={t('recon.person.firstName')} />
      </div>
      <div class="field-row">
        <TextField {...field('person.surname_prefix')} label={t('recon.person.prefix')} class="input-short" />
        <TextField {...field('person.surname')} label={t('recon.person.surname')} required />
      </div>
      <div class="field-row">
        <TextField {...field('person.birth_date')} label={t('participants.birthDate')} hint={t('date.hint')} inputMode="numeric" class="input-short" required />
        <SelectField
          name="person.gender"
          label={t('participants.gender')}
          value={gender}
          onValue={(g) => onGender(g as PersonText['person.gender'])}
          options={[
            { value: '', label: t('recon.choose') },
            ...(['female', 'male', 'unknown'] as const).map((g) => ({ value: g, label: genderLabel(g) })),
          ]}
          error={genderError}
        />
        <TextField {...field('person.bsn')} label={t('participants.bsn')} hint={t('participants.bsnHint')} inputMode="numeric" class="input-medium" required />
      </div>
    </>
  );
}

/** Changes an employee's general data; a BSN another employee has is refused with the API's employee_exists. */
function PersonForm({ rec, employee, onDone, onCancel }: { rec: Reconciliation; employee: ReconciliationEmployee; onDone: (e: ReconciliationEmployee) => void; onCancel: () => void }) {
  const f = useForm<PersonText>(
    {
      'person.initials': employee.initials,
      'person.first_name': employee.first_name ?? '',
      'person.surname_prefix': employee.surname_prefix ?? '',
      'person.surname': employee.surname,
      'person.birth_date': dateValue(employee.birth_date),
      'person.gender': employee.gender,
      'person.bsn': employee.bsn.includes('*') ? '' : employee.bsn,
    },
    { fields: PERSON_FIELDS },
  );
  const v = f.values;
  const submit = f.submit(
    (v) => personChecks(v),
    async (v) => {
      const r = await reconciliationsApi.patchEmployee(rec.id, employee.id, { person: personBody(v) });
      onDone(r.data);
    },
    {
      onError: (err, fe) =>
        err instanceof ApiError && err.code === 'employee_exists' ? { ...fe, general: [t('recon.employees.bsnTaken')] } : fe,
    },
  );
  return (
    <form ref={f.formRef} noValidate onSubmit={submit} class="recon-inline-form" aria-label={`${t('recon.employees.changePerson')} – ${employee.display_name}`}>
      <h3>
        {t('recon.employees.changePerson')} – {employee.display_name}
      </h3>
      <ErrorAlert messages={f.errors.general} />
      <PersonFields field={(name) => f.field(name)} gender={v['person.gender']} onGender={f.set('person.gender')} genderError={f.errors.fields['person.gender']} />
      <div class="button-row">
        <SubmitButton busy={f.busy} busyLabel={t('common.busy')}>
          {t('common.save')}
        </SubmitButton>
        <button type="button" class="btn btn-secondary" onClick={onCancel}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}

const PERSON_FIELDS = ['person.initials', 'person.first_name', 'person.surname_prefix', 'person.surname', 'person.birth_date', 'person.gender', 'person.bsn'];

function NewEmployeeForm({ rec, onDone, onCancel }: { rec: Reconciliation; onDone: (e: ReconciliationEmployee) => void; onCancel: () => void }) {
  const f = useForm(
    {
      'person.initials': '',
      'person.first_name': '',
      'person.surname_prefix': '',
      'person.surname': '',
      'person.birth_date': '',
      'person.gender': '' as '' | 'male' | 'female' | 'unknown',
      'person.bsn': '',
      start_date: '',
      end_date: '',
      fixed_term: false,
    },
    { fields: [...PERSON_FIELDS, 'employments.0.start_date', 'employments.0.end_date', 'employments'], aliases: { 'employments.0.start_date': 'start_date', 'employments.0.end_date': 'end_date' } },
  );
  const v = f.values;
  const submit = f.submit(
    (v) => [
      ...personChecks(v),
      ...employmentChecks([{ start_date: v.start_date, end_date: v.end_date, fixed_term: v.fixed_term }]).map(([field, failed, msg]): Check => [field.replace('employments.0.', ''), failed, msg]),
    ],
    async (v) => {
      const r = await reconciliationsApi.addEmployee(rec.id, {
        person: personBody(v),
        employments: fromText([{ start_date: v.start_date, end_date: v.end_date, fixed_term: v.fixed_term }]),
      });
      onDone(r.data);
    },
    {
      onError: (err, fe) =>
        err instanceof ApiError && err.code === 'employee_exists' ? { ...fe, general: [t('recon.employees.exists')] } : fe,
    },
  );
  return (
    <form ref={f.formRef} noValidate onSubmit={submit} class="recon-inline-form" aria-labelledby="recon-new-employee">
      <h3 id="recon-new-employee">{t('recon.employees.add')}</h3>
      <ErrorAlert messages={f.errors.general} />
      <fieldset>
        <legend>{t('recon.employees.general')}</legend>
        <PersonFields field={(name) => f.field(name)} gender={v['person.gender']} onGender={f.set('person.gender')} genderError={f.errors.fields['person.gender']} />
      </fieldset>
      <fieldset>
        <legend>{t('recon.employments')}</legend>
        {f.errors.fields.employments && <p class="field-error">{f.errors.fields.employments}</p>}
        <div class="field-row">
          <TextField {...f.field('start_date')} label={t('recon.employment.start')} hint={t('date.hint')} inputMode="numeric" class="input-short" required />
          <TextField {...f.field('end_date')} label={t('recon.employment.end')} hint={t('recon.employment.endHint')} inputMode="numeric" class="input-short" />
        </div>
        <CheckboxField name="fixed_term" label={t('recon.employment.fixedTermLabel')} checked={v.fixed_term} onChange={f.set('fixed_term')} />
      </fieldset>
      <div class="button-row">
        <SubmitButton busy={f.busy} busyLabel={t('common.busy')}>
          {t('recon.employees.addSubmit')}
        </SubmitButton>
        <button type="button" class="btn btn-secondary" onClick={onCancel}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}
