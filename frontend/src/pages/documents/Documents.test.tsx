// The documents screen for an intermediary office working under mandates:
// reachable from the menu, it lists the legal documents of the mandated
// schemes with the employer each belongs to.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { json, startHarness, type Harness } from '../../testing/appHarness';

const OFFICE_USER = {
  id: 'u1',
  username: 'bram',
  first_name: 'Bram',
  last_name: 'van Dijk',
  email: 'bram@adviesbureau.nl',
  mobile: null,
  language: 'nl',
  theme: 'light',
  organisation: { id: 'o-office', name: 'Adviesbureau Zuid B.V.', kind: 'intermediary' },
  rights: ['pensioenverzekering', 'premiepensioenvorderingen'],
  scheme_ids: null,
  recovery_codes_remaining: 10,
  auth: 'session',
};

const SCHEME = {
  id: 's1',
  organisation_id: 'o-emp',
  organisation: { id: 'o-emp', name: 'Bakkerij De Korenbloem B.V.' },
  name: 'Pensioenregeling',
  number: 'PR-2001',
  kind: 'pension',
  start_date: '2020-01-01',
  coverages: [],
  premium: null,
  variant: null,
  insured_wage_type: null,
};

const DOC = {
  id: 'd1',
  organisation_id: 'o-emp',
  scheme_id: 's1',
  kind: 'pension_rules',
  category: 'legal',
  title: 'Pensioenreglement 2027',
  document_date: '2026-11-30',
  amount: null,
  due_date: null,
  file_name: 'reglement.pdf',
  content_type: 'application/pdf',
  size: 2048,
  created_at: '2026-12-01T10:00:00Z',
  read_at: null,
  first_read: null,
};

let h: Harness;

beforeEach(() => {
  h = startHarness({
    'POST /auth/refresh': () => json(200, { access_token: 'A', csrf_token: 'c1' }),
    'GET /me': () => json(200, OFFICE_USER),
    'GET /schemes': () => json(200, { items: [SCHEME], next_cursor: null }),
    'GET /documents': () => json(200, { items: [DOC], next_cursor: null, total: 1 }),
  });
});

afterEach(() => h.stop());

describe('documents for an office under a mandate', () => {
  it('offers the legal documents in the menu and not the financial ones', async () => {
    await h.boot('/');
    const links = await h.waitFor(() => {
      const found = [...h.container.querySelectorAll('a')].map((a) => a.getAttribute('href'));
      return found.includes('/documents/legal') && found;
    }, 'the legal documents link');
    expect(links).not.toContain('/documents/financial');
  });

  it('lists the mandated legal documents with the employer they belong to', async () => {
    await h.boot('/documents/legal');
    await h.waitFor(() => h.container.textContent?.includes('Pensioenreglement 2027'), 'the document');
    const text = h.container.textContent ?? '';
    expect(h.container.querySelector('h1')?.textContent).toBe('Juridische documenten');
    expect(text).toContain('machtiging');
    await h.waitFor(
      () => h.container.textContent?.includes('Bakkerij De Korenbloem B.V. – Pensioenregeling (PR-2001)'),
      'the employer and scheme',
    );
    expect(h.log.some(({ path: p }) => p.startsWith('/documents?') && p.includes('category=legal'))).toBe(true);
  });
});
