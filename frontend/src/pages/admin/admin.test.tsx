// The administration screens against a fake API: the user form applies the
// rights rules as you tick, sends what the API expects, and shows the API's
// field errors next to the field without losing what was typed; deleting
// asks first; an API token's secret is shown once.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { officeCatalogue } from '../../rights/fixtures';

type Handler = (body: any, headers: Record<string, string>, url: string) => Response | Promise<Response>;

function json(status: number, body?: unknown, headers: Record<string, string> = {}): Response {
  return new Response(body === undefined ? null : JSON.stringify(body), {
    status,
    headers: { 'Content-Type': status >= 400 ? 'application/problem+json' : 'application/json', ...headers },
  });
}

const ADMIN = {
  id: 'u1',
  username: 'marloes',
  first_name: 'Marloes',
  last_name: 'Smit',
  email: 'marloes@smit.nl',
  mobile: null,
  language: 'nl',
  theme: 'light',
  organisation: { id: 'o1', name: 'Smit & Partners', kind: 'intermediary' },
  rights: ['user_management', 'beleggingsobjecten', 'spaarrekeningen', 'vermogen', 'hypothecair_krediet', 'klantbeeld'],
  scheme_ids: null,
  recovery_codes_remaining: 10,
  auth: 'session',
};

const USER = {
  id: 'u2',
  organisation_id: 'o1',
  first_name: 'Daan',
  last_name: 'Visser',
  email: 'daan@smit.nl',
  mobile: null,
  username: null,
  status: 'invited',
  rights: ['hypothecair_krediet'],
  scheme_ids: null,
  expires_at: null,
  created_at: '2026-01-01T10:00:00Z',
  updated_at: '2026-01-01T10:00:00Z',
};

let routes: Record<string, Handler>;
let log: { key: string; url: string; body: any; headers: Record<string, string> }[];
let container: HTMLElement;
let render: typeof import('preact').render;

const on = (key: string, handler: Handler) => (routes[key] = handler);
const text = () => container.textContent ?? '';
const h1 = () => container.querySelector('h1')?.textContent ?? '';
const box = (field: string) => container.querySelector<HTMLInputElement>(`[data-field="${field}"]`)!;
const tick = (field: string) => box(field).click();
const settle = () => new Promise((r) => setTimeout(r, 0));

async function waitFor<T>(fn: () => T | null | undefined | false, what: string): Promise<T> {
  const start = Date.now();
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() - start > 3000) throw new Error(`timed out waiting for ${what}\n${container.innerHTML.slice(0, 2000)}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

function type(field: string, value: string) {
  const input = box(field);
  input.value = value;
  input.dispatchEvent(new Event('input', { bubbles: true }));
}

async function click(label: string, within = 'body') {
  await settle();
  const el = [...container.ownerDocument.querySelector(within)!.querySelectorAll('button, a')].find((b) => b.textContent?.trim() === label) as HTMLElement | undefined;
  if (!el) throw new Error(`no button "${label}"`);
  el.click();
}

function errorOf(field: string): string {
  const el = box(field);
  const ids = (el.getAttribute('aria-describedby') ?? '').split(' ').filter((i) => i.endsWith('-err'));
  return ids.map((i) => document.getElementById(i)?.textContent ?? '').join(' ');
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
  routes = {};
  log = [];
  localStorage.clear();
  container = document.createElement('div');
  document.body.appendChild(container);
  vi.stubGlobal('scrollTo', vi.fn());
  vi.stubGlobal('fetch', vi.fn(async (url: string, init: RequestInit) => {
    const path = url.replace('/api/v1', '');
    const key = `${init.method ?? 'GET'} ${path.split('?')[0]}`;
    const body = typeof init.body === 'string' ? JSON.parse(init.body) : undefined;
    const headers = init.headers as Record<string, string>;
    log.push({ key, url: path, body, headers });
    const handler = routes[key];
    return handler ? handler(body, headers, path) : json(404, { code: 'not_found' });
  }));
  on('POST /auth/refresh', () => json(200, { access_token: 'A', csrf_token: 'c1' }));
  on('GET /me', () => json(200, ADMIN));
  on('GET /rights', () => json(200, officeCatalogue({ zorgverzekeringen: { licensed: false, grantable: false }, pensioenverzekering: { grantable: false }, premiepensioenvorderingen: { grantable: false } })));
  on('GET /schemes', () => json(200, { items: [], next_cursor: null }));
});

afterEach(() => {
  render?.(null, container);
  container.remove();
});

describe('adding a user', () => {
  it('applies the rules as boxes are ticked and sends the result', async () => {
    await boot('/users/new');
    await waitFor(() => box('right-klantbeeld'), 'the form');
    expect(h1()).toBe('Gebruiker toevoegen');
    expect(box('right-klantbeeld').disabled).toBe(true);
    expect(box('right-schadeverzekeringen_zakelijk').disabled).toBe(true);
    expect(box('right-zorgverzekeringen').disabled).toBe(true);
    expect(box('right-pensioenverzekering').disabled).toBe(true);
    expect(text()).toContain('U kunt dit recht alleen geven als u het zelf heeft.');
    expect(text()).toContain('Valt buiten de vergunningen van uw kantoor.');

    tick('right-spaarrekeningen');
    await waitFor(() => box('right-vermogen').checked, 'the bundle');
    expect(box('right-beleggingsobjecten').checked).toBe(true);
    expect(text()).toContain('Ook aangevinkt: Beleggingsobjecten, Vermogen.');
    expect(box('right-klantbeeld').disabled).toBe(false);
    tick('right-klantbeeld');
    await waitFor(() => box('right-klantbeeld').checked, 'klantbeeld');

    type('first_name', 'Daan');
    type('last_name', 'Visser');
    type('email', 'daan@smit.nl');
    on('POST /users', () => json(201, USER));
    on('GET /users', () => json(200, { items: [USER], next_cursor: null }));
    await click('Gebruiker toevoegen');
    await waitFor(() => h1() === 'Gebruikersbeheer', 'back on the list');
    const post = log.find((l) => l.key === 'POST /users')!;
    expect(post.body).toEqual({
      first_name: 'Daan',
      last_name: 'Visser',
      email: 'daan@smit.nl',
      rights: ['beleggingsobjecten', 'spaarrekeningen', 'vermogen', 'klantbeeld'],
      scheme_ids: null,
      expires_at: null,
    });
    expect(post.headers['Idempotency-Key']).toMatch(/^[0-9a-f-]{36}$/);
    await waitFor(() => text().includes('Daan Visser is toegevoegd. Er is een uitnodiging gestuurd naar daan@smit.nl.'), 'the confirmation');
  });

  it('shows the API’s errors next to their fields and keeps what was typed', async () => {
    await boot('/users/new');
    await waitFor(() => box('first_name'), 'the form');
    type('first_name', 'Daan');
    type('last_name', 'Visser');
    type('email', 'daan@smit.nl');
    tick('right-hypothecair_krediet');
    on('POST /users', () =>
      json(422, {
        code: 'validation_failed',
        detail: 'De invoer is niet geldig.',
        errors: [
          { field: '/email', code: 'invalid_email', message: 'Dit e-mailadres is niet geldig.' },
          { field: '/rights/0', code: 'not_allowed', message: 'hypothecair_krediet heeft u zelf niet.' },
        ],
      }),
    );
    await click('Gebruiker toevoegen');
    await waitFor(() => errorOf('email'), 'the e-mail error');
    expect(errorOf('email')).toBe('Dit e-mailadres is niet geldig.');
    expect(container.querySelector('.rights-picker .field-error')!.textContent).toBe('hypothecair_krediet heeft u zelf niet.');
    expect(text()).toContain('De invoer is niet geldig.');
    expect(box('email').value).toBe('daan@smit.nl');
    expect(box('right-hypothecair_krediet').checked).toBe(true);
    expect(document.activeElement).toBe(box('email'));
  });

  it('sends an external consultant’s last day as the end of that day in Amsterdam', async () => {
    await boot('/users/new');
    await waitFor(() => box('first_name'), 'the form');
    type('first_name', 'Joris');
    type('last_name', 'Extern');
    type('email', 'joris@extern.nl');
    box('external').click();
    await waitFor(() => box('expires_at'), 'the date field');
    type('expires_at', '31-12-2099');
    on('POST /users', () => json(201, { ...USER, first_name: 'Joris' }));
    on('GET /users', () => json(200, { items: [], next_cursor: null }));
    await click('Gebruiker toevoegen');
    await waitFor(() => log.find((l) => l.key === 'POST /users'), 'the POST');
    expect(log.find((l) => l.key === 'POST /users')!.body.expires_at).toBe('2099-12-31T22:59:59Z');
  });
});

describe('changing and deleting a user', () => {
  it('saves with If-Match and deletes only after confirmation', async () => {
    on('GET /users/u2', () => json(200, USER, { ETag: '"u2v1"' }));
    await boot('/users/u2');
    await waitFor(() => h1() === 'Daan Visser', 'the user');
    expect(box('right-hypothecair_krediet').checked).toBe(true);
    expect(text()).toContain('Uitnodiging opnieuw versturen');

    on('DELETE /users/u2', () => json(204));
    on('GET /users', () => json(200, { items: [], next_cursor: null }));
    await click('Gebruiker verwijderen');
    await waitFor(() => container.querySelector('dialog[open]'), 'the dialog');
    await click('Annuleren', 'dialog');
    await waitFor(() => !container.querySelector('dialog[open]'), 'the dialog to close');
    expect(log.some((l) => l.key === 'DELETE /users/u2')).toBe(false);

    await click('Gebruiker verwijderen');
    await waitFor(() => container.querySelector('dialog[open]'), 'the dialog');
    await click('Ja, verwijderen');
    await waitFor(() => h1() === 'Gebruikersbeheer', 'the list');
    expect(log.find((l) => l.key === 'DELETE /users/u2')!.headers['If-Match']).toBe('"u2v1"');
    await waitFor(() => text().includes('Daan Visser is verwijderd.'), 'the confirmation');
  });

  it('sends the changed rights with the ETag', async () => {
    on('GET /users/u2', () => json(200, USER, { ETag: '"u2v1"' }));
    await boot('/users/u2');
    await waitFor(() => box('right-vermogen'), 'the form');
    tick('right-vermogen');
    await waitFor(() => box('right-beleggingsobjecten').checked, 'the bundle');
    on('PATCH /users/u2', () => json(200, USER, { ETag: '"u2v2"' }));
    on('GET /users', () => json(200, { items: [USER], next_cursor: null }));
    await click('Opslaan');
    await waitFor(() => log.find((l) => l.key === 'PATCH /users/u2'), 'the PATCH');
    const patch = log.find((l) => l.key === 'PATCH /users/u2')!;
    expect(patch.headers['If-Match']).toBe('"u2v1"');
    expect(patch.body).toEqual({
      first_name: 'Daan',
      last_name: 'Visser',
      rights: ['beleggingsobjecten', 'hypothecair_krediet', 'spaarrekeningen', 'vermogen'],
      scheme_ids: null,
      expires_at: null,
    });
  });
});

describe('the user list', () => {
  it('searches by name and pages with the cursor', async () => {
    on('GET /users', (_b, _h, url) => {
      if (url.includes('cursor=c2')) return json(200, { items: [{ ...USER, id: 'u3', first_name: 'Zoë', last_name: 'Zwart' }], next_cursor: null });
      return json(200, { items: [USER], next_cursor: 'c2' });
    });
    await boot('/users');
    await waitFor(() => text().includes('Daan Visser'), 'the first page');
    await click('Volgende pagina');
    await waitFor(() => text().includes('Zoë Zwart'), 'the second page');
    expect(text()).not.toContain('Daan Visser');
    await click('Vorige pagina');
    await waitFor(() => text().includes('Daan Visser'), 'the first page again');

    type('q', 'Visser');
    await settle();
    container.querySelector<HTMLFormElement>('form[role=search]')!.dispatchEvent(new Event('submit', { cancelable: true, bubbles: true }));
    await waitFor(() => log.some((l) => l.url.includes('q=Visser')), 'the search');
    expect(log.filter((l) => l.key === 'GET /users').at(-1)!.url).not.toContain('cursor');
  });
});

describe('API tokens', () => {
  it('shows the secret once and lists the token without it', async () => {
    on('GET /api-tokens', () => json(200, { items: [], next_cursor: null }));
    await boot('/api-tokens');
    await waitFor(() => box('name'), 'the form');
    type('name', 'Salarispakket');
    tick('right-hypothecair_krediet');
    const token = {
      id: 't1', name: 'Salarispakket', prefix: 'AbCd1234', created_by: { id: 'u1', name: 'Marloes Smit' }, created_at: '2026-01-01T10:00:00Z',
      last_used_at: null, expires_at: '2026-07-01T21:59:59Z', rights: ['hypothecair_krediet'], scheme_ids: null, revoked_at: null, status: 'active',
    };
    on('POST /api-tokens', () => json(201, { ...token, secret: 'pat_AbCd1234secret' }));
    on('GET /api-tokens', () => json(200, { items: [token], next_cursor: null }));
    await click('Sleutel aanmaken');
    await waitFor(() => text().includes('pat_AbCd1234secret'), 'the secret');
    expect(text()).toContain('U ziet hem maar één keer');
    await waitFor(() => text().includes('pat_AbCd1234…'), 'the list');
    await click('Ik heb de sleutel bewaard');
    await waitFor(() => !text().includes('pat_AbCd1234secret'), 'the secret to go');
    expect(log.find((l) => l.key === 'POST /api-tokens')!.body).toMatchObject({ name: 'Salarispakket', rights: ['hypothecair_krediet'], scheme_ids: null });
  });

  it('asks before revoking, keeps the question open on a refusal, then shows the token revoked', async () => {
    const token = {
      id: 't1', name: 'Salarispakket', prefix: 'AbCd1234', created_by: { id: 'u1', name: 'Marloes Smit' }, created_at: '2026-01-01T10:00:00Z',
      last_used_at: null, expires_at: '2026-07-01T21:59:59Z', rights: ['hypothecair_krediet'], scheme_ids: null, revoked_at: null, status: 'active',
    };
    on('GET /api-tokens', () => json(200, { items: [token], next_cursor: null }));
    await boot('/api-tokens');
    await waitFor(() => text().includes('pat_AbCd1234…'), 'the list');
    await click('Intrekken – Salarispakket');
    await waitFor(() => text().includes('Sleutel intrekken?'), 'the question');
    expect(log.some((l) => l.key.startsWith('DELETE'))).toBe(false);
    on('DELETE /api-tokens/t1', () => json(409, { type: 'about:blank', title: 'Conflict', status: 409, code: 'conflict', detail: 'Probeer het zo nog eens.' }));
    await click('Intrekken', 'dialog');
    await waitFor(() => container.querySelector('dialog')?.textContent?.includes('Probeer het zo nog eens.'), 'the refusal in the dialog');
    on('DELETE /api-tokens/t1', () => new Response(null, { status: 204 }));
    on('GET /api-tokens', () => json(200, { items: [{ ...token, status: 'revoked', revoked_at: '2026-02-01T10:00:00Z' }], next_cursor: null }));
    await click('Intrekken', 'dialog');
    await waitFor(() => text().includes('De sleutel "Salarispakket" is ingetrokken.'), 'the flash');
    await waitFor(() => !text().includes('Intrekken – Salarispakket'), 'the revoke button to go');
    expect(text()).toContain('Ingetrokken');
    expect(log.filter((l) => l.key === 'DELETE /api-tokens/t1')).toHaveLength(2);
  });
});
