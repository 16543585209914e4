import { beforeEach, describe, expect, it } from 'vitest';
import { ApiError } from '../api/client';
import { setActiveLanguage } from '../i18n';
import {
  activationReducer,
  initialActivation,
  validateActivationStep,
  type ActivationAction,
  type ActivationState,
} from './activation';
import { hasErrors } from './errors';

beforeEach(() => setActiveLanguage('nl'));

const run = (state: ActivationState, ...actions: ActivationAction[]) => actions.reduce(activationReducer, state);
const edit = (field: keyof ActivationState['values'], value: string): ActivationAction => ({ type: 'edit', field, value });

function atCredentials(): ActivationState {
  return run(
    initialActivation(true),
    edit('email', 'jan@bedrijf.nl'),
    { type: 'busy' },
    { type: 'codeSent' },
    edit('code', '123456'),
    { type: 'codeEntered' },
    edit('username', 'jan'),
    edit('password', 'lange zin met woorden'),
    edit('passwordRepeat', 'lange zin met woorden'),
  );
}

describe('activation steps', () => {
  it('starts at the e-mail step with a token, and explains the link without one', () => {
    expect(initialActivation(true).step).toBe('email');
    expect(initialActivation(false).step).toBe('no_token');
  });

  it('walks e-mail → code → username/password → done', () => {
    let s = initialActivation(true);
    s = run(s, edit('email', 'jan@bedrijf.nl'));
    expect(hasErrors(validateActivationStep(s))).toBe(false);
    s = run(s, { type: 'busy' }, { type: 'codeSent' });
    expect(s.step).toBe('code');
    expect(s.codeSentTo).toBe('jan@bedrijf.nl');
    s = run(s, edit('code', '123 456'));
    expect(hasErrors(validateActivationStep(s))).toBe(false);
    s = run(s, { type: 'codeEntered' }, edit('username', 'jan'), edit('password', 'pw'), edit('passwordRepeat', 'pw'));
    expect(s.step).toBe('credentials');
    expect(hasErrors(validateActivationStep(s))).toBe(false);
    s = run(s, { type: 'busy' }, { type: 'activated' });
    expect(s.step).toBe('done');
    expect(s.values.password).toBe('');
    expect(s.values.code).toBe('');
  });

  it('does not say where an SMS went as if it were the e-mail address', () => {
    const s = run(initialActivation(true), edit('email', 'jan@bedrijf.nl'), edit('channel', 'sms'), { type: 'codeSent' });
    expect(s.step).toBe('code');
    expect(s.codeSentTo).toBeNull();
  });

  it('marks a resent code as resent', () => {
    const s = run(initialActivation(true), edit('email', 'a@b.nl'), { type: 'codeSent' }, { type: 'busy' }, { type: 'codeSent' });
    expect(s.codeResent).toBe(true);
  });

  it('blocks a missing or malformed e-mail address', () => {
    expect(validateActivationStep(initialActivation(true)).fields.email).toBe('Vul dit veld in.');
    const s = run(initialActivation(true), edit('email', 'jan@'));
    expect(validateActivationStep(s).fields.email).toMatch(/geldig e-mailadres/);
  });

  it('needs a 6-digit code before going on', () => {
    const s = run(initialActivation(true), edit('email', 'a@b.nl'), { type: 'codeSent' }, edit('code', '12345'));
    expect(validateActivationStep(s).fields.code).toBe('Vul de code van 6 cijfers in.');
  });

  it('needs both passwords to match', () => {
    const s = run(atCredentials(), edit('passwordRepeat', 'iets anders'));
    expect(validateActivationStep(s).fields).toEqual({ passwordRepeat: 'De wachtwoorden zijn niet gelijk.' });
  });

  it('goes back a step keeping what was typed', () => {
    let s = run(atCredentials(), { type: 'back' });
    expect(s.step).toBe('code');
    expect(s.values.code).toBe('123456');
    s = run(s, { type: 'back' });
    expect(s.step).toBe('email');
    expect(s.values.email).toBe('jan@bedrijf.nl');
    expect(s.values.username).toBe('jan');
  });

  it('clears a field’s error as soon as the user edits it', () => {
    let s = run(atCredentials(), { type: 'invalid', errors: { fields: { username: 'x', password: 'y' }, general: [] } });
    s = run(s, edit('username', 'jan2'));
    expect(s.errors.fields).toEqual({ password: 'y' });
  });
});

describe('activation errors from the API', () => {
  const fail = (status: number, body: object): ActivationAction => ({ type: 'failed', error: new ApiError(status, body) });

  it('sends a wrong code back to the code step, keeping username and password', () => {
    const s = run(atCredentials(), { type: 'busy' }, fail(422, { code: 'code_invalid', detail: 'De code klopt niet.' }));
    expect(s.step).toBe('code');
    expect(s.errors.fields.code).toBe('De code klopt niet.');
    expect(s.errors.general).toEqual([]);
    expect(s.values.username).toBe('jan');
    expect(s.values.password).toBe('lange zin met woorden');
    expect(s.busy).toBe(false);
  });

  it('shows a taken username at the username field', () => {
    const s = run(atCredentials(), fail(409, { code: 'username_taken', detail: 'Deze gebruikersnaam is bezet.' }));
    expect(s.step).toBe('credentials');
    expect(s.errors.fields.username).toBe('Deze gebruikersnaam is bezet.');
  });

  it('shows why a password was rejected at the password field', () => {
    const s = run(
      atCredentials(),
      fail(422, {
        code: 'password_rejected',
        detail: 'Wachtwoord afgewezen.',
        errors: [{ field: '/password', code: 'breached', message: 'Dit wachtwoord komt voor in een datalek.' }],
      }),
    );
    expect(s.step).toBe('credentials');
    expect(s.errors.fields.password).toBe('Dit wachtwoord komt voor in een datalek.');
  });

  it('ends on an explanation when the invitation link is no longer valid', () => {
    const s = run(initialActivation(true), edit('email', 'a@b.nl'), fail(410, { code: 'token_invalid', detail: 'Link verlopen.' }));
    expect(s.step).toBe('link_invalid');
    expect(s.errors.general).toEqual(['Link verlopen.']);
  });

  it('stays on the step and tells how long to wait after too many attempts', () => {
    const s = run(atCredentials(), { type: 'failed', error: new ApiError(429, { code: 'too_many_attempts' }, 60) });
    expect(s.step).toBe('credentials');
    expect(s.errors.general).toEqual(['U kunt het over 1 minuut opnieuw proberen.']);
  });

  it('goes to the earliest step with a field error', () => {
    const s = run(atCredentials(), fail(422, { detail: 'Ongeldig.', errors: [{ field: '/email', message: 'Onbekend adres.' }, { field: '/username', message: 'Te kort.' }] }));
    expect(s.step).toBe('email');
    expect(s.errors.fields).toEqual({ email: 'Onbekend adres.', username: 'Te kort.' });
  });
});
