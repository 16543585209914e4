// The pages behind a forgotten password: the reset link (/reset-password?token=…)
// ends on "done" or, for a used link, on the API's message with a way to ask
// for a new one; asking for a username reminder ends on "sent".
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

type Handler = (body: any) => Response | Promise<Response>;

function json(status: number, body?: unknown): Response {
  return new Response(body === undefined ? null : JSON.stringify(body), {
    status,
    headers: { 'Content-Type': status >= 400 ? 'application/problem+json' : 'application/json' },
  });
}

let routes: Record<string, Handler>;
let log: { key: string; body: any }[];
let container: HTMLElement;
let render: typeof import('preact').render;

const text = () => container.textContent ?? '';
const h1 = () => container.querySelector('h1')?.textContent ?? '';

async function waitFor<T>(fn: () => T | null | undefined | false, what: string): Promise<T> {
  const start = Date.now();
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() - start > 3000) throw new Error(`timed out waiting for ${what}\n${container.innerHTML.slice(0, 1500)}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

function type(field: string, value: string) {
  const input = container.querySelector<HTMLInputElement>(`[data-field="${field}"]`)!;
  input.value = value;
  input.dispatchEvent(new Event('input', { bubbles: true }));
}

async function click(buttonText: string) {
  await new Promise((r) => setTimeout(r, 0));
  const el = [...container.querySelectorAll('button')].find((b) => b.textContent?.trim() === buttonText);
  if (!el) throw new Error(`no button "${buttonText}"`);
  el.click();
}

async function boot(path: string) {
  window.history.replaceState(null, '', path);
  const { captureUrlToken } = await import('../auth/urlToken');
  captureUrlToken();
  const { currentPath, startRouter } = await import('../router');
  currentPath.set(window.location.pathname);
  startRouter();
  const { startSession } = await import('../auth/session');
  const { App } = await import('../app');
  render = (await import('preact')).render;
  render(<App />, container);
  await startSession();
}

beforeEach(() => {
  vi.resetModules();
  routes = { 'POST /auth/refresh': () => json(401, { code: 'token_invalid' }) };
  log = [];
  localStorage.clear();
  container = document.createElement('div');
  document.body.appendChild(container);
  vi.stubGlobal('scrollTo', vi.fn());
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string, init: RequestInit) => {
      const key = `${init.method ?? 'GET'} ${url.replace('/api/v1', '')}`;
      const body = typeof init.body === 'string' ? JSON.parse(init.body) : undefined;
      log.push({ key, body });
      const handler = routes[key];
      return handler ? handler(body) : json(404, { code: 'not_found' });
    }),
  );
});

afterEach(() => {
  render?.(null, container);
  container.remove();
});

describe('password reset link', () => {
  it('sends the token with the new password and says it is done', async () => {
    routes['POST /auth/password-reset/confirm'] = () => new Response(null, { status: 204 });
    await boot('/reset-password?token=pr_TOKEN');
    await waitFor(() => h1() === 'Nieuw wachtwoord instellen' && container.querySelector('form'), 'reset page');
    expect(window.location.href).not.toContain('pr_TOKEN');
    type('password', 'Een-lang-nieuw-wachtwoord-2026');
    type('passwordRepeat', 'Een-lang-nieuw-wachtwoord-2026');
    await click('Wachtwoord opslaan');
    await waitFor(() => text().includes('Uw wachtwoord is gewijzigd.'), 'done');
    expect(log.filter((l) => l.key === 'POST /auth/password-reset/confirm').map((l) => l.body)).toEqual([
      { token: 'pr_TOKEN', password: 'Een-lang-nieuw-wachtwoord-2026' },
    ]);
    expect(container.querySelector('a[href="/login"]')?.textContent).toBe('Naar inloggen');
  });

  it('shows the API’s message for a used link and offers a new one', async () => {
    routes['POST /auth/password-reset/confirm'] = () => json(422, { code: 'token_invalid', detail: 'Deze link is al gebruikt.' });
    await boot('/reset-password?token=used');
    await waitFor(() => container.querySelector('form'), 'reset page');
    type('password', 'Een-lang-nieuw-wachtwoord-2026');
    type('passwordRepeat', 'Een-lang-nieuw-wachtwoord-2026');
    await click('Wachtwoord opslaan');
    await waitFor(() => text().includes('Deze link is al gebruikt.'), 'invalid link');
    expect(container.querySelector('form')).toBeNull();
    expect(container.querySelector('a[href="/forgot-password"]')?.textContent).toBe('Nieuwe link aanvragen');
  });

  it('says the link is not valid without a token', async () => {
    await boot('/reset-password');
    await waitFor(() => text().includes('Deze link is niet meer geldig. Vraag een nieuwe link aan.'), 'invalid link');
    expect(log.some((l) => l.key === 'POST /auth/password-reset/confirm')).toBe(false);
  });
});

describe('username reminder', () => {
  it('sends the address and says a mail follows, with the way back to sign in', async () => {
    routes['POST /auth/username-reminder'] = () => json(202, { status: 'accepted' });
    await boot('/forgot-username');
    await waitFor(() => h1() === 'Gebruikersnaam vergeten' && container.querySelector('form'), 'reminder page');
    expect(container.querySelector('a.btn-secondary[href="/login"]')).not.toBeNull();
    type('email', 'henk@korenbloem.nl');
    await click('Stuur mijn gebruikersnaam');
    await waitFor(() => text().includes('ontvangt u binnen enkele minuten een e-mail'), 'sent');
    expect(log.filter((l) => l.key === 'POST /auth/username-reminder').map((l) => l.body)).toEqual([{ email: 'henk@korenbloem.nl' }]);
    expect(container.querySelector('a[href="/login"]')?.textContent).toBe('Naar inloggen');
  });
});
