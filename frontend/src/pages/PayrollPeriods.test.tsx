// Payroll periods on the scheme page against a mocked fetch: the periods
// with their counts, the feedback per employment on a click, and no section
// at all while the API has no such resource (404) or refuses it (403).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Harness, json, me } from './reconciliations/harness';
import { changeText, periodLabel } from './PayrollPeriods';

const SCHEME = {
  id: 's1',
  organisation_id: 'o1',
  name: 'Verzuimverzekering',
  number: 'VZ-880231',
  kind: 'income',
  start_date: '2021-01-01',
  coverages: [],
  premium: null,
  variant: 'stop_loss',
  insured_wage_type: 'uniform_wage',
};

const PERIODS = {
  items: [
    { period: '2026-11', status: 'processed', received_at: '2026-12-02T08:15:00Z', employments: 3, accepted: 1, unchanged: 1, rejected: 1 },
    { period: '2026-10', status: 'failed', received_at: '2026-11-02T08:15:00Z', employments: 0, accepted: 0, unchanged: 0, rejected: 0 },
  ],
};

const DETAIL = {
  ...PERIODS.items[0],
  feedback: [
    { personnel_number: '1001', employment_number: '1', name: 'Aalbers, A.', result: 'accepted', changes: [{ field: 'salary', old: '40000.00', new: '41000.00' }], code: null, message: null },
    { personnel_number: '1002', employment_number: '1', name: 'Bakker, B.', result: 'unchanged', changes: [], code: null, message: null },
    { personnel_number: '1003', employment_number: '2', name: 'Claassen, C.', result: 'rejected', changes: [], code: 'unknown_employee', message: 'Deze werknemer is niet bekend.' },
  ],
};

let h: Harness;

beforeEach(() => {
  h = new Harness();
  h.on('GET /me', () => json(200, me('employer', ['hr'])));
  h.on('GET /schemes/s1', () => json(200, SCHEME));
});

afterEach(() => h.done());

async function openScheme() {
  await h.boot('/schemes/s1');
  await h.waitFor(() => h.h1() === 'Verzuimverzekering', 'the scheme page');
}

describe('payroll periods on the scheme page', () => {
  it('lists the periods and shows the feedback of one on a click', async () => {
    h.on('GET /schemes/s1/payroll-periods', () => json(200, PERIODS));
    h.on('GET /schemes/s1/payroll-periods/2026-11', () => json(200, DETAIL));
    await openScheme();
    await h.waitFor(() => h.text().includes('november 2026'), 'the periods');
    const rows = [...h.container.querySelectorAll('[data-testid=payroll-periods] tbody tr')].map((r) => [...r.children].map((c) => c.textContent));
    expect(rows[0]).toEqual(['november 2026', 'Verwerkt', '02-12-2026 09:15', '3', '1', '1', '1']);
    expect(rows[1]![1]).toBe('Mislukt');
    await h.click('november 2026');
    await h.waitFor(() => h.text().includes('Terugkoppeling november 2026'), 'the feedback');
    const result = (name: string) => [...h.container.querySelectorAll('tr[data-result]')].find((r) => r.textContent?.includes(name))!;
    expect(result('Claassen, C.').getAttribute('data-result')).toBe('rejected');
    expect(result('Claassen, C.').textContent).toContain('Deze werknemer is niet bekend.');
    expect(result('Aalbers, A.').textContent).toContain('salary: 40000.00 → 41000.00');
    expect(result('Bakker, B.').textContent).toContain('Ongewijzigd');
    expect(h.button('november 2026')!.getAttribute('aria-expanded')).toBe('true');
    await h.click('november 2026');
    await h.waitFor(() => !h.text().includes('Terugkoppeling november 2026'), 'the feedback closed');
  });

  it.each([404, 403])('leaves the section out when the list answers %i', async (status) => {
    h.on('GET /schemes/s1/payroll-periods', () => json(status, { status, code: status === 404 ? 'not_found' : 'forbidden' }));
    await openScheme();
    await h.waitFor(() => h.sent('GET /schemes/s1/payroll-periods').length === 1, 'the list call');
    await h.settle();
    await h.settle();
    expect(h.container.querySelector('[data-testid=payroll-periods]')).toBeNull();
    expect(h.text()).toContain('Dekkingen');
  });

  it('says so when the list fails otherwise', async () => {
    h.on('GET /schemes/s1/payroll-periods', () => json(500, { status: 500, code: 'internal_error', title: 'Er ging iets mis' }));
    await openScheme();
    await h.waitFor(() => h.container.querySelector('[data-testid=payroll-periods] .alert-error'), 'the error');
  });

  it('names a period and writes a change as text', () => {
    expect(periodLabel('2026-01', 'nl')).toBe('januari 2026');
    expect(periodLabel('2026-01', 'en')).toBe('January 2026');
    expect(periodLabel('week 3', 'nl')).toBe('week 3');
    expect(changeText('Salaris gewijzigd')).toBe('Salaris gewijzigd');
    expect(changeText({ field: 'parttime_percentage', old: '80.000', new: '100.000' })).toBe('parttime_percentage: 80.000 → 100.000');
    expect(changeText({ salary: '41000.00' })).toBe('salary: 41000.00');
  });
});
