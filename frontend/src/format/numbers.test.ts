import { describe, expect, it } from 'vitest';
import { compareDecimal, isValidBsn, parseMoneyInput, parsePercentInput } from './numbers';

describe('parseMoneyInput', () => {
  it('reads Dutch amounts', () => {
    expect(parseMoneyInput('52.242,28', 'nl')).toBe('52242.28');
    expect(parseMoneyInput('€ 52.242,28', 'nl')).toBe('52242.28');
    expect(parseMoneyInput('52242,5', 'nl')).toBe('52242.50');
    expect(parseMoneyInput('52242', 'nl')).toBe('52242.00');
    expect(parseMoneyInput('1.500', 'nl')).toBe('1500.00');
    expect(parseMoneyInput('1500.50', 'nl')).toBe('1500.50');
  });

  it('reads English amounts', () => {
    expect(parseMoneyInput('52,242.28', 'en')).toBe('52242.28');
    expect(parseMoneyInput('€52,242.28', 'en')).toBe('52242.28');
    expect(parseMoneyInput('1,500', 'en')).toBe('1500.00');
    expect(parseMoneyInput('1500,50', 'en')).toBe('1500.50');
  });

  it('refuses what it cannot read for sure', () => {
    expect(parseMoneyInput('52.24,28', 'nl')).toBeNull();
    expect(parseMoneyInput('1,2,3', 'nl')).toBeNull();
    expect(parseMoneyInput('12,345', 'nl')).toBeNull();
    expect(parseMoneyInput('1234.567', 'nl')).toBeNull();
    expect(parseMoneyInput('-5', 'nl')).toBeNull();
    expect(parseMoneyInput('abc', 'en')).toBeNull();
    expect(parseMoneyInput('', 'en')).toBeNull();
    expect(parseMoneyInput('1000000000000', 'nl')).toBeNull();
    expect(parseMoneyInput('999.999.999.999,99', 'nl')).toBe('999999999999.99');
  });
});

describe('parsePercentInput', () => {
  it('reads part-time percentages up to 100 with three decimals', () => {
    expect(parsePercentInput('80', 'nl')).toBe('80.000');
    expect(parsePercentInput('80,5', 'nl')).toBe('80.500');
    expect(parsePercentInput('62,125 %', 'nl')).toBe('62.125');
    expect(parsePercentInput('80.5', 'en')).toBe('80.500');
    expect(parsePercentInput('100', 'en')).toBe('100.000');
    expect(parsePercentInput('100,001', 'nl')).toBeNull();
    expect(parsePercentInput('12,3456', 'nl')).toBeNull();
  });
});

describe('compareDecimal', () => {
  it('compares without floating point', () => {
    expect(compareDecimal('52242.28', '52242.3')).toBe(-1);
    expect(compareDecimal('100.000', '100')).toBe(0);
    expect(compareDecimal('999999999999.99', '1000000000000.00')).toBe(-1);
  });
});

describe('isValidBsn', () => {
  it('applies the 11-proef', () => {
    expect(isValidBsn('123456782')).toBe(true);
    expect(isValidBsn('1234.56.782')).toBe(true);
    expect(isValidBsn('123456781')).toBe(false);
    expect(isValidBsn('12345678')).toBe(false);
    expect(isValidBsn('000000000')).toBe(false);
  });
});
