import { describe, expect, it } from 'vitest';
import translationsEn from '@zxcvbn-ts/language-en/dist/translations.mjs';
import { en } from './en';
import { nl } from './nl';
import { formatWait, hasMessage, setActiveLanguage, t } from './index';

describe('messages', () => {
  it('has the same keys in Dutch and English, none empty', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(nl).sort());
    for (const [k, v] of [...Object.entries(nl), ...Object.entries(en)]) expect(v.trim(), k).not.toBe('');
  });

  it('uses the same placeholders in both languages', () => {
    const names = (s: string) => (s.match(/\{\w+\}/g) ?? []).sort().join();
    for (const key of Object.keys(nl) as (keyof typeof nl)[]) expect(names(en[key]), key).toBe(names(nl[key]));
  });

  it('keeps the wording employers know from the manual', () => {
    setActiveLanguage('nl');
    expect(t('login.username')).toBe('Gebruikersnaam');
    expect(t('login.password')).toBe('Wachtwoord');
    expect(t('login.submit')).toBe('Inloggen');
    expect(t('login.firstVisit')).toBe('Eerste bezoek? Activeer uw account');
    expect(t('codes.stored')).toBe('Ik heb deze codes veilig bewaard');
    expect(t('activation.done')).toBe('Uw account is geactiveerd.');
  });

  it('fills placeholders and switches language', () => {
    setActiveLanguage('nl');
    expect(t('home.title', { name: 'Anna' })).toBe('Welkom, Anna');
    setActiveLanguage('en');
    expect(t('home.title', { name: 'Anna' })).toBe('Welcome, Anna');
  });

  it('has a text for every password warning and suggestion the estimator can give', () => {
    for (const k of Object.keys(translationsEn.warnings)) expect(hasMessage(`pw.warning.${k}`), k).toBe(true);
    for (const k of Object.keys(translationsEn.suggestions)) expect(hasMessage(`pw.suggestion.${k}`), k).toBe(true);
  });
});

describe('formatWait', () => {
  it('says how long to wait in words', () => {
    setActiveLanguage('nl');
    expect(formatWait(1)).toBe('1 seconde');
    expect(formatWait(45)).toBe('45 seconden');
    expect(formatWait(61)).toBe('2 minuten');
    expect(formatWait(900)).toBe('15 minuten');
    setActiveLanguage('en');
    expect(formatWait(60)).toBe('1 minute');
    expect(formatWait(3600)).toBe('1 hour');
    expect(formatWait(0)).toBe('1 second');
  });
});
