// The unlock page behind the mailed link /unlock?token=…: the token leaves the
// address bar at once, one button sends it, and the answer shows success or
// an expired link, in Dutch and English.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { json, startHarness, type Harness } from '../testing/appHarness';

let h: Harness;
const text = () => h.text();
const h1 = () => h.h1();
// The page's own buttons (the shell adds language and theme switches).
const buttons = () => [...h.container.querySelectorAll('main button')].map((b) => b.textContent?.trim());
const waitFor = <T,>(fn: () => T | null | undefined | false, what: string) => h.waitFor(fn, what);
const click = (label: string) => h.click(label);
const boot = (path: string, lang: 'nl' | 'en' = 'nl') => h.boot(path, lang);

beforeEach(() => {
  h = startHarness({ 'POST /auth/refresh': () => json(401, { code: 'token_invalid' }) });
});

afterEach(() => h.stop());

describe('unlock link', () => {
  it('hides the token, sends it with one button and says the account is free again', async () => {
    h.routes['POST /auth/unlock'] = () => new Response(null, { status: 204 });
    await boot('/unlock?token=ul_TOKEN-1');
    await waitFor(() => h1() === 'Account vrijgeven', 'unlock page');
    expect(window.location.href).not.toContain('ul_TOKEN-1');
    expect(window.location.pathname).toBe('/unlock');
    expect(buttons()).toEqual(['Account vrijgeven']);
    expect(h.log.some((l) => l.key === 'POST /auth/unlock')).toBe(false); // nothing before the click

    await click('Account vrijgeven');
    await waitFor(() => text().includes('Uw account is vrijgegeven'), 'success');
    const calls = h.log.filter((l) => l.key === 'POST /auth/unlock');
    expect(calls).toHaveLength(1);
    expect(calls[0].body).toEqual({ token: 'ul_TOKEN-1' });
    expect(h.container.querySelector('a[href="/login"]')?.textContent).toBe('Naar inloggen');
  });

  it('shows the API’s message for a used or expired link, in English', async () => {
    h.routes['POST /auth/unlock'] = () =>
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
    expect(h.log.some((l) => l.key === 'POST /auth/unlock')).toBe(false);
  });

  it('keeps the button for another try when the server fails', async () => {
    h.routes['POST /auth/unlock'] = () => json(503, { code: 'service_unavailable', detail: 'Probeer het later opnieuw.' });
    await boot('/unlock?token=T2');
    await waitFor(() => h1() === 'Account vrijgeven', 'unlock page');
    await click('Account vrijgeven');
    await waitFor(() => text().includes('Probeer het later opnieuw.') && buttons().includes('Account vrijgeven'), 'error');
    expect(text()).not.toContain('Uw account is vrijgegeven');

    h.routes['POST /auth/unlock'] = () => new Response(null, { status: 204 });
    await click('Account vrijgeven');
    await waitFor(() => text().includes('Uw account is vrijgegeven'), 'success on retry');
    expect(h.log.filter((l) => l.key === 'POST /auth/unlock').map((l) => l.body)).toEqual([{ token: 'T2' }, { token: 'T2' }]);
  });
});
