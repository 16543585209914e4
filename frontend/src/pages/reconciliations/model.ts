// Pure rules of the reconciliation screens: who may change or read what
// (from /me; the API decides again), the problems of a hand-in grouped by
// the employee or sick report they name, and the employment edits of seed
// 002 §10 and §17 (end an employment, re-hire with a new main employment).
import type { Employment, Me, Reconciliation, ReconciliationEmployee } from '../../api/types';
import type { ProblemFieldError } from '../../api/client';

/**
 * Employer HR and administrators fill in an open reconciliation (finance and
 * hr_read only read it); an adviser's office only where the employer gave a
 * read_write mandate for the scheme (readWriteSchemes, from GET /mandates).
 */
export function mayEditReconciliation(me: Me, rec: Pick<Reconciliation, 'status' | 'scheme_id'>, readWriteSchemes: readonly string[] = []): boolean {
  if (rec.status !== 'open') return false;
  if (me.organisation.kind === 'intermediary') return readWriteSchemes.includes(rec.scheme_id);
  if (me.organisation.kind !== 'employer') return false;
  return me.rights.includes('hr') || me.rights.includes('user_management');
}

/** The employees and sick reports are personal data: not for finance alone. */
export function mayReadEmployees(me: Me): boolean {
  if (me.organisation.kind === 'insurer') return me.rights.includes('staff');
  if (me.organisation.kind === 'intermediary') return true;
  return ['hr', 'hr_read', 'user_management'].some((r) => me.rights.includes(r));
}

/** Finance and administrators see the specification documents (financial documents, DESIGN.md §4.2). */
export function maySeeSpecification(me: Me): boolean {
  if (me.organisation.kind === 'insurer') return me.rights.includes('staff');
  return me.organisation.kind === 'employer' && (me.rights.includes('finance') || me.rights.includes('user_management'));
}

export function isStaffUser(me: Me): boolean {
  return me.organisation.kind === 'insurer' && me.rights.includes('staff');
}

export interface LinkedProblem {
  /** 'employee' or 'sick_report' when the pointer names one, 'evidence' for an evidence kind, else 'general'. */
  target: 'employee' | 'sick_report' | 'evidence' | 'general';
  id: string | null;
  /** The rest of the pointer, e.g. "employments/0/end_date". */
  path: string;
  code: string;
  message: string;
}

/** Splits "/employees/{id}/employments/0/end_date" into what it points at. */
export function linkProblem(e: ProblemFieldError): LinkedProblem {
  const parts = (e.field ?? '').split('/').filter(Boolean);
  const base = { code: e.code ?? '', message: e.message ?? e.code ?? '' };
  if (parts[0] === 'employees' && parts[1]) return { ...base, target: 'employee', id: parts[1], path: parts.slice(2).join('/') };
  if (parts[0] === 'sick_reports' && parts[1]) return { ...base, target: 'sick_report', id: parts[1], path: parts.slice(2).join('/') };
  if (parts[0] === 'evidence' && parts[1]) return { ...base, target: 'evidence', id: parts[1], path: parts.slice(2).join('/') };
  return { ...base, target: 'general', id: null, path: parts.join('/') };
}

/** The step in which a problem is put right. */
export function stepOfProblem(p: LinkedProblem): Step {
  if (p.target === 'sick_report') return 'sick';
  if (p.target === 'evidence') return 'evidence';
  if (p.target === 'employee') return p.path.startsWith('insured_wage') ? 'wages' : 'employees';
  return 'check';
}

export const STEPS = ['employees', 'wages', 'sick', 'evidence', 'check'] as const;
export type Step = (typeof STEPS)[number];

/** The employment without an end date, if any (the current one). */
export function openEmployment(emps: readonly Employment[]): number {
  for (let i = emps.length - 1; i >= 0; i--) if (!emps[i]!.end_date) return i;
  return -1;
}

/** Seed 002 §10: the open employment ends on endDate (the last day employed). */
export function endEmployment(emps: readonly Employment[], endDate: string): Employment[] {
  const i = openEmployment(emps);
  if (i < 0) return [...emps];
  return emps.map((e, k) => (k === i ? { ...e, end_date: endDate } : e));
}

/** Seed 002 §17: a re-hire is a new main employment on the same employee, never a new employee. */
export function rehire(emps: readonly Employment[], startDate: string, endDate: string | null, fixedTerm: boolean): Employment[] {
  return [...emps, { start_date: startDate, end_date: endDate, fixed_term: fixedTerm }];
}

/** Whether the employee is in service on the last day of the year. */
export function inServiceAtYearEnd(e: Pick<ReconciliationEmployee, 'employments'>, year: number): boolean {
  const last = `${year}-12-31`;
  return e.employments.some((x) => x.start_date <= last && (!x.end_date || x.end_date >= last));
}

/** Sorted by surname, then initials (the list the employer recognises). */
export function byName(a: ReconciliationEmployee, b: ReconciliationEmployee): number {
  return a.surname.localeCompare(b.surname, 'nl') || a.initials.localeCompare(b.initials, 'nl');
}
