// The unlock page behind the mailed link /unlock?token=…: the token leaves the
// address bar at once, one button sends it, and the answer shows success or
// an expired link, in Dutch and English.
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
// The page's own buttons (the shell adds language and theme switches).
const buttons = () => [...container.querySelectorAll('main button')].map((b) => b.textContent?.trim());

async function waitFor<T>(fn: () => T | null | undefined | false, what: string): Promise<T> {
  const start = Date.now();
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() - start > 3000) throw new Error(`timed out waiting for ${what}\n${container.innerHTML.slice(0, 1500)}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function click(buttonText: string) {
  await new Promise((r) => setTimeout(r, 0));
  const el = [...container.querySelectorAll('button')].find((b) => b.textContent?.trim() === buttonText);
  if (!el) throw new Error(`no button "${buttonText}"`);
  el.click();
}

async function boot(path: string, lang: 'nl' | 'en' = 'nl') {
  window.history.replaceState(null, '', path);
  const { captureUrlToken } = await import('../auth/urlToken');
  captureUrlToken();
  const { setActiveLanguage } = await import('../i18n');
  setActiveLanguage(lang);
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

describe('unlock link', () => {
  it('hides the token, sends it with one button and says the account is free again', async () => {
    routes['POST /auth/unlock'] = () => new Response(null, { status: 204 });
    await boot('/unlock?token=ul_TOKEN-1');
    await waitFor(() => h1() === 'Account vrijgeven', 'unlock page');
    expect(window.location.href).not.toContain('ul_TOKEN-1');
    expect(window.location.pathname).toBe('/unlock');
    expect(buttons()).toEqual(['Account vrijgeven']);
    expect(log.some((l) => l.key === 'POST /auth/unlock')).toBe(false); // nothing before the click

    await click('Account vrijgeven');
    await waitFor(() => text().includes('Uw account is vrijgegeven'), 'success');
    const calls = log.filter((l) => l.key === 'POST /auth/unlock');
    expect(calls).toHaveLength(1);
    expect(calls[0].body).toEqual({ token: 'ul_TOKEN-1' });
    expect(container.querySelector('a[href="/login"]')?.textContent).toBe('Naar inloggen');
  });

  it('shows the API’s message for a used or expired link, in English', async () => {
    routes['POST /auth/unlock'] = () =>
      json(422, { code: 'token_invalid', detail: 'This link is no longer valid.', errors: [{ pointer: '/token', code: 'token_invalid' }] });
    await boot('/unlock?token=old', 'en');
    await waitFor(() => h1() === 'Unlock account', 'unlock page');
    await click('Unlock account');
    await waitFor(() => text().includes('This link is no longer valid.'), 'invalid link');
    expect(buttons()).not.toContain('Unlock account');
    expect(text()).toContain('Forgot your password? Then request a new one.');
  });

  it('says the link is not valid when it carries no token, without calling the API', async () => {
    await boot('/unlock');
    await waitFor(() => h1() === 'Account vrijgeven', 'unlock page');
    expect(text()).toContain('Deze link is niet meer geldig.');
    expect(buttons()).not.toContain('Account vrijgeven');
    expect(log.some((l) => l.key === 'POST /auth/unlock')).toBe(false);
  });

  it('keeps the button for another try when the server fails', async () => {
    routes['POST /auth/unlock'] = () => json(503, { code: 'service_unavailable', detail: 'Probeer het later opnieuw.' });
    await boot('/unlock?token=T2');
    await waitFor(() => h1() === 'Account vrijgeven', 'unlock page');
    await click('Account vrijgeven');
    await waitFor(() => text().includes('Probeer het later opnieuw.') && buttons().includes('Account vrijgeven'), 'error');
    expect(text()).not.toContain('Uw account is vrijgegeven');

    routes['POST /auth/unlock'] = () => new Response(null, { status: 204 });
    await click('Account vrijgeven');
    await waitFor(() => text().includes('Uw account is vrijgegeven'), 'success on retry');
    expect(log.filter((l) => l.key === 'POST /auth/unlock').map((l) => l.body)).toEqual([{ token: 'T2' }, { token: 'T2' }]);
  });
});
