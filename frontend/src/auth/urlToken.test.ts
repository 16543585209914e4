import { beforeEach, describe, expect, it } from 'vitest';
import { captureUrlToken, forgetToken, tokenFor } from './urlToken';

function visit(url: string) {
  window.history.replaceState(null, '', url);
}

beforeEach(() => {
  forgetToken('/activate');
  forgetToken('/reset-password');
});

describe('captureUrlToken', () => {
  it('keeps the invitation token in memory and removes it from the address bar', () => {
    visit('/activate?token=T0k3n-abc');
    captureUrlToken();
    expect(tokenFor('/activate')).toBe('T0k3n-abc');
    expect(window.location.pathname).toBe('/activate');
    expect(window.location.search).toBe('');
    expect(window.location.href).not.toContain('T0k3n');
  });

  it('does the same for password-reset links and keeps other parameters and the hash', () => {
    visit('/reset-password?lang=en&token=R3set#top');
    captureUrlToken();
    expect(tokenFor('/reset-password')).toBe('R3set');
    expect(window.location.search).toBe('?lang=en');
    expect(window.location.hash).toBe('#top');
  });

  it('replaces the history entry instead of adding one (Back does not return to the token URL)', () => {
    visit('/activate?token=X');
    const before = window.history.length;
    captureUrlToken();
    expect(window.history.length).toBe(before);
  });

  it('scrubs a token from other pages without treating it as an invitation', () => {
    visit('/login?token=stray');
    captureUrlToken();
    expect(window.location.search).toBe('');
    expect(tokenFor('/activate')).toBeNull();
  });

  it('accepts a trailing slash', () => {
    visit('/activate/?token=Y');
    captureUrlToken();
    expect(tokenFor('/activate')).toBe('Y');
    expect(window.location.pathname).toBe('/activate');
  });

  it('leaves URLs without a token alone', () => {
    visit('/profile?x=1');
    captureUrlToken();
    expect(window.location.search).toBe('?x=1');
  });

  it('never stores the token in web storage', () => {
    visit('/activate?token=SECRET123');
    captureUrlToken();
    expect(JSON.stringify({ ...localStorage, ...sessionStorage })).not.toContain('SECRET123');
  });
});
