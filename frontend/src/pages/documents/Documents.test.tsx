// The documents screen for an intermediary office working under mandates:
// reachable from the menu, it lists the legal documents of the mandated
// schemes with the employer each belongs to.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

function json(status: number, body?: unknown): Response {
  return new Response(body === undefined ? null : JSON.stringify(body), {
    status,
    headers: { 'Content-Type': status >= 400 ? 'application/problem+json' : 'application/json' },
  });
}

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

let requested: string[];
let container: HTMLElement;
let render: typeof import('preact').render;

async function waitFor<T>(fn: () => T | null | undefined | false, what: string): Promise<T> {
  const start = Date.now();
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() - start > 3000) throw new Error(`timed out waiting for ${what}\n${container.innerHTML.slice(0, 2000)}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function boot(path: string) {
  window.history.replaceState(null, '', path);
  const { currentPath, startRouter } = await import('../../router');
  currentPath.set(window.location.pathname);
  startRouter();
  const { startSession } = await import('../../auth/session');
  const { App } = await import('../../app');
  render = (await import('preact')).render;
  render(<App />, container);
  await startSession();
}

beforeEach(() => {
  vi.resetModules();
  requested = [];
  localStorage.clear();
  container = document.createElement('div');
  document.body.appendChild(container);
  vi.stubGlobal('scrollTo', vi.fn());
  vi.stubGlobal('fetch', vi.fn(async (url: string, init: RequestInit) => {
    const path = url.replace('/api/v1', '');
    const key = `${init.method ?? 'GET'} ${path.split('?')[0]}`;
    requested.push(path);
    if (key === 'POST /auth/refresh') return json(200, { access_token: 'A', csrf_token: 'c1' });
    if (key === 'GET /me') return json(200, OFFICE_USER);
    if (key === 'GET /schemes') return json(200, { items: [SCHEME], next_cursor: null });
    if (key === 'GET /documents') return json(200, { items: [DOC], next_cursor: null, total: 1 });
    return json(404, { code: 'not_found' });
  }));
});

afterEach(() => {
  render?.(null, container);
  container.remove();
});

describe('documents for an office under a mandate', () => {
  it('offers the legal documents in the menu and not the financial ones', async () => {
    await boot('/');
    const links = await waitFor(() => {
      const found = [...container.querySelectorAll('a')].map((a) => a.getAttribute('href'));
      return found.includes('/documents/legal') && found;
    }, 'the legal documents link');
    expect(links).not.toContain('/documents/financial');
  });

  it('lists the mandated legal documents with the employer they belong to', async () => {
    await boot('/documents/legal');
    await waitFor(() => container.textContent?.includes('Pensioenreglement 2027'), 'the document');
    const text = container.textContent ?? '';
    expect(container.querySelector('h1')?.textContent).toBe('Juridische documenten');
    expect(text).toContain('machtiging');
    await waitFor(
      () => container.textContent?.includes('Bakkerij De Korenbloem B.V. – Pensioenregeling (PR-2001)'),
      'the employer and scheme',
    );
    expect(requested.some((p) => p.startsWith('/documents?') && p.includes('category=legal'))).toBe(true);
  });
});
