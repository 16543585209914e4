import { describe, expect, it } from 'vitest';
import { formatDate, formatDateTime, formatDecimal, formatMoney, formatPercent, groupSecret } from './format';

describe('formatMoney', () => {
  it('formats the seed example in Dutch and English', () => {
    expect(formatMoney('52242.28', 'nl')).toBe('€ 52.242,28');
    expect(formatMoney('52242.28', 'en')).toBe('€52,242.28');
  });

  it('pads to two decimals and handles whole amounts', () => {
    expect(formatMoney('1000', 'nl')).toBe('€ 1.000,00');
    expect(formatMoney('12.5', 'en')).toBe('€12.50');
    expect(formatMoney('999', 'nl')).toBe('€ 999,00');
  });

  it('formats zero, and never shows a negative zero', () => {
    expect(formatMoney('0', 'nl')).toBe('€ 0,00');
    expect(formatMoney('0.00', 'en')).toBe('€0.00');
    expect(formatMoney('-0.00', 'nl')).toBe('€ 0,00');
    expect(formatMoney('-0.001', 'en')).toBe('€0.00');
  });

  it('puts the minus where each language expects it', () => {
    expect(formatMoney('-52242.28', 'nl')).toBe('€ -52.242,28');
    expect(formatMoney('-52242.28', 'en')).toBe('-€52,242.28');
    expect(formatMoney('-0.5', 'nl')).toBe('€ -0,50');
  });

  it('formats the largest numeric(14,2) amount exactly (no floating point)', () => {
    expect(formatMoney('999999999999.99', 'nl')).toBe('€ 999.999.999.999,99');
    expect(formatMoney('999999999999.99', 'en')).toBe('€999,999,999,999.99');
    // 0.1 + 0.2 style drift would show here with floats
    expect(formatMoney('90071992547409.93', 'en')).toBe('€90,071,992,547,409.93');
  });

  it('rounds extra decimals half away from zero, carrying into the euros', () => {
    expect(formatMoney('1.005', 'en')).toBe('€1.01');
    expect(formatMoney('1.004', 'en')).toBe('€1.00');
    expect(formatMoney('999.995', 'nl')).toBe('€ 1.000,00');
    expect(formatMoney('-2.675', 'en')).toBe('-€2.68');
  });

  it('strips leading zeros and accepts a plus sign', () => {
    expect(formatMoney('007.10', 'nl')).toBe('€ 7,10');
    expect(formatMoney('+5', 'en')).toBe('€5.00');
  });

  it('returns unreadable input as given instead of inventing a number', () => {
    expect(formatMoney('abc', 'nl')).toBe('abc');
    expect(formatMoney('', 'en')).toBe('');
    expect(formatMoney('1,000.00', 'en')).toBe('1,000.00');
    expect(formatMoney('1e5', 'nl')).toBe('1e5');
  });
});

describe('formatPercent', () => {
  it('shows three decimals with the language’s decimal mark', () => {
    expect(formatPercent('100.000', 'nl')).toBe('100,000%');
    expect(formatPercent('100.000', 'en')).toBe('100.000%');
    expect(formatPercent('62.5', 'nl')).toBe('62,500%');
    expect(formatPercent('0', 'en')).toBe('0.000%');
  });

  it('handles negative values and other precisions', () => {
    expect(formatPercent('-12.5', 'nl')).toBe('-12,500%');
    expect(formatPercent('35', 'en', 2)).toBe('35.00%');
    expect(formatPercent('1234.5', 'nl', 1)).toBe('1.234,5%');
  });
});

describe('formatDecimal', () => {
  it('groups thousands per language', () => {
    expect(formatDecimal('1234567.891', 3, 'nl')).toBe('1.234.567,891');
    expect(formatDecimal('1234567.891', 3, 'en')).toBe('1,234,567.891');
    expect(formatDecimal('1234567', 0, 'nl')).toBe('1.234.567');
  });
});

describe('formatDate', () => {
  it('shows dd-mm-jjjj in Dutch and dd/mm/yyyy in English', () => {
    expect(formatDate('2019-08-01', 'nl')).toBe('01-08-2019');
    expect(formatDate('2019-08-01', 'en')).toBe('01/08/2019');
    expect(formatDate('2023-12-31', 'nl')).toBe('31-12-2023');
  });

  it('does not depend on the browser’s locale or time zone', () => {
    // A date-only value must never shift a day (as new Date('2019-08-01') can west of UTC).
    expect(formatDate('2024-01-01', 'en')).toBe('01/01/2024');
  });

  it('leaves other strings alone', () => {
    expect(formatDate('01-08-2019', 'nl')).toBe('01-08-2019');
    expect(formatDate('', 'nl')).toBe('');
  });
});

describe('formatDateTime', () => {
  it('shows a UTC timestamp in Amsterdam time, summer and winter', () => {
    expect(formatDateTime('2023-10-10T08:05:00Z', 'nl')).toBe('10-10-2023 10:05');
    expect(formatDateTime('2023-12-31T23:30:00Z', 'en')).toBe('01/01/2024 00:30');
  });

  it('returns unreadable input unchanged', () => {
    expect(formatDateTime('yesterday', 'nl')).toBe('yesterday');
  });
});

describe('groupSecret', () => {
  it('groups a TOTP secret in blocks of four for reading', () => {
    expect(groupSecret('JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP')).toBe('JBSW Y3DP EHPK 3PXP JBSW Y3DP EHPK 3PXP');
    expect(groupSecret('ABCDEF')).toBe('ABCD EF');
    expect(groupSecret('AB CD EF')).toBe('ABCD EF');
  });
});
