import { beforeEach, describe, expect, it } from 'vitest';
import { ApiError } from '../api/client';
import { setActiveLanguage } from '../i18n';
import { fieldForPointer, isSixDigitCode, pointerToPath, problemToFormErrors, runChecks } from './errors';

beforeEach(() => setActiveLanguage('nl'));

describe('pointerToPath', () => {
  it('turns JSON Pointers into dotted field names', () => {
    expect(pointerToPath('/password')).toBe('password');
    expect(pointerToPath('/postal_address/postal_code')).toBe('postal_address.postal_code');
    expect(pointerToPath('/person/bsn')).toBe('person.bsn');
  });

  it('unescapes ~1 and ~0 (RFC 6901)', () => {
    expect(pointerToPath('/a~1b/c~0d')).toBe('a/b.c~d');
  });

  it('has no field for the whole document', () => {
    expect(pointerToPath('')).toBeNull();
    expect(pointerToPath('/')).toBeNull();
    expect(pointerToPath(undefined)).toBeNull();
  });
});

describe('fieldForPointer', () => {
  const fields = ['postal_address.street', 'postal_address.city', 'password'];

  it('finds the field itself', () => {
    expect(fieldForPointer('/postal_address/city', fields)).toBe('postal_address.city');
  });

  it('falls back to the nearest field above a deeper pointer', () => {
    expect(fieldForPointer('/password/0', fields)).toBe('password');
  });

  it('uses aliases for API names that differ from the form’s', () => {
    expect(fieldForPointer('/new_password', ['password'], { new_password: 'password' })).toBe('password');
  });

  it('returns null for pointers that are not on the form', () => {
    expect(fieldForPointer('/postal_address', fields)).toBeNull();
    expect(fieldForPointer('/email', fields)).toBeNull();
  });
});

const problem = (status: number, body: object, retryAfter: number | null = null) => new ApiError(status, body, retryAfter);

describe('problemToFormErrors', () => {
  it('puts field errors next to their field and the detail in the alert', () => {
    const e = problem(422, {
      code: 'password_rejected',
      detail: 'Het wachtwoord voldoet niet.',
      errors: [{ field: '/password', code: 'too_short', message: 'Minimaal 12 tekens.' }],
    });
    const out = problemToFormErrors(e, ['username', 'password']);
    expect(out.fields).toEqual({ password: 'Minimaal 12 tekens.' });
    expect(out.general).toEqual(['Het wachtwoord voldoet niet.']);
  });

  it('shows errors for fields the form does not have in the alert', () => {
    const e = problem(422, {
      detail: 'Ongeldige invoer.',
      errors: [
        { field: '/postal_address/city', message: 'Plaats ontbreekt.' },
        { field: '/kvk', message: 'Onbekend KvK-nummer.' },
      ],
    });
    const out = problemToFormErrors(e, ['postal_address.city']);
    expect(out.fields).toEqual({ 'postal_address.city': 'Plaats ontbreekt.' });
    expect(out.general).toEqual(['Ongeldige invoer.', 'Onbekend KvK-nummer.']);
  });

  it('joins two messages for the same field', () => {
    const e = problem(422, {
      detail: 'x',
      errors: [
        { field: '/password', message: 'Te kort.' },
        { field: '/password', message: 'Te bekend.' },
      ],
    });
    expect(problemToFormErrors(e, ['password']).fields.password).toBe('Te kort. Te bekend.');
  });

  it('shows the API detail as given when there are no field errors', () => {
    const e = problem(401, { code: 'invalid_credentials', detail: 'Gebruikersnaam of wachtwoord onjuist.' });
    expect(problemToFormErrors(e, ['username', 'password'])).toEqual({
      fields: {},
      general: ['Gebruikersnaam of wachtwoord onjuist.'],
    });
  });

  it('tells how long to wait after too many attempts', () => {
    const e = problem(429, { code: 'too_many_attempts', detail: 'Te veel pogingen.' }, 120);
    expect(problemToFormErrors(e).general).toEqual(['Te veel pogingen.', 'U kunt het over 2 minuten opnieuw proberen.']);
    setActiveLanguage('en');
    const short = problem(429, { code: 'too_many_attempts' }, 1);
    expect(problemToFormErrors(short).general).toEqual(['You can try again in 1 second.']);
  });

  it('explains a network failure instead of showing nothing', () => {
    const out = problemToFormErrors(new ApiError(0, { code: 'network_error' }));
    expect(out.general[0]).toMatch(/geen verbinding/);
  });

  it('falls back to a generic message for an answer without a problem body', () => {
    const out = problemToFormErrors(problem(500, {}));
    expect(out.general).toEqual(['Er ging iets mis. Probeer het later opnieuw.']);
  });

  it('does not leak programming errors to the user', () => {
    expect(problemToFormErrors(new TypeError('x is undefined')).general[0]).toMatch(/onverwacht/);
  });
});

describe('client-side checks', () => {
  it('keeps only the first failing check per field', () => {
    const out = runChecks([
      ['email', true, 'required'],
      ['email', true, 'invalid'],
      ['name', false, 'required'],
    ]);
    expect(out.fields).toEqual({ email: 'required' });
  });

  it('accepts six-digit codes, with spaces as typed from an app', () => {
    expect(isSixDigitCode('123456')).toBe(true);
    expect(isSixDigitCode('123 456')).toBe(true);
    expect(isSixDigitCode('12345')).toBe(false);
    expect(isSixDigitCode('12345a')).toBe(false);
  });
});
