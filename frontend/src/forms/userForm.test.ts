import { beforeEach, describe, expect, it } from 'vitest';
import { setActiveLanguage } from '../i18n';
import { employerCatalogue, officeCatalogue } from '../rights/fixtures';
import { runChecks } from './errors';
import { isPhoneNumber, userFormChecks, type UserFormValues } from './userForm';

beforeEach(() => setActiveLanguage('nl'));

const base: UserFormValues = {
  first_name: 'Eva',
  last_name: 'de Boer',
  email: 'eva@bakkerij.nl',
  mobile: '',
  rights: ['hr'],
  scope: 'all',
  scheme_ids: [],
  external: false,
  expires: '',
};

const check = (v: Partial<UserFormValues>, ctx: Partial<Parameters<typeof userFormChecks>[1]> = {}) =>
  runChecks(userFormChecks({ ...base, ...v }, { creating: true, catalogue: employerCatalogue(), current: [], self: false, today: '2026-06-01', ...ctx })).fields;

describe('user form checks', () => {
  it('accepts a complete new user', () => {
    expect(check({})).toEqual({});
  });

  it('asks for names and a valid e-mail address when creating', () => {
    expect(check({ first_name: ' ', last_name: '', email: 'eva@' })).toEqual({
      first_name: 'Vul dit veld in.',
      last_name: 'Vul dit veld in.',
      email: 'Vul een geldig e-mailadres in, bijvoorbeeld naam@bedrijf.nl.',
    });
  });

  it('does not check the e-mail address of an existing user (it cannot be changed)', () => {
    expect(check({ email: '' }, { creating: false })).toEqual({});
  });

  it('checks the mobile number only when one is given', () => {
    expect(check({ mobile: '06 12345678' })).toEqual({});
    expect(check({ mobile: '+31 (0)6-1234 5678' })).toEqual({});
    expect(check({ mobile: 'bel mij' }).mobile).toMatch(/telefoonnummer/);
    expect(isPhoneNumber('1234')).toBe(false);
  });

  it('explains a rights selection the rules refuse', () => {
    expect(check({ rights: ['vermogen'] }, { catalogue: officeCatalogue() }).rights).toBe('Vermogen kan alleen samen met Beleggingsobjecten, Spaarrekeningen.');
    expect(check({ rights: ['klantbeeld'] }, { catalogue: officeCatalogue() }).rights).toBe('Klantbeeld vraagt minstens één productrecht.');
    setActiveLanguage('en');
    expect(check({ rights: ['klantbeeld'] }, { catalogue: officeCatalogue() }).rights).toBe('Klantbeeld needs at least one product right.');
  });

  it('allows a user without rights (they see whom to ask)', () => {
    expect(check({ rights: [] })).toEqual({});
  });

  it('does not check rights on the own account (they are not sent)', () => {
    expect(check({ rights: ['klantbeeld'] }, { catalogue: officeCatalogue(), self: true })).toEqual({});
  });

  it('wants at least one scheme when the scope is limited', () => {
    expect(check({ scope: 'some' }).scheme_ids).toBe('Kies minstens één regeling.');
    expect(check({ scope: 'some', scheme_ids: ['s1'] })).toEqual({});
    expect(check({ scope: 'some' }, { scopeShown: false })).toEqual({});
  });

  it('wants a real expiry date, today or later, for external consultants', () => {
    expect(check({ external: true, expires: '' }).expires_at).toMatch(/geldige datum/);
    expect(check({ external: true, expires: '31-02-2026' }).expires_at).toMatch(/geldige datum/);
    expect(check({ external: true, expires: '31-05-2026' }).expires_at).toBe('Kies vandaag of een datum in de toekomst.');
    expect(check({ external: true, expires: '01-06-2026' })).toEqual({});
    expect(check({ external: false, expires: 'nonsense' })).toEqual({});
  });
});
