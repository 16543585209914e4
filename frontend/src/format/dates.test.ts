import { describe, expect, it } from 'vitest';
import { addDays, addMonths, amsterdamDate, endOfDayAmsterdam, isIsoDate, parseDateInput, startOfDayAmsterdam, todayAmsterdam } from './dates';

describe('parseDateInput', () => {
  it('reads day-month-year in both languages and ISO', () => {
    expect(parseDateInput('31-12-2026')).toBe('2026-12-31');
    expect(parseDateInput('31/12/2026')).toBe('2026-12-31');
    expect(parseDateInput(' 1.2.2026 ')).toBe('2026-02-01');
    expect(parseDateInput('2026-12-31')).toBe('2026-12-31');
  });

  it('never reads month-day-year', () => {
    expect(parseDateInput('12/31/2026')).toBeNull();
    expect(parseDateInput('02/01/2026')).toBe('2026-01-02');
  });

  it('refuses dates that do not exist and other text', () => {
    expect(parseDateInput('29-02-2026')).toBeNull();
    expect(parseDateInput('29-02-2028')).toBe('2028-02-29');
    expect(parseDateInput('32-01-2026')).toBeNull();
    expect(parseDateInput('2026-13-01')).toBeNull();
    expect(parseDateInput('morgen')).toBeNull();
    expect(parseDateInput('')).toBeNull();
    expect(isIsoDate('2026-04-31')).toBe(false);
  });
});

describe('calendar arithmetic', () => {
  it('adds months with the day clamped to the month end', () => {
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonths('2028-01-31', 1)).toBe('2028-02-29');
    expect(addMonths('2026-11-15', 3)).toBe('2027-02-15');
    expect(addMonths('2026-03-31', -1)).toBe('2026-02-28');
    expect(addMonths('2026-05-22', 12)).toBe('2027-05-22');
  });

  it('adds days across months and years', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
  });
});

describe('Europe/Amsterdam', () => {
  it('gives the Amsterdam calendar date of an instant', () => {
    expect(amsterdamDate('2026-06-30T22:30:00Z')).toBe('2026-07-01'); // CEST, +2
    expect(amsterdamDate('2026-12-31T22:59:59Z')).toBe('2026-12-31'); // CET, +1
    expect(amsterdamDate('2026-12-31T23:00:00Z')).toBe('2027-01-01');
    expect(amsterdamDate('not a time')).toBeNull();
    expect(todayAmsterdam(new Date('2026-03-01T23:30:00Z'))).toBe('2026-03-02');
  });

  it('ends a day at 23:59:59 local time, summer and winter', () => {
    expect(endOfDayAmsterdam('2026-12-31')).toBe('2026-12-31T22:59:59Z');
    expect(endOfDayAmsterdam('2026-07-15')).toBe('2026-07-15T21:59:59Z');
    expect(endOfDayAmsterdam('2026-03-29')).toBe('2026-03-29T21:59:59Z'); // the day summer time starts
    expect(endOfDayAmsterdam('2026-10-25')).toBe('2026-10-25T22:59:59Z'); // the day it ends
    expect(endOfDayAmsterdam('2026-02-30')).toBeNull();
  });

  it('starts a day at midnight local time', () => {
    expect(startOfDayAmsterdam('2026-01-10')).toBe('2026-01-09T23:00:00Z');
    expect(startOfDayAmsterdam('2026-08-10')).toBe('2026-08-09T22:00:00Z');
  });
});
