// The naverrekening screens on the API's later additions, against a fake API:
// the likely duplicates (merge after choosing whom to keep, dismiss, and the
// check step's link to them), the wage file (every error with its row, the
// wages reloaded on success), evidence downloads, and staff opening a year
// for every income scheme with what was opened and skipped.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Harness, json, me, reconciliationFixture } from './harness';

const REC = reconciliationFixture({ policy_start: '2021-01-01' });

const employee = (id: string, surname: string, initials: string, bsn: string, wage: string | null, start = '2019-05-01') => ({
  id,
  participant_id: null,
  first_name: null,
  initials,
  surname_prefix: null,
  surname,
  display_name: `${surname}, ${initials}`,
  birth_date: '1980-01-01',
  gender: 'female',
  bsn,
  left_service: false,
  insured_wage: wage,
  employments: [{ start_date: start, end_date: null, fixed_term: false }],
  line: null,
  seq: Number(id.slice(1)),
});

const AALBERS = employee('e1', 'Aalbers', 'A.', '123456782', '41000.00');
const AALBERS_AGAIN = employee('e2', 'Aalbers', 'A.', '123456782', '2000.00', '2025-09-01');
const BAKKER = employee('e3', 'Bakker', 'B.', '111222333', null);

let h: Harness;

function api(rec: object = REC, employees: object[] = [AALBERS, AALBERS_AGAIN, BAKKER], pairs: object[] = []) {
  h.on('GET /reconciliations/r1', () => json(200, rec, { ETag: '"3"' }));
  h.on('GET /reconciliations/r1/employees', () => json(200, { items: employees, next_cursor: null }));
  h.on('GET /reconciliations/r1/sick-reports', () => json(200, { items: [], next_cursor: null }));
  h.on('GET /reconciliations/r1/duplicates', () => json(200, { items: pairs, total: pairs.length }));
}

async function openWizard(rights = ['hr']) {
  h.on('GET /me', () => json(200, me('employer', rights)));
  await h.boot('/reconciliations/r1');
  await h.waitFor(() => h.h1() === 'Naverrekening 2025 – Verzuimverzekering', 'the wizard');
}

beforeEach(() => {
  h = new Harness();
});

afterEach(() => {
  h.done();
  vi.unstubAllGlobals();
});

describe('likely duplicates', () => {
  it('merges a pair into the employee chosen to keep, after a confirmation', async () => {
    api(REC, [AALBERS, AALBERS_AGAIN, BAKKER], [{ reason: 'same_bsn', employees: [AALBERS, AALBERS_AGAIN] }]);
    await openWizard();
    await h.waitFor(() => h.text().includes('Mogelijke dubbele werknemers'), 'the panel');
    expect(h.text()).toContain('Zelfde BSN');
    await h.click('Samenvoegen');
    // Nothing is merged before the employer chose whom to keep.
    await h.click('Samenvoegen bevestigen');
    await h.waitFor(() => h.text().includes('Kies de werknemer die u wilt bewaren.'), 'the check');
    expect(h.sent('POST /reconciliations/r1/duplicates/merge')).toHaveLength(0);
    h.container.querySelector<HTMLInputElement>('input[data-field="keep"][value="e1"]')!.click();
    const merged = { ...AALBERS, insured_wage: '43000.00', employments: [...AALBERS.employments, ...AALBERS_AGAIN.employments] };
    h.on('POST /reconciliations/r1/duplicates/merge', () => {
      h.on('GET /reconciliations/r1/duplicates', () => json(200, { items: [], total: 0 }));
      return json(200, merged);
    });
    await h.click('Samenvoegen bevestigen');
    await h.waitFor(() => h.sent('POST /reconciliations/r1/duplicates/merge').length === 1, 'the merge');
    expect(h.sent('POST /reconciliations/r1/duplicates/merge')[0]!.body).toEqual({ keep_employee_id: 'e1', merge_employee_id: 'e2' });
    await h.waitFor(() => !h.text().includes('Mogelijke dubbele werknemers'), 'the panel gone');
    expect(h.container.querySelector('#employee-e2')).toBeNull();
    expect(h.container.querySelector('#employee-e1')!.textContent).toContain('01-09-2025 – heden');
  });

  it('dismisses a pair as two people', async () => {
    const pair = { reason: 'same_name_and_birth_date', employees: [AALBERS, AALBERS_AGAIN] };
    api(REC, [AALBERS, AALBERS_AGAIN, BAKKER], [pair]);
    await openWizard();
    await h.waitFor(() => h.text().includes('Zelfde naam en geboortedatum'), 'the panel');
    h.on('POST /reconciliations/r1/duplicates/dismiss', () => {
      h.on('GET /reconciliations/r1/duplicates', () => json(200, { items: [], total: 0 }));
      return new Response(null, { status: 204 });
    });
    await h.click('Geen dubbele: twee personen');
    await h.waitFor(() => h.sent('POST /reconciliations/r1/duplicates/dismiss').length === 1, 'the dismissal');
    expect(h.sent('POST /reconciliations/r1/duplicates/dismiss')[0]!.body).toEqual({ employee_ids: ['e1', 'e2'] });
    await h.waitFor(() => !h.text().includes('Mogelijke dubbele werknemers'), 'the panel gone');
    expect(h.container.querySelector('#employee-e2')).not.toBeNull();
  });

  it('shows the pairs without buttons to who only reads', async () => {
    api(REC, [AALBERS, AALBERS_AGAIN, BAKKER], [{ reason: 'same_bsn', employees: [AALBERS, AALBERS_AGAIN] }]);
    await openWizard(['hr_read']);
    await h.waitFor(() => h.text().includes('Mogelijke dubbele werknemers'), 'the panel');
    expect(h.button('Samenvoegen')).toBeUndefined();
    expect(h.button('Geen dubbele: twee personen')).toBeUndefined();
  });

  it('links the check step\'s duplicate problem to the panel', async () => {
    api(REC, [AALBERS, AALBERS_AGAIN, BAKKER], [{ reason: 'same_bsn', employees: [AALBERS, AALBERS_AGAIN] }]);
    await openWizard();
    await h.click('5 Controleren en verzenden');
    h.on('POST /reconciliations/r1/submit', () =>
      json(422, {
        status: 422,
        code: 'reconciliation_incomplete',
        errors: [{ field: '/employees/e2/duplicate_of', code: 'likely_duplicate', message: 'Deze werknemer lijkt dubbel te staan.', duplicate_of: 'e1' }],
      }),
    );
    await h.click('Klaar en verzenden');
    await h.waitFor(() => h.container.querySelector('.recon-problems li[data-code="likely_duplicate"] a'), 'the problem');
    const link = h.container.querySelector<HTMLAnchorElement>('.recon-problems li[data-code="likely_duplicate"] a')!;
    expect(link.getAttribute('href')).toBe('#recon-duplicates');
    link.click();
    await h.waitFor(() => h.container.querySelector('#recon-duplicates'), 'the panel');
    await h.waitFor(() => document.activeElement?.id === 'recon-duplicates', 'the focus on the panel');
  });
});

describe('wage file', () => {
  const upload = (name: string) => {
    const input = h.box('wage-file');
    Object.defineProperty(input, 'files', { value: [new File(['BSN;Verzekerd loon\n'], name, { type: 'text/csv' })], configurable: true });
    input.dispatchEvent(new Event('change', { bubbles: true }));
  };

  it('shows every error with its row and changes nothing, then applies the corrected file', async () => {
    api();
    await openWizard();
    await h.click('2 Lonen');
    await h.waitFor(() => h.text().includes('Lonen uit een bestand'), 'the upload');
    expect(h.text()).toContain('‘BSN’');
    expect(h.text()).toContain('‘Verzekerd loon’');
    await h.click('Loonbestand uploaden');
    await h.waitFor(() => h.text().includes('Kies een loonbestand.'), 'the check');
    expect(h.sent('POST /reconciliations/r1/wages')).toHaveLength(0);
    upload('lonen.csv');
    h.on('POST /reconciliations/r1/wages', () =>
      json(422, {
        status: 422,
        code: 'wage_file_invalid',
        title: 'Het loonbestand bevat fouten.',
        error_count: 2,
        errors: [
          { row: 3, column: 'A', field: '/rows/3/bsn', code: 'employee_unknown', message: 'Geen werknemer met dit BSN.' },
          { row: 5, column: 'B', field: '/rows/5/insured_wage', code: 'invalid_format', message: 'Geen bedrag.' },
        ],
      }),
    );
    await h.click('Loonbestand uploaden');
    await h.waitFor(() => h.text().includes('2 fouten gevonden'), 'the errors');
    const rows = [...h.container.querySelectorAll('.recon-wage-file-errors li')].map((li) => li.textContent);
    expect(rows).toEqual(['Regel 3, kolom A: Geen werknemer met dit BSN.', 'Regel 5, kolom B: Geen bedrag.']);
    expect(h.text()).toContain('er is niets gewijzigd');
    expect((h.sent('POST /reconciliations/r1/wages')[0]!.raw as FormData).get('file')).toBeInstanceOf(File);

    h.on('POST /reconciliations/r1/wages', () => {
      h.on('GET /reconciliations/r1/employees', () =>
        json(200, { items: [AALBERS, AALBERS_AGAIN, { ...BAKKER, insured_wage: '38500.00' }], next_cursor: null }),
      );
      return json(200, { rows: 3, updated: 3 });
    });
    upload('lonen-goed.csv');
    await h.click('Loonbestand uploaden');
    await h.waitFor(() => h.text().includes('3 lonen bijgewerkt uit 3 regels'), 'the result');
    expect(h.container.querySelector('.recon-wage-file-errors')).toBeNull();
    await h.waitFor(() => h.box('insured_wage-3')?.value === '38.500,00', 'the reloaded wage');
  });

  it('says when there are more errors than listed', async () => {
    api();
    await openWizard();
    await h.click('2 Lonen');
    await h.waitFor(() => h.box('wage-file'), 'the upload');
    upload('lonen.xlsx');
    h.on('POST /reconciliations/r1/wages', () =>
      json(422, { status: 422, code: 'wage_file_invalid', error_count: 1500, errors: [{ row: 1, column: '', field: '/rows/1/bsn', code: 'column_missing', message: 'De kolom BSN ontbreekt.' }] }),
    );
    await h.click('Loonbestand uploaden');
    await h.waitFor(() => h.text().includes('1500 fouten gevonden'), 'the errors');
    expect(h.text()).toContain('Regel 1: De kolom BSN ontbreekt.');
    expect(h.text()).toContain('in totaal zijn het er 1500');
  });

  it('offers no upload to who only reads', async () => {
    api();
    await openWizard(['hr_read']);
    await h.click('2 Lonen');
    await h.waitFor(() => h.text().includes('Aalbers, A.'), 'the step');
    expect(h.text()).not.toContain('Lonen uit een bestand');
  });
});

describe('evidence files', () => {
  it('lists the uploaded files with a download', async () => {
    const stored = { id: 'v1', reconciliation_id: 'r1', kind: 'payroll_summary', file_name: 'loonstaat.pdf', content_type: 'application/pdf', size: 9, checklist_confirmed: true, created_at: '2026-01-06T09:00:00Z' };
    api({ ...REC, evidence: [stored] });
    const createObjectURL = vi.fn(() => 'blob:x');
    vi.stubGlobal('URL', Object.assign(URL, { createObjectURL, revokeObjectURL: vi.fn() }));
    h.on('GET /reconciliations/r1/evidence/v1', () =>
      new Response('%PDF-1.4\n', { status: 200, headers: { 'Content-Type': 'application/pdf', 'Content-Disposition': 'attachment; filename="loonstaat.pdf"' } }),
    );
    await openWizard(['hr_read']);
    await h.click('4 Aanleveren');
    await h.waitFor(() => h.text().includes('loonstaat.pdf – ontvangen op'), 'the file');
    const link = h.container.querySelector<HTMLAnchorElement>('[data-evidence-id="v1"] a')!;
    expect(link.getAttribute('href')).toBe('/api/v1/reconciliations/r1/evidence/v1');
    expect(link.textContent).toBe('Downloaden – loonstaat.pdf');
    link.click();
    await h.waitFor(() => createObjectURL.mock.calls.length === 1, 'the saved file');
    expect(h.sent('GET /reconciliations/r1/evidence/v1')).toHaveLength(1);
  });
});

describe('staff: open a year for every income scheme', () => {
  it('sends the parameters once and shows what was opened and skipped, and why', async () => {
    h.on('GET /me', () => json(200, me('insurer', ['staff'])));
    h.on('GET /reconciliations', () => json(200, { items: [], next_cursor: null }));
    h.on('GET /schemes/s8', () =>
      json(200, { id: 's8', organisation_id: 'o2', organisation: { id: 'o2', name: 'Garage Smit' }, name: 'Verzuim Smit', number: 'VZ-2', kind: 'income', start_date: '2027-01-01', coverages: [] }),
    );
    await h.boot('/staff/reconciliations');
    await h.click('Open voor alle inkomensregelingen');
    await h.waitFor(() => h.box('deadline'), 'the form');
    h.type('year', '2025');
    h.type('deadline', '31-03-2026');
    h.type('premium_rate', '2');
    h.type('provisional_premium', 'drie');
    await h.click('Naverrekeningen openen');
    await h.waitFor(() => h.text().includes('Vul een bedrag in'), 'the check');
    expect(h.sent('POST /reconciliations/bulk')).toHaveLength(0);
    h.type('provisional_premium', '3.000,00');
    h.type('own_risk', '5');
    h.on('POST /reconciliations/bulk', () =>
      json(200, {
        year: 2025,
        opened: [REC, { ...REC, id: 'r2', organisation_name: 'Drukkerij Jansen', scheme_name: 'Verzuim Jansen', scheme_number: 'VZ-3' }],
        skipped: [
          { scheme_id: 's8', reason: 'not_started' },
          { scheme_id: 's9', reason: 'exists' },
        ],
      }),
    );
    await h.click('Naverrekeningen openen');
    await h.waitFor(() => h.sent('POST /reconciliations/bulk').length === 1, 'the request');
    expect(h.sent('POST /reconciliations/bulk')[0]!.body).toEqual({
      year: 2025,
      deadline: '2026-03-31',
      premium_rate: '2.000',
      provisional_premium: '3000.00',
      own_risk_percentage: '5.000',
    });
    await h.waitFor(() => h.text().includes('2 naverrekeningen over 2025 geopend.'), 'the result');
    const result = h.container.querySelector('[data-testid="bulk-result"]')!;
    expect(result.textContent).toContain('Drukkerij Jansen – Verzuim Jansen (VZ-3)');
    expect(result.textContent).toContain('2 regelingen overgeslagen:');
    await h.waitFor(() => h.text().includes('Garage Smit – Verzuim Smit (VZ-2): de polis gaat pas na dit jaar in'), 'the named skip');
    // s9 could not be looked up: its id stands instead of its name.
    expect(result.textContent).toContain('s9: heeft al een naverrekening over dit jaar');
  });

  it('shows a parameter problem of the all-or-nothing opening', async () => {
    h.on('GET /me', () => json(200, me('insurer', ['staff'])));
    h.on('GET /reconciliations', () => json(200, { items: [], next_cursor: null }));
    await h.boot('/staff/reconciliations');
    await h.click('Open voor alle inkomensregelingen');
    await h.waitFor(() => h.box('deadline'), 'the form');
    h.type('year', '2025');
    h.type('deadline', '31-03-2026');
    h.type('premium_rate', '2');
    h.type('provisional_premium', '3000');
    h.on('POST /reconciliations/bulk', () =>
      json(422, {
        status: 422,
        code: 'validation_failed',
        title: 'Er is niets geopend.',
        errors: [{ field: '/schemes/s1/own_risk_percentage', code: 'required', message: 'Vul het eigen risico in.' }],
      }),
    );
    await h.click('Naverrekeningen openen');
    await h.waitFor(() => h.text().includes('Vul het eigen risico in.'), 'the problem');
    expect(h.container.querySelector('[data-testid="bulk-result"]')).toBeNull();
  });
});
