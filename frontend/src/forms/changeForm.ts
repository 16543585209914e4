// The participant change forms (salary/part-time, termination, address,
// partner, child): client checks and the request body, as pure functions.
import type { ChangeType } from '../api/types';
import { addMonths, parseDateInput } from '../format/dates';
import { cleanBsn, isValidBsn, parseMoneyInput, parsePercentInput } from '../format/numbers';
import type { Lang } from '../format/format';
import { fmt, t } from '../i18n';
import type { Check } from './errors';

export type ChangeKind = Exclude<ChangeType, 'registration'>;

export type ChangeValues = Record<string, string>;

export const CHANGE_FIELDS: Record<ChangeKind, string[]> = {
  salary_change: ['effective_date', 'salary', 'parttime_percentage'],
  termination: ['effective_date'],
  address_change: ['effective_date', 'address.street', 'address.house_number', 'address.postal_code', 'address.city', 'address.country'],
  partner_registration: ['effective_date', 'partner.first_name', 'partner.surname', 'partner.birth_date', 'partner.bsn', 'partner.relationship'],
  child_registration: ['effective_date', 'child.first_name', 'child.surname', 'child.birth_date', 'child.bsn'],
};

export function emptyChange(kind: ChangeKind): ChangeValues {
  const v: ChangeValues = {};
  for (const f of CHANGE_FIELDS[kind]) v[f] = f.endsWith('.country') ? 'NL' : f.endsWith('.relationship') ? 'married' : '';
  return v;
}

export interface ChangeWindow {
  /** The employment's start: no change before it. */
  from: string;
  /** Today + three calendar months, the day clamped (DESIGN.md §4.3). */
  until: string;
}

export function changeWindow(employmentStart: string, today: string): ChangeWindow {
  return { from: employmentStart, until: addMonths(today, 3) };
}

const req = (v: string | undefined) => !v || v.trim() === '';

export function changeChecks(kind: ChangeKind, v: ChangeValues, lang: Lang, window: ChangeWindow): Check[] {
  const date = parseDateInput(v.effective_date ?? '');
  const checks: Check[] = [
    ['effective_date', date === null, t('validation.date')],
    ['effective_date', date !== null && date > window.until, t('change.tooLate', { date: fmt.date(window.until) })],
    ['effective_date', date !== null && date < window.from, t('change.beforeStart', { date: fmt.date(window.from) })],
  ];
  if (kind === 'salary_change') {
    const none = req(v.salary) && req(v.parttime_percentage);
    checks.push(
      ['salary', none, t('change.salaryOrParttime')],
      ['salary', !req(v.salary) && parseMoneyInput(v.salary!, lang) === null, t('validation.money')],
      ['parttime_percentage', !req(v.parttime_percentage) && parsePercentInput(v.parttime_percentage!, lang) === null, t('validation.percent')],
    );
  }
  if (kind === 'address_change') {
    for (const f of ['address.street', 'address.house_number', 'address.postal_code', 'address.city']) checks.push([f, req(v[f]), t('validation.required')]);
    checks.push(['address.country', !/^[A-Za-z]{2}$/.test((v['address.country'] ?? '').trim()), t('validation.country')]);
  }
  for (const who of ['partner', 'child'] as const) {
    if (kind !== `${who}_registration`) continue;
    checks.push(
      [`${who}.first_name`, req(v[`${who}.first_name`]), t('validation.required')],
      [`${who}.surname`, req(v[`${who}.surname`]), t('validation.required')],
      [`${who}.birth_date`, parseDateInput(v[`${who}.birth_date`] ?? '') === null, t('validation.date')],
      [`${who}.bsn`, !isValidBsn(v[`${who}.bsn`] ?? ''), t('validation.bsn')],
    );
  }
  return checks;
}

/** The POST /participants/{id}/changes body (call after the checks pass). */
export function changeBody(kind: ChangeKind, v: ChangeValues, lang: Lang): Record<string, unknown> {
  const body: Record<string, unknown> = { type: kind, effective_date: parseDateInput(v.effective_date ?? '') };
  if (kind === 'salary_change') {
    if (!req(v.salary)) body.salary = parseMoneyInput(v.salary!, lang);
    if (!req(v.parttime_percentage)) body.parttime_percentage = parsePercentInput(v.parttime_percentage!, lang);
  }
  if (kind === 'address_change') {
    body.address = {
      street: v['address.street']!.trim(),
      house_number: v['address.house_number']!.trim(),
      postal_code: v['address.postal_code']!.trim().toUpperCase(),
      city: v['address.city']!.trim(),
      country: v['address.country']!.trim().toUpperCase(),
    };
  }
  for (const who of ['partner', 'child'] as const) {
    if (kind !== `${who}_registration`) continue;
    const p: Record<string, unknown> = {
      first_name: v[`${who}.first_name`]!.trim(),
      surname: v[`${who}.surname`]!.trim(),
      birth_date: parseDateInput(v[`${who}.birth_date`]!),
      bsn: cleanBsn(v[`${who}.bsn`]!),
    };
    if (who === 'partner') p.relationship = v['partner.relationship'];
    body[who] = p;
  }
  return body;
}
