// The pages behind a forgotten password: the reset link (/reset-password?token=…)
// ends on "done" or, for a used link, on the API's message with a way to ask
// for a new one; asking for a username reminder ends on "sent".
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { json, startHarness, type Harness } from '../testing/appHarness';

let h: Harness;
const text = () => h.text();
const h1 = () => h.h1();

beforeEach(() => {
  h = startHarness({ 'POST /auth/refresh': () => json(401, { code: 'token_invalid' }) });
});

afterEach(() => h.stop());

describe('password reset link', () => {
  it('sends the token with the new password and says it is done', async () => {
    h.routes['POST /auth/password-reset/confirm'] = () => new Response(null, { status: 204 });
    await h.boot('/reset-password?token=pr_TOKEN');
    await h.waitFor(() => h1() === 'Nieuw wachtwoord instellen' && h.container.querySelector('form'), 'reset page');
    expect(window.location.href).not.toContain('pr_TOKEN');
    h.type('password', 'Een-lang-nieuw-wachtwoord-2026');
    h.type('passwordRepeat', 'Een-lang-nieuw-wachtwoord-2026');
    await h.click('Wachtwoord opslaan');
    await h.waitFor(() => text().includes('Uw wachtwoord is gewijzigd.'), 'done');
    expect(h.log.filter((l) => l.key === 'POST /auth/password-reset/confirm').map((l) => l.body)).toEqual([
      { token: 'pr_TOKEN', password: 'Een-lang-nieuw-wachtwoord-2026' },
    ]);
    expect(h.container.querySelector('a[href="/login"]')?.textContent).toBe('Naar inloggen');
  });

  it('shows the API’s message for a used link and offers a new one', async () => {
    h.routes['POST /auth/password-reset/confirm'] = () => json(422, { code: 'token_invalid', detail: 'Deze link is al gebruikt.' });
    await h.boot('/reset-password?token=used');
    await h.waitFor(() => h.container.querySelector('form'), 'reset page');
    h.type('password', 'Een-lang-nieuw-wachtwoord-2026');
    h.type('passwordRepeat', 'Een-lang-nieuw-wachtwoord-2026');
    await h.click('Wachtwoord opslaan');
    await h.waitFor(() => text().includes('Deze link is al gebruikt.'), 'invalid link');
    expect(h.container.querySelector('form')).toBeNull();
    expect(h.container.querySelector('a[href="/forgot-password"]')?.textContent).toBe('Nieuwe link aanvragen');
  });

  it('says the link is not valid without a token', async () => {
    await h.boot('/reset-password');
    await h.waitFor(() => text().includes('Deze link is niet meer geldig. Vraag een nieuwe link aan.'), 'invalid link');
    expect(h.log.some((l) => l.key === 'POST /auth/password-reset/confirm')).toBe(false);
  });
});

describe('username reminder', () => {
  it('sends the address and says a mail follows, with the way back to sign in', async () => {
    h.routes['POST /auth/username-reminder'] = () => json(202, { status: 'accepted' });
    await h.boot('/forgot-username');
    await h.waitFor(() => h1() === 'Gebruikersnaam vergeten' && h.container.querySelector('form'), 'reminder page');
    expect(h.container.querySelector('a.btn-secondary[href="/login"]')).not.toBeNull();
    h.type('email', 'henk@korenbloem.nl');
    await h.click('Stuur mijn gebruikersnaam');
    await h.waitFor(() => text().includes('ontvangt u binnen enkele minuten een e-mail'), 'sent');
    expect(h.log.filter((l) => l.key === 'POST /auth/username-reminder').map((l) => l.body)).toEqual([{ email: 'henk@korenbloem.nl' }]);
    expect(h.container.querySelector('a[href="/login"]')?.textContent).toBe('Naar inloggen');
  });
});
