// The naverrekening screens against a fake API: each step of the wizard
// sends what the API expects and shows what it answers (employees with
// employments, ending and re-hiring, wages, sick reports for stop-loss only,
// evidence after its checklist is confirmed, every problem of a hand-in
// linked to its employee), a handed-in or read-only reconciliation offers
// no edits, finance sees the result and the specification, and staff filter
// the overview, open one and reopen one with a reason.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Harness, json, me, reconciliationFixture } from './harness';
import { endEmployment, linkProblem, mayEditReconciliation, rehire, stepOfProblem } from './model';

const REC = reconciliationFixture();

const employee = (id: string, surname: string, initials: string, employments: unknown[], wage: string | null, extra = {}) => ({
  id,
  participant_id: null,
  first_name: null,
  initials,
  surname_prefix: null,
  surname,
  display_name: `${surname}, ${initials}`,
  birth_date: '1980-01-01',
  gender: 'female',
  bsn: '123456782',
  left_service: false,
  insured_wage: wage,
  employments,
  line: null,
  seq: id === 'e1' ? 1 : 2,
  ...extra,
});

const AALBERS = employee('e1', 'Aalbers', 'A.', [{ start_date: '2019-05-01', end_date: null, fixed_term: false }], '41000.00');
const BAKKER = employee('e2', 'Bakker', 'B.', [{ start_date: '2020-01-01', end_date: '2025-03-31', fixed_term: false }], null);

let h: Harness;

function api(rec: object = REC, employees: object[] = [AALBERS, BAKKER], reports: object[] = []) {
  h.on('GET /reconciliations/r1', () => json(200, rec, { ETag: '"3"' }));
  h.on('GET /reconciliations/r1/employees', () => json(200, { items: employees, next_cursor: null }));
  h.on('GET /reconciliations/r1/sick-reports', () => json(200, { items: reports, next_cursor: null }));
  h.on('GET /reconciliations', () => json(200, { items: [rec], next_cursor: null }));
}

async function openWizard(rights = ['hr']) {
  h.on('GET /me', () => json(200, me('employer', rights)));
  await h.boot('/reconciliations/r1');
  await h.waitFor(() => h.h1() === 'Naverrekening 2025 – Verzuimverzekering', 'the wizard');
}

beforeEach(() => {
  h = new Harness();
});

afterEach(() => h.done());

describe('the rules', () => {
  it('links a problem to its employee or sick report and the step that puts it right', () => {
    const wage = linkProblem({ field: '/employees/e2/insured_wage', code: 'insured_wage_required', message: 'Vul het loon in.' });
    expect(wage).toEqual({ target: 'employee', id: 'e2', path: 'insured_wage', code: 'insured_wage_required', message: 'Vul het loon in.' });
    expect(stepOfProblem(wage)).toBe('wages');
    expect(stepOfProblem(linkProblem({ field: '/employees/e2/employments/0/end_date', code: 'x' }))).toBe('employees');
    expect(stepOfProblem(linkProblem({ field: '/sick_reports/k1/recovery_date', code: 'x' }))).toBe('sick');
    expect(linkProblem({ field: '/premium_rate', code: 'x' }).target).toBe('general');
  });

  it('ends the open employment and re-hires with a new main employment', () => {
    const open = [{ start_date: '2019-05-01', end_date: null, fixed_term: false }];
    const ended = endEmployment(open, '2025-06-30');
    expect(ended).toEqual([{ start_date: '2019-05-01', end_date: '2025-06-30', fixed_term: false }]);
    expect(rehire(ended, '2025-09-01', '2026-08-31', true)).toEqual([...ended, { start_date: '2025-09-01', end_date: '2026-08-31', fixed_term: true }]);
  });

  it('lets HR and administrators edit an open reconciliation only', () => {
    const m = (rights: string[]) => me('employer', rights) as any;
    const open = { status: 'open' as const, scheme_id: 's1' };
    expect(mayEditReconciliation(m(['hr']), open)).toBe(true);
    expect(mayEditReconciliation(m(['user_management']), open)).toBe(true);
    expect(mayEditReconciliation(m(['hr_read']), open)).toBe(false);
    expect(mayEditReconciliation(m(['finance']), open)).toBe(false);
    expect(mayEditReconciliation(m(['hr']), { ...open, status: 'submitted' })).toBe(false);
    expect(mayEditReconciliation(me('insurer', ['staff']) as any, open)).toBe(false);
    const office = { ...me('employer', ['inkomensverzekering']), organisation: { id: 'i1', name: 'Advies', kind: 'intermediary' } } as any;
    expect(mayEditReconciliation(office, open, ['s1'])).toBe(true);
    expect(mayEditReconciliation(office, open, ['s2'])).toBe(false);
  });
});

describe('step 1: employees', () => {
  it('adds an employee with general data and a first employment', async () => {
    api();
    await openWizard();
    await h.waitFor(() => h.text().includes('Aalbers, A.'), 'the list');
    expect(h.text()).toContain('01-05-2019 – heden');
    await h.click('Werknemer toevoegen');
    h.type('person.initials', 'C.');
    h.type('person.surname', 'Claassen');
    h.type('person.birth_date', '14-02-1990');
    h.choose('person.gender', 'male');
    h.type('person.bsn', '111222333');
    h.type('start_date', '01-07-2025');
    h.type('end_date', '');
    h.box('fixed_term').click();
    const created = employee('e3', 'Claassen', 'C.', [{ start_date: '2025-07-01', end_date: null, fixed_term: true }], null);
    h.on('POST /reconciliations/r1/employees', () => json(201, created));
    await h.submitForm('form[aria-labelledby="recon-new-employee"]');
    // A fixed-term contract needs an end date (seed 002 §17): nothing is sent.
    await h.waitFor(() => h.text().includes('Bij een contract voor bepaalde tijd moet er een einddatum staan.'), 'the check');
    expect(h.sent('POST /reconciliations/r1/employees')).toHaveLength(0);
    h.type('end_date', '31-12-2025');
    await h.submitForm('form[aria-labelledby="recon-new-employee"]');
    await h.waitFor(() => h.sent('POST /reconciliations/r1/employees').length === 1, 'the request');
    expect(h.sent('POST /reconciliations/r1/employees')[0]!.body).toEqual({
      person: { initials: 'C.', surname: 'Claassen', birth_date: '1990-02-14', gender: 'male', bsn: '111222333' },
      employments: [{ start_date: '2025-07-01', end_date: '2025-12-31', fixed_term: true }],
    });
    await h.waitFor(() => h.text().includes('Claassen, C.'), 'the new row');
  });

  it('says how to re-hire when the employee exists already', async () => {
    api();
    await openWizard();
    await h.click('Werknemer toevoegen');
    h.type('person.initials', 'B.');
    h.type('person.surname', 'Bakker');
    h.type('person.birth_date', '01-01-1980');
    h.choose('person.gender', 'female');
    h.type('person.bsn', '123456782');
    h.type('start_date', '01-09-2025');
    h.on('POST /reconciliations/r1/employees', () => json(409, { status: 409, code: 'employee_exists', title: 'Bestaat al' }));
    await h.submitForm('form[aria-labelledby="recon-new-employee"]');
    await h.waitFor(() => h.text().includes('Deze werknemer bestaat al.'), 'the explanation');
    expect(h.text()).toContain('‘Opnieuw in dienst’');
  });

  it('ends an employment and re-hires with a new main employment', async () => {
    api();
    await openWizard();
    await h.click('Uit dienst melden – Aalbers, A.');
    h.type('end_date', '30-06-2025');
    const ended = { ...AALBERS, employments: [{ start_date: '2019-05-01', end_date: '2025-06-30', fixed_term: false }] };
    h.on('PATCH /reconciliations/r1/employees/e1', () => json(200, ended));
    await h.click('Opslaan');
    await h.waitFor(() => h.text().includes('01-05-2019 – 30-06-2025'), 'the end date');
    expect(h.sent('PATCH /reconciliations/r1/employees/e1')[0]!.body).toEqual({ employments: ended.employments });

    await h.click('Opnieuw in dienst – Bakker, B.');
    h.type('employments.1.start_date', '01-09-2025');
    h.on('PATCH /reconciliations/r1/employees/e2', (body) => json(200, { ...BAKKER, employments: body.employments }));
    await h.click('Opslaan');
    await h.waitFor(() => h.text().includes('01-09-2025 – heden'), 'the new employment');
    expect(h.sent('PATCH /reconciliations/r1/employees/e2')[0]!.body).toEqual({
      employments: [
        { start_date: '2020-01-01', end_date: '2025-03-31', fixed_term: false },
        { start_date: '2025-09-01', end_date: null, fixed_term: false },
      ],
    });
  });

  it('shows the API field errors of an employment next to the field', async () => {
    api();
    await openWizard();
    await h.click('Dienstverbanden wijzigen – Aalbers, A.');
    h.type('employments.0.end_date', '01-01-2019');
    h.on('PATCH /reconciliations/r1/employees/e1', () =>
      json(422, { status: 422, code: 'validation_failed', errors: [{ field: '/employments/0/end_date', code: 'employment_end_before_start', message: 'De einddatum ligt voor de begindatum.' }] }),
    );
    await h.click('Opslaan');
    await h.waitFor(() => h.box('employments.0.end_date').getAttribute('aria-invalid') === 'true', 'the field error');
    expect(h.text()).toContain('De einddatum ligt voor de begindatum.');
    expect(h.box('employments.0.end_date').value).toBe('01-01-2019');
  });
});

describe('step 2: wages', () => {
  it('saves the wage of one employee as a decimal and refuses what is no amount', async () => {
    api(REC, [AALBERS, { ...BAKKER, left_service: true, employments: [{ start_date: '2020-01-01', end_date: null, fixed_term: false }] }]);
    await openWizard();
    await h.click('2 Lonen');
    await h.waitFor(() => h.container.querySelector('#wage-e2'), 'the wage inputs');
    expect(h.text()).toContain('Uw polis is ingegaan op 01-04-2025');
    // §14 "Let op": the employee who left needs the end date first.
    expect(h.text()).toContain('Let op: vul eerst de datum uit dienst in');
    const input = h.container.querySelector<HTMLInputElement>('#wage-e2')!;
    h.typeInto(input, 'veel');
    await h.click('Opslaan – Bakker, B.');
    await h.waitFor(() => h.text().includes('Vul een bedrag in'), 'the check');
    expect(h.sent('PATCH /reconciliations/r1/employees/e2')).toHaveLength(0);
    h.typeInto(input, '18.500,50');
    h.on('PATCH /reconciliations/r1/employees/e2', (body) => json(200, { ...BAKKER, insured_wage: body.insured_wage }));
    await h.click('Opslaan – Bakker, B.');
    await h.waitFor(() => h.sent('PATCH /reconciliations/r1/employees/e2').length === 1, 'the request');
    expect(h.sent('PATCH /reconciliations/r1/employees/e2')[0]!.body).toEqual({ insured_wage: '18500.50' });
    await h.waitFor(() => h.text().includes('Opgeslagen'), 'the saved note');
    expect(h.container.querySelector<HTMLInputElement>('#wage-e1')!.value).toBe('41.000,00');
  });
});

describe('step 3: sick reports', () => {
  const REPORT = {
    id: 'k1',
    employee_id: 'e1',
    first_sick_day: '2025-06-02',
    report_date: '2025-06-03',
    recovery_date: null,
    ao_percentage: '50.000',
    atw_percentage: '0.000',
    sick_days: null,
    daily_wage: null,
    cost: null,
    created_at: '2025-06-03T10:00:00Z',
  };

  it('shows the reports and lets a stop-loss reconciliation add one', async () => {
    api(REC, [AALBERS, BAKKER], [REPORT]);
    await openWizard();
    await h.click('3 Ziekmeldingen');
    await h.waitFor(() => h.text().includes('02-06-2025'), 'the report');
    expect(h.text()).toContain('nog ziek');
    expect(h.text()).toContain('Ziekmeldingen kunt u niet aanpassen.');
    await h.click('Ziekmelding toevoegen');
    h.choose('employee_id', 'e2');
    h.type('first_sick_day', '10-02-2025');
    h.type('report_date', '11-02-2025');
    h.type('recovery_date', '01-03-2025');
    h.type('ao_percentage', '62,5');
    h.on('POST /reconciliations/r1/sick-reports', (body) => json(201, { ...REPORT, id: 'k2', ...body }));
    await h.submitForm('form[aria-labelledby="recon-new-sick"]');
    await h.waitFor(() => h.sent('POST /reconciliations/r1/sick-reports').length === 1, 'the request');
    expect(h.sent('POST /reconciliations/r1/sick-reports')[0]!.body).toEqual({
      employee_id: 'e2',
      first_sick_day: '2025-02-10',
      report_date: '2025-02-11',
      recovery_date: '2025-03-01',
      ao_percentage: '62.500',
      atw_percentage: '0',
    });
    await h.waitFor(() => h.text().includes('01-03-2025'), 'the new report');
  });

  it('offers no new reports for no-claim and says why', async () => {
    api({ ...REC, variant: 'no_claim' }, [AALBERS], [REPORT]);
    await openWizard();
    await h.click('3 Ziekmeldingen');
    await h.waitFor(() => h.text().includes('No-Claim kunt u geen ziekmeldingen meer toevoegen'), 'the notice');
    expect(h.button('Ziekmelding toevoegen')).toBeUndefined();
  });
});

describe('step 4: evidence', () => {
  it('uploads the payroll summary only once its checklist is confirmed, and never asks for medical data', async () => {
    api();
    await openWizard();
    await h.click('4 Aanleveren');
    await h.waitFor(() => h.text().includes('Verzamelloonstaat'), 'the step');
    expect(h.text()).toContain('Het portaal vraagt nooit om medische gegevens.');
    expect(h.text()).toContain('De totale loonsom');
    expect(h.text()).toContain('Het arbeidsongeschiktheidspercentage (AO%)');
    const file = new File(['%PDF-1.4\n'], 'loonstaat.pdf', { type: 'application/pdf' });
    const input = h.box('file-payroll_summary');
    Object.defineProperty(input, 'files', { value: [file] });
    input.dispatchEvent(new Event('change', { bubbles: true }));
    await h.click('Verzamelloonstaat toevoegen');
    await h.waitFor(() => h.text().includes('Bevestig eerst dat het bestand aan de eisen voldoet.'), 'the check');
    expect(h.sent('POST /reconciliations/r1/evidence')).toHaveLength(0);
    h.box('checklist_confirmed-payroll_summary').click();
    const stored = { id: 'v1', reconciliation_id: 'r1', kind: 'payroll_summary', file_name: 'loonstaat.pdf', content_type: 'application/pdf', size: 9, checklist_confirmed: true, created_at: '2026-01-06T09:00:00Z' };
    h.on('POST /reconciliations/r1/evidence', () => {
      h.on('GET /reconciliations/r1', () => json(200, { ...REC, evidence: [stored] }));
      return json(201, stored);
    });
    await h.click('Verzamelloonstaat toevoegen');
    await h.waitFor(() => h.sent('POST /reconciliations/r1/evidence').length === 1, 'the upload');
    const form = h.sent('POST /reconciliations/r1/evidence')[0]!.raw as FormData;
    expect(form.get('kind')).toBe('payroll_summary');
    expect(form.get('checklist_confirmed')).toBe('true');
    expect((form.get('file') as File).name).toBe('loonstaat.pdf');
    await h.waitFor(() => h.text().includes('loonstaat.pdf – ontvangen op'), 'the received file');
  });

  it('asks no absence report of a no-claim reconciliation', async () => {
    api({ ...REC, variant: 'no_claim' });
    await openWizard();
    await h.click('4 Aanleveren');
    await h.waitFor(() => h.text().includes('Verzamelloonstaat'), 'the step');
    expect(h.text()).not.toContain('Arborapportage');
  });
});

describe('step 5: check and hand in', () => {
  it('shows every problem at once, each linked to its employee, and hands in when complete', async () => {
    api();
    await openWizard();
    await h.click('5 Controleren en verzenden');
    h.on('POST /reconciliations/r1/submit', () =>
      json(422, {
        status: 422,
        code: 'reconciliation_incomplete',
        errors: [
          { field: '/employees/e2/insured_wage', code: 'insured_wage_required', message: 'Vul het verzekerde loon in.' },
          { field: '/employees/e1/employments/0/end_date', code: 'employment_end_required', message: 'Vul de datum uit dienst in.' },
        ],
        error_count: 2,
      }),
    );
    await h.click('Klaar en verzenden');
    await h.waitFor(() => h.text().includes('2 punten moeten nog worden aangepast'), 'the problems');
    const items = [...h.container.querySelectorAll('.recon-problems li')].map((li) => li.textContent);
    expect(items).toEqual(['Bakker, B.: Vul het verzekerde loon in.', 'Aalbers, A.: Vul de datum uit dienst in.']);
    await h.click('Bakker, B.');
    await h.waitFor(() => h.container.querySelector('#employee-e2-wage.recon-problem-row'), 'the wage row marked');
    expect(h.text()).toContain('Vul het verzekerde loon in.');

    h.on('POST /reconciliations/r1/submit', () => json(200, { ...REC, status: 'submitted', submitted_at: '2026-01-10T09:00:00Z' }, { ETag: '"4"' }));
    await h.click('5 Controleren en verzenden');
    await h.click('Klaar en verzenden');
    await h.waitFor(() => h.text().includes('Uw naverrekening is verzonden.'), 'the confirmation');
    expect(h.text()).toContain('Uw naverrekening is ingediend op 10-01-2026');
    expect(h.button('Werknemer toevoegen')).toBeUndefined();
    expect(h.button('5 Controleren en verzenden')).toBeUndefined();
  });
});

describe('read-only views', () => {
  it('lets hr_read look but not change', async () => {
    api();
    await openWizard(['hr_read']);
    await h.waitFor(() => h.text().includes('Aalbers, A.'), 'the list');
    expect(h.text()).toContain('U kunt deze naverrekening bekijken, maar niet aanpassen.');
    expect(h.button('Werknemer toevoegen')).toBeUndefined();
    expect(h.container.querySelector('[data-field^="insured_wage"]')).toBeNull();
  });

  it('shows finance the result and the specification, not the people', async () => {
    const processed = {
      ...REC,
      status: 'processed',
      processed_at: '2026-02-01T10:00:00Z',
      result: { capped_wage_total: '109035.92', definitive_premium: '2180.72', provisional_premium: '3000.00', settlement: '-819.28', own_risk: '5451.80', sick_pay_cost: '9189.50', reimbursement: '3737.70' },
    };
    api(processed);
    const doc = (id: string, type: string, year: number, created: string) => ({
      id,
      organisation_id: 'o1',
      scheme_id: 's1',
      kind: 'reconciliation_specification',
      category: 'financial',
      title: `Specificatie naverrekening ${year} Verzuimverzekering (${type.includes('pdf') ? 'PDF' : 'XLSX'})`,
      document_date: '2026-02-01',
      amount: '-819.28',
      due_date: null,
      file_name: 'spec',
      content_type: type,
      size: 10,
      created_at: created,
      read_at: null,
      first_read: null,
    });
    h.on('GET /documents', () =>
      json(200, {
        items: [
          doc('d1', 'application/pdf', 2025, '2026-01-20T10:00:00Z'),
          doc('d2', 'application/pdf', 2025, '2026-02-01T10:00:00Z'),
          doc('d3', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 2025, '2026-02-01T10:00:00Z'),
          doc('d4', 'application/pdf', 2024, '2025-02-01T10:00:00Z'),
        ],
        next_cursor: null,
      }),
    );
    await openWizard(['finance']);
    await h.waitFor(() => h.button('Specificatie downloaden (XLSX)'), 'the downloads');
    expect(h.text()).toContain('Terug te ontvangen€ 819,28');
    expect(h.text()).toContain('Eigen risico€ 5.451,80');
    expect(h.sent('GET /reconciliations/r1/employees')).toHaveLength(0);
    expect(h.container.querySelector('.recon-steps')).toBeNull();
    h.on('GET /documents/d2/file', () => new Response('%PDF', { status: 200, headers: { 'Content-Disposition': 'attachment; filename="spec.pdf"' } }));
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => undefined);
    URL.createObjectURL = () => 'blob:x';
    URL.revokeObjectURL = () => undefined;
    await h.click('Specificatie downloaden (PDF)');
    await h.waitFor(() => h.sent('GET /documents/d2/file').length === 1, 'the newest PDF');
  });

  it('shows the employer the reason a reconciliation was reopened', async () => {
    api({ ...REC, reopen_reason: 'Het loon van Bakker ontbreekt.' });
    await openWizard();
    await h.waitFor(() => h.text().includes('Reden: Het loon van Bakker ontbreekt.'), 'the reason');
    expect(h.text()).toContain('Wij hebben uw naverrekening opnieuw opengezet.');
    expect(h.button('Werknemer toevoegen')).toBeDefined();
  });
});

describe('staff', () => {
  it('filters the overview by year, status and a passed deadline', async () => {
    h.on('GET /me', () => json(200, me('insurer', ['staff'])));
    h.on('GET /reconciliations', () => json(200, { items: [{ ...REC, deadline: '2020-03-31' }], next_cursor: null }));
    h.on('GET /organisations', () => json(200, { items: [], next_cursor: null }));
    await h.boot('/staff/reconciliations');
    await h.waitFor(() => h.text().includes('Bakkerij Van Dijk B.V.'), 'the list');
    expect(h.text()).toContain('Uiterste datum verstreken');
    h.type('filter_year', '2025');
    h.choose('filter_status', 'open');
    h.box('filter_late').click();
    await h.waitFor(() => h.log.some((l) => l.key === 'GET /reconciliations' && l.url.includes('deadline_before=')), 'the filtered request');
    const last = h.sent('GET /reconciliations').at(-1)!.url;
    expect(last).toContain('year=2025');
    expect(last).toContain('status=open');
    expect(last).toMatch(/deadline_before=\d{4}-\d{2}-\d{2}/);
  });

  it('opens a stop-loss reconciliation for one income scheme', async () => {
    h.on('GET /me', () => json(200, me('insurer', ['staff'])));
    h.on('GET /reconciliations', () => json(200, { items: [], next_cursor: null }));
    h.on('GET /organisations', () => json(200, { items: [{ id: 'o1', name: 'Bakkerij Van Dijk B.V.', kind: 'employer' }], next_cursor: null }));
    h.on('GET /schemes', () =>
      json(200, { items: [{ id: 's1', organisation_id: 'o1', name: 'Verzuimverzekering', number: 'VZ-880231', kind: 'income', start_date: '2021-01-01', coverages: [], premium: null, variant: 'stop_loss', insured_wage_type: 'uniform_wage' }], next_cursor: null }),
    );
    await h.boot('/staff/reconciliations');
    await h.click('Naverrekening openzetten');
    await h.waitFor(() => h.container.querySelector('select[data-field="organisation_id"] option[value="o1"]'), 'the employers');
    h.choose('organisation_id', 'o1');
    await h.waitFor(() => h.container.querySelector('select[data-field="scheme_id"] option[value="s1"]'), 'the schemes');
    h.choose('scheme_id', 's1');
    await h.waitFor(() => h.box('own_risk'), 'the stop-loss fields');
    h.type('year', '2025');
    h.type('deadline', '31-03-2026');
    h.type('premium_rate', '2');
    h.type('provisional_premium', '3.000,00');
    h.type('own_risk', '5');
    h.type('continued_pay_percentage', '70');
    h.type('maximum_reimbursement', '5.000');
    h.on('POST /reconciliations', () => json(201, REC));
    api();
    await h.click('Openzetten');
    await h.waitFor(() => h.sent('POST /reconciliations').length === 1, 'the request');
    expect(h.sent('POST /reconciliations')[0]!.body).toEqual({
      scheme_id: 's1',
      year: 2025,
      deadline: '2026-03-31',
      premium_rate: '2.000',
      provisional_premium: '3000.00',
      own_risk_percentage: '5.000',
      continued_pay_percentage: '70.000',
      maximum_reimbursement: '5000.00',
    });
    await h.waitFor(() => window.location.pathname === '/staff/reconciliations/r1', 'the new reconciliation');
  });

  it('reopens a handed-in reconciliation with a reason', async () => {
    h.on('GET /me', () => json(200, me('insurer', ['staff'])));
    api({ ...REC, status: 'submitted', submitted_at: '2026-01-10T09:00:00Z' });
    await h.boot('/staff/reconciliations/r1');
    await h.waitFor(() => h.text().includes('Opnieuw openzetten'), 'the reopen form');
    expect(h.text()).toContain('WerkgeverBakkerij Van Dijk B.V.');
    await h.click('Opnieuw openzetten');
    await h.waitFor(() => h.text().includes('Vul de reden in.'), 'the check');
    expect(h.sent('POST /reconciliations/r1/reopen')).toHaveLength(0);
    h.type('reason', 'Loon van Bakker ontbreekt.');
    h.on('POST /reconciliations/r1/reopen', (body) => json(200, { ...REC, reopen_reason: body.reason }));
    await h.click('Opnieuw openzetten');
    await h.waitFor(() => h.text().includes('De naverrekening staat weer open voor de werkgever.'), 'the confirmation');
    expect(h.sent('POST /reconciliations/r1/reopen')[0]!.body).toEqual({ reason: 'Loon van Bakker ontbreekt.' });
    expect(h.text()).toContain('Reden: Loon van Bakker ontbreekt.');
  });
});
