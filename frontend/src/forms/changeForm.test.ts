import { beforeEach, describe, expect, it } from 'vitest';
import { setActiveLanguage } from '../i18n';
import { runChecks } from './errors';
import { changeBody, changeChecks, changeWindow, emptyChange } from './changeForm';

beforeEach(() => setActiveLanguage('nl'));

const window = changeWindow('2019-08-01', '2026-11-30');
const fields = (kind: Parameters<typeof changeChecks>[0], v: Record<string, string>, lang: 'nl' | 'en' = 'nl') =>
  runChecks(changeChecks(kind, { ...emptyChange(kind), ...v }, lang, window)).fields;

describe('the change window', () => {
  it('runs from the employment start to three calendar months ahead, the day clamped', () => {
    expect(window).toEqual({ from: '2019-08-01', until: '2027-02-28' });
  });

  it('refuses dates after it and before the employment', () => {
    expect(fields('termination', { effective_date: '01-03-2027' }).effective_date).toBe('De datum mag uiterlijk 28-02-2027 zijn.');
    expect(fields('termination', { effective_date: '28-02-2027' })).toEqual({});
    expect(fields('termination', { effective_date: '31-07-2019' }).effective_date).toBe('De datum ligt voor de indiensttreding (01-08-2019).');
    expect(fields('termination', { effective_date: '' }).effective_date).toMatch(/geldige datum/);
  });
});

describe('salary change', () => {
  it('wants a salary or a part-time percentage, in the user’s notation', () => {
    expect(fields('salary_change', { effective_date: '01-12-2026' }).salary).toBe('Vul een nieuw salaris of parttimepercentage in.');
    expect(fields('salary_change', { effective_date: '01-12-2026', salary: '55.000,00' })).toEqual({});
    expect(fields('salary_change', { effective_date: '01-12-2026', salary: '55,000.00' }).salary).toMatch(/bedrag/);
    expect(fields('salary_change', { effective_date: '01-12-2026', parttime_percentage: '120' }).parttime_percentage).toMatch(/percentage/);
  });

  it('sends decimal strings', () => {
    expect(changeBody('salary_change', { effective_date: '01-12-2026', salary: '55.000', parttime_percentage: '80,5' }, 'nl')).toEqual({
      type: 'salary_change',
      effective_date: '2026-12-01',
      salary: '55000.00',
      parttime_percentage: '80.500',
    });
    expect(changeBody('salary_change', { effective_date: '01/12/2026', salary: '55,000.50', parttime_percentage: '' }, 'en')).toEqual({
      type: 'salary_change',
      effective_date: '2026-12-01',
      salary: '55000.50',
    });
  });
});

describe('partner and child', () => {
  it('checks the BSN with the 11-proef and sends it without dots', () => {
    const v = { effective_date: '01-12-2026', 'partner.first_name': 'Anna', 'partner.surname': 'Assob', 'partner.birth_date': '02-03-1982', 'partner.bsn': '1234.56.781' };
    expect(fields('partner_registration', v)['partner.bsn']).toBe('Dit is geen geldig BSN (11-proef).');
    const ok = { ...v, 'partner.bsn': '1234.56.782', 'partner.relationship': 'cohabiting' };
    expect(fields('partner_registration', ok)).toEqual({});
    expect(changeBody('partner_registration', ok, 'nl')).toEqual({
      type: 'partner_registration',
      effective_date: '2026-12-01',
      partner: { first_name: 'Anna', surname: 'Assob', birth_date: '1982-03-02', bsn: '123456782', relationship: 'cohabiting' },
    });
  });

  it('wants every field of a child', () => {
    expect(Object.keys(fields('child_registration', { effective_date: '01-12-2026' })).sort()).toEqual([
      'child.birth_date',
      'child.bsn',
      'child.first_name',
      'child.surname',
    ]);
  });
});

describe('address change', () => {
  it('needs the address and sends it tidied', () => {
    expect(Object.keys(fields('address_change', { effective_date: '01-12-2026', 'address.country': '' })).length).toBe(5);
    const v = { effective_date: '01-12-2026', 'address.street': 'Kade', 'address.house_number': '1a', 'address.postal_code': '3011 aa', 'address.city': 'Rotterdam', 'address.country': 'nl' };
    expect(changeBody('address_change', { ...emptyChange('address_change'), ...v }, 'nl').address).toEqual({
      street: 'Kade',
      house_number: '1a',
      postal_code: '3011 AA',
      city: 'Rotterdam',
      country: 'NL',
    });
  });
});
