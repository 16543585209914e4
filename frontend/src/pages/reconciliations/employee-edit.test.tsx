// Changing an employee's general data in step 1 (seed 002 §15): the form
// starts from what the employee has, checks the mandatory fields, the gender
// and the BSN (11-test) before sending, sends the whole person and shows the
// API's answer; a BSN another employee has is explained. And the evidence
// the insurer asked for: marked in step 4, and a missing file found on
// handing in links back to step 4.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Harness, json, me, reconciliationFixture } from './harness';

const REC = reconciliationFixture({ employee_count: 1 });

const AALBERS = {
  id: 'e1',
  participant_id: null,
  first_name: null,
  initials: 'A.',
  surname_prefix: null,
  surname: 'Aalbers',
  display_name: 'Aalbers, A.',
  birth_date: '1980-01-01',
  gender: 'female',
  bsn: '123456782',
  left_service: false,
  insured_wage: '41000.00',
  employments: [{ start_date: '2019-05-01', end_date: null, fixed_term: false }],
  line: null,
  seq: 1,
};

let h: Harness;

async function openWizard(rec: object = REC) {
  h.on('GET /reconciliations/r1', () => json(200, rec, { ETag: '"3"' }));
  h.on('GET /reconciliations/r1/employees', () => json(200, { items: [AALBERS], next_cursor: null }));
  h.on('GET /reconciliations/r1/sick-reports', () => json(200, { items: [], next_cursor: null }));
  h.on('GET /me', () => json(200, me('employer', ['hr'])));
  await h.boot('/reconciliations/r1');
  await h.waitFor(() => h.h1() === 'Naverrekening 2025 – Verzuimverzekering', 'the wizard');
}

beforeEach(() => {
  h = new Harness();
});

afterEach(() => h.done());

describe('step 1: the general data of an employee', () => {
  it('changes names, birth date, gender and BSN after checking them', async () => {
    await openWizard();
    await h.click('Gegevens wijzigen – Aalbers, A.');
    expect(h.box('person.surname').value).toBe('Aalbers');
    expect(h.box('person.birth_date').value).toBe('01-01-1980');
    h.type('person.surname', '');
    h.type('person.bsn', '123456789');
    await h.click('Opslaan');
    await h.waitFor(() => h.box('person.bsn').getAttribute('aria-invalid') === 'true', 'the BSN check');
    expect(h.box('person.surname').getAttribute('aria-invalid')).toBe('true');
    expect(h.sent('PATCH /reconciliations/r1/employees/e1')).toHaveLength(0);

    h.type('person.surname', 'Dijk');
    h.type('person.surname_prefix', 'van');
    h.type('person.first_name', 'Anna');
    h.type('person.birth_date', '03-02-1985');
    h.choose('person.gender', 'male');
    h.type('person.bsn', '111222333');
    const changed = { ...AALBERS, first_name: 'Anna', surname_prefix: 'van', surname: 'Dijk', display_name: 'Dijk, A., van', birth_date: '1985-02-03', gender: 'male', bsn: '111222333' };
    h.on('PATCH /reconciliations/r1/employees/e1', () => json(200, changed));
    await h.click('Opslaan');
    await h.waitFor(() => h.text().includes('Dijk, A., van'), 'the changed row');
    expect(h.sent('PATCH /reconciliations/r1/employees/e1')[0]!.body).toEqual({
      person: { initials: 'A.', first_name: 'Anna', surname_prefix: 'van', surname: 'Dijk', birth_date: '1985-02-03', gender: 'male', bsn: '111222333' },
    });
  });

  it('says so when another employee has the BSN', async () => {
    await openWizard();
    await h.click('Gegevens wijzigen – Aalbers, A.');
    h.type('person.bsn', '111222333');
    h.on('PATCH /reconciliations/r1/employees/e1', () => json(409, { status: 409, code: 'employee_exists', title: 'Bestaat al' }));
    await h.click('Opslaan');
    await h.waitFor(() => h.text().includes('Deze BSN hoort al bij een andere werknemer'), 'the explanation');
  });
});

describe('evidence asked for by the insurer', () => {
  it('marks the asked files in step 4 and links evidence_missing there from step 5', async () => {
    await openWizard({ ...REC, variant: 'no_claim', evidence_requested: ['absence_report'] });
    await h.click('4 Aanleveren');
    await h.waitFor(() => h.container.querySelector('#recon-evidence-absence_report'), 'the absence report upload');
    expect(h.container.querySelector('#recon-evidence-absence_report')!.textContent).toContain('Gevraagd door de verzekeraar');
    expect(h.container.querySelector('#recon-evidence-payroll_summary')!.textContent).not.toContain('Gevraagd door de verzekeraar');

    await h.click('5 Controleren en verzenden');
    h.on('POST /reconciliations/r1/submit', () =>
      json(422, {
        status: 422,
        code: 'reconciliation_incomplete',
        errors: [{ field: '/evidence/absence_report', code: 'evidence_missing', message: 'De verzekeraar vraagt om de arborapportage: upload die.' }],
        error_count: 1,
      }),
    );
    await h.click('Klaar en verzenden');
    await h.waitFor(() => h.text().includes('De verzekeraar vraagt om de arborapportage'), 'the problem');
    const link = [...h.container.querySelectorAll<HTMLAnchorElement>('.recon-problems a')].find((a) => a.textContent?.includes('Aanleveren'))!;
    expect(link.getAttribute('href')).toBe('#recon-evidence-absence_report');
    link.click();
    await h.waitFor(() => document.activeElement?.id === 'recon-evidence-absence_report', 'the evidence step focused');
  });
});

describe('staff ask for evidence when opening', () => {
  it('sends the asked files with the new reconciliation', async () => {
    h.on('GET /me', () => json(200, me('insurer', ['staff'])));
    h.on('GET /reconciliations', () => json(200, { items: [], next_cursor: null }));
    h.on('GET /organisations', () => json(200, { items: [{ id: 'o1', name: 'Bakkerij Van Dijk B.V.', kind: 'employer' }], next_cursor: null }));
    h.on('GET /schemes', () =>
      json(200, { items: [{ id: 's1', organisation_id: 'o1', name: 'Verzuimverzekering', number: 'VZ-880231', kind: 'income', start_date: '2021-01-01', coverages: [], premium: null, variant: 'no_claim', insured_wage_type: 'uniform_wage' }], next_cursor: null }),
    );
    await h.boot('/staff/reconciliations');
    await h.click('Naverrekening openzetten');
    await h.waitFor(() => h.container.querySelector('select[data-field="organisation_id"] option[value="o1"]'), 'the employers');
    h.choose('organisation_id', 'o1');
    await h.waitFor(() => h.container.querySelector('select[data-field="scheme_id"] option[value="s1"]'), 'the schemes');
    h.choose('scheme_id', 's1');
    h.type('year', '2025');
    h.type('deadline', '31-03-2026');
    h.type('premium_rate', '2');
    h.type('provisional_premium', '3.000,00');
    h.box('ask_absence_report').click();
    h.on('POST /reconciliations', () => json(201, { ...REC, evidence_requested: ['absence_report'] }));
    h.on('GET /reconciliations/r1', () => json(200, REC, { ETag: '"3"' }));
    await h.click('Openzetten');
    await h.waitFor(() => h.sent('POST /reconciliations').length === 1, 'the request');
    expect(h.sent('POST /reconciliations')[0]!.body).toEqual({
      scheme_id: 's1',
      year: 2025,
      deadline: '2026-03-31',
      premium_rate: '2.000',
      provisional_premium: '3000.00',
      evidence_requested: ['absence_report'],
    });
  });
});
