// Whole-app behaviour with a fake API: session resume, expiry, login with a
// second factor, return to the page the user was on, and the first-time
// enrolment with recovery codes.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

type Handler = (body: any, headers: Record<string, string>) => Response | Promise<Response>;

function json(status: number, body?: unknown, headers: Record<string, string> = {}): Response {
  return new Response(body === undefined ? null : JSON.stringify(body), {
    status,
    headers: { 'Content-Type': status >= 400 ? 'application/problem+json' : 'application/json', ...headers },
  });
}

const ME = {
  id: 'u1',
  username: 'anna',
  first_name: 'Anna',
  last_name: 'de Vries',
  email: 'anna@bakkerij.nl',
  mobile: null,
  language: 'nl',
  theme: 'light',
  organisation: { id: 'o1', name: 'Bakkerij Jansen B.V.', kind: 'employer' },
  rights: ['hr'],
  scheme_ids: null,
  recovery_codes_remaining: 10,
  auth: 'session',
};

const ORG = {
  id: 'o1',
  name: 'Bakkerij Jansen B.V.',
  kind: 'employer',
  registration_number: '12345678',
  postal_address: { street: 'Dorpsstraat', house_number: '1', postal_code: '1234 AB', city: 'Ede', country: 'NL' },
  visiting_address: null,
  contact_person: { name: 'Piet Jansen', email: 'piet@bakkerij.nl', phone: '' },
  notification_email: 'admin@bakkerij.nl',
  advisor: null,
  administrators: [{ id: 'u9', first_name: 'Karin', last_name: 'Jansen', email: 'karin@bakkerij.nl' }],
};

let routes: Record<string, Handler>;
let log: { key: string; body: any; headers: Record<string, string> }[];
let container: HTMLElement;
// Loaded after vi.resetModules() so that preact and preact/hooks are the same instance as the app's.
let render: typeof import('preact').render;

function on(key: string, handler: Handler) {
  routes[key] = handler;
}

async function waitFor<T>(fn: () => T | null | undefined | false, what = 'condition'): Promise<T> {
  const start = Date.now();
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() - start > 3000) throw new Error(`timed out waiting for ${what}\n${container.innerHTML.slice(0, 1500)}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const text = () => container.textContent ?? '';
const h1 = () => container.querySelector('h1')?.textContent ?? '';

function type(labelText: string, value: string) {
  const label = [...container.querySelectorAll('label')].find((l) => l.textContent?.trim() === labelText);
  if (!label) throw new Error(`no label "${labelText}"`);
  const input = document.getElementById(label.htmlFor) as HTMLInputElement;
  input.value = value;
  input.dispatchEvent(new Event('input', { bubbles: true }));
}

function field(labelText: string): HTMLInputElement {
  const label = [...container.querySelectorAll('label')].find((l) => l.textContent?.trim() === labelText)!;
  return document.getElementById(label.htmlFor) as HTMLInputElement;
}

/** Clicks after pending renders have run (as between two real user events). */
async function click(buttonText: string) {
  await new Promise((r) => setTimeout(r, 0));
  const el = [...container.querySelectorAll('button, a')].find((b) => b.textContent?.trim() === buttonText) as HTMLElement | undefined;
  if (!el) throw new Error(`no button "${buttonText}"`);
  el.click();
}

async function boot(path: string) {
  window.history.replaceState(null, '', path);
  const { captureUrlToken } = await import('./auth/urlToken');
  captureUrlToken();
  const { currentPath, startRouter } = await import('./router');
  currentPath.set(window.location.pathname);
  startRouter();
  const { startSession } = await import('./auth/session');
  const { App } = await import('./app');
  render = (await import('preact')).render;
  render(<App />, container);
  await startSession();
}

beforeEach(() => {
  vi.resetModules();
  routes = {};
  log = [];
  localStorage.clear();
  document.cookie = 'portal_csrf=c0; path=/';
  container = document.createElement('div');
  document.body.appendChild(container);
  vi.stubGlobal('scrollTo', vi.fn());
  vi.stubGlobal('fetch', vi.fn(async (url: string, init: RequestInit) => {
    const key = `${init.method ?? 'GET'} ${url.replace('/api/v1', '')}`;
    const body = typeof init.body === 'string' ? JSON.parse(init.body) : undefined;
    const headers = init.headers as Record<string, string>;
    log.push({ key, body, headers });
    const handler = routes[key];
    return handler ? handler(body, headers) : json(404, { code: 'not_found' });
  }));
});

afterEach(() => {
  render?.(null, container);
  container.remove();
});

describe('session', () => {
  it('resumes a session on start-up with one refresh and applies the account’s language', async () => {
    on('POST /auth/refresh', () => json(200, { access_token: 'A', token_type: 'Bearer', expires_in: 900, csrf_token: 'c1' }));
    on('GET /me', () => json(200, { ...ME, language: 'en', theme: 'dark' }));
    await boot('/');
    await waitFor(() => h1() === 'Welcome, Anna', 'home page');
    expect(log.filter((l) => l.key === 'POST /auth/refresh')).toHaveLength(1);
    expect(document.documentElement.dataset.theme).toBe('dark');
    expect(document.documentElement.lang).toBe('en');
    expect(text()).toContain('Bakkerij Jansen B.V.');
    // rights-driven tiles: HR sees participants, not financial documents
    expect(text()).toContain('Participants');
    expect(text()).not.toContain('Financial documents');
  });

  it('sends a visitor without a session to the login page and back to the page they asked for', async () => {
    on('POST /auth/refresh', () => json(401, { code: 'token_invalid' }));
    await boot('/organisation');
    await waitFor(() => h1() === 'Inloggen', 'login page');
    expect(window.location.pathname).toBe('/login');

    on('POST /auth/login', () => json(200, { mfa_token: 'M', mfa: 'totp' }));
    on('POST /auth/mfa', () => json(200, { access_token: 'A', token_type: 'Bearer', expires_in: 900, csrf_token: 'c1' }));
    on('GET /me', () => json(200, ME));
    on('GET /organisation', () => json(200, ORG, { ETag: '"v1"' }));

    type('Gebruikersnaam', 'anna');
    type('Wachtwoord', 'geheim');
    await click('Inloggen');
    await waitFor(() => h1() === 'Twee-factor-authenticatie', 'code step');
    expect(log.find((l) => l.key === 'POST /auth/login')!.body).toEqual({ username: 'anna', password: 'geheim' });

    type('Code uit uw authenticator-app', '123 456');
    await click('Verifiëren');
    await waitFor(() => h1() === 'Uw organisatie' && text().includes('Karin'), 'organisation page');
    expect(window.location.pathname).toBe('/organisation');
    expect(log.find((l) => l.key === 'POST /auth/mfa')!.body).toEqual({ mfa_token: 'M', code: '123456', session: 'cookie' });
    const orgCall = log.find((l) => l.key === 'GET /organisation')!;
    expect(orgCall.headers.Authorization).toBe('Bearer A');
  });

  it('shows the login page when the session expires mid-use, then returns to the same page', async () => {
    on('POST /auth/refresh', () => json(200, { access_token: 'A', csrf_token: 'c1' }));
    on('GET /me', () => json(200, ME));
    await boot('/');
    await waitFor(() => h1() === 'Welkom, Anna', 'home');

    // the session ends elsewhere: every call and the refresh are refused now
    on('GET /organisation', () => json(401));
    on('POST /auth/refresh', () => json(401));
    await click('Uw organisatie');
    await waitFor(() => h1() === 'Inloggen', 'login after expiry');
    expect(text()).toContain('Uw sessie is verlopen');

    on('POST /auth/login', () => json(200, { mfa_token: 'M2', mfa: 'totp' }));
    on('POST /auth/mfa', () => json(200, { access_token: 'B', csrf_token: 'c2' }));
    on('GET /organisation', () => json(200, ORG));
    type('Gebruikersnaam', 'anna');
    type('Wachtwoord', 'geheim');
    await click('Inloggen');
    await waitFor(() => h1() === 'Twee-factor-authenticatie', 'code step');
    type('Code uit uw authenticator-app', '654321');
    await click('Verifiëren');
    await waitFor(() => h1() === 'Uw organisatie' && text().includes('Dorpsstraat'), 'back on organisation');
  });
});

describe('login errors', () => {
  it('shows the API’s message, keeps what was typed, and says how long to wait after too many tries', async () => {
    on('POST /auth/refresh', () => json(401));
    await boot('/login');
    await waitFor(() => h1() === 'Inloggen', 'login');

    on('POST /auth/login', () => json(401, { code: 'invalid_credentials', detail: 'Gebruikersnaam of wachtwoord is onjuist.' }));
    type('Gebruikersnaam', 'anna');
    type('Wachtwoord', 'fout');
    await click('Inloggen');
    await waitFor(() => container.querySelector('[role="alert"]')?.textContent?.includes('onjuist'), 'error');
    expect(field('Gebruikersnaam').value).toBe('anna');
    expect(field('Wachtwoord').value).toBe('fout');

    on('POST /auth/login', () => json(429, { code: 'too_many_attempts', detail: 'Te veel mislukte pogingen.' }, { 'Retry-After': '8' }));
    await click('Inloggen');
    await waitFor(() => container.querySelector('[role="alert"]')?.textContent?.includes('8 seconden'), 'wait message');
    expect(container.querySelector('[role="alert"]')!.textContent).toContain('Te veel mislukte pogingen.');
  });

  it('marks empty fields without calling the API', async () => {
    on('POST /auth/refresh', () => json(401));
    await boot('/login');
    await waitFor(() => h1() === 'Inloggen', 'login');
    await click('Inloggen');
    await waitFor(() => container.querySelectorAll('[aria-invalid="true"]').length === 2, 'field errors');
    expect(log.some((l) => l.key === 'POST /auth/login')).toBe(false);
    await waitFor(() => document.activeElement === field('Gebruikersnaam'), 'focus on the first invalid field');
  });
});

describe('first login: enrolment and recovery codes', () => {
  it('shows the QR code and grouped secret, then the recovery codes until they are confirmed stored', async () => {
    on('POST /auth/refresh', () => json(401));
    await boot('/login');
    await waitFor(() => h1() === 'Inloggen', 'login');

    on('POST /auth/login', () =>
      json(200, {
        mfa_token: 'M',
        mfa: 'enroll',
        totp: { secret: 'JBSWY3DPEHPK3PXP', otpauth_uri: 'otpauth://totp/Portal:anna?secret=JBSWY3DPEHPK3PXP', qr_svg: '<svg xmlns="http://www.w3.org/2000/svg"/>' },
      }),
    );
    type('Gebruikersnaam', 'anna');
    type('Wachtwoord', 'geheim');
    await click('Inloggen');
    await waitFor(() => h1() === 'Twee-factor-authenticatie instellen', 'enrolment');
    const img = container.querySelector('.qr img') as HTMLImageElement;
    expect(img.getAttribute('src')).toBe(`data:image/svg+xml;base64,${btoa('<svg xmlns="http://www.w3.org/2000/svg"/>')}`);
    expect(img.alt).not.toBe('');
    expect(text()).toContain('JBSW Y3DP EHPK 3PXP');

    const codes = Array.from({ length: 10 }, (_, i) => `code-${i}`);
    on('POST /auth/mfa', () => json(200, { access_token: 'A', csrf_token: 'c', recovery_codes: codes }));
    on('GET /me', () => json(200, ME));
    type('Code uit uw authenticator-app', '123456');
    await click('Instellen voltooien');
    await waitFor(() => h1() === 'Uw herstelcodes', 'codes');
    expect(container.querySelectorAll('.codes li')).toHaveLength(10);

    await click('Doorgaan naar het portaal');
    await waitFor(() => text().includes('Bevestig dat u de codes veilig heeft bewaard.'), 'must confirm');
    expect(h1()).toBe('Uw herstelcodes');
    expect(log.some((l) => l.key === 'GET /me')).toBe(false);

    field('Ik heb deze codes veilig bewaard').click();
    await click('Doorgaan naar het portaal');
    await waitFor(() => h1() === 'Welkom, Anna', 'home');
  });
});

describe('activation link', () => {
  it('takes the token from the link, hides it, and sends it with the e-mail address', async () => {
    on('POST /auth/refresh', () => json(401));
    on('POST /activation/verification-code', () => json(202));
    await boot('/activate?token=INVITE-1');
    await waitFor(() => h1() === 'Account activeren', 'activation');
    expect(window.location.href).not.toContain('INVITE-1');
    type('E-mailadres', 'anna@bakkerij.nl');
    await click('Stuur verificatiecode');
    await waitFor(() => h1() === 'Verificatiecode invullen', 'code step');
    expect(log.find((l) => l.key === 'POST /activation/verification-code')!.body).toEqual({
      token: 'INVITE-1',
      email: 'anna@bakkerij.nl',
      channel: 'email',
    });
    expect(text()).toContain('anna@bakkerij.nl');
  });
});

describe('organisation page', () => {
  it('shows administrators to a user without rights and maps API field errors onto the address form', async () => {
    on('POST /auth/refresh', () => json(200, { access_token: 'A', csrf_token: 'c1' }));
    on('GET /me', () => json(200, { ...ME, rights: [] }));
    on('GET /organisation', () => json(200, ORG, { ETag: '"v1"' }));
    await boot('/organisation');
    await waitFor(() => text().includes('Karin Jansen'), 'administrators');
    expect(container.querySelector('a[href="mailto:karin@bakkerij.nl"]')).not.toBeNull();

    const postal = container.querySelector('[aria-labelledby="postal-title"]') as HTMLElement;
    (postal.querySelector('button') as HTMLButtonElement).click();
    await waitFor(() => container.querySelector('input[data-field="postal_address.postal_code"]'), 'address form');
    type('Postcode', '12345');

    on('PATCH /organisation', () =>
      json(422, {
        code: 'validation_failed',
        detail: 'De invoer klopt niet.',
        errors: [{ field: '/postal_address/postal_code', code: 'invalid', message: 'Vul een Nederlandse postcode in, zoals 1234 AB.' }],
      }),
    );
    await click('Opslaan');
    const input = await waitFor(() => container.querySelector('input[data-field="postal_address.postal_code"][aria-invalid="true"]') as HTMLInputElement, 'field error');
    const errorId = input.getAttribute('aria-describedby')!;
    expect(document.getElementById(errorId)!.textContent).toBe('Vul een Nederlandse postcode in, zoals 1234 AB.');
    expect(input.value).toBe('12345');
    expect(field('Straat').value).toBe('Dorpsstraat');
    const patch = log.find((l) => l.key === 'PATCH /organisation')!;
    expect(patch.headers['If-Match']).toBe('"v1"');
    expect(patch.body.postal_address).toEqual({ street: 'Dorpsstraat', house_number: '1', postal_code: '12345', city: 'Ede', country: 'NL' });

    on('PATCH /organisation', (body) => json(200, { ...ORG, postal_address: body.postal_address }, { ETag: '"v2"' }));
    type('Postcode', '1234 CD');
    await click('Opslaan');
    await waitFor(() => text().includes('1234 CD') && text().includes('De wijziging is opgeslagen.'), 'saved');
  });
});
