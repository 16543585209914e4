// The checks of the user form before it goes to the API (which checks them
// again): names, e-mail, mobile, a rights selection the rules allow, a scheme
// choice, and an expiry date that is a real date, not in the past.
import { parseDateInput, todayAmsterdam } from '../format/dates';
import { activeLanguage, t } from '../i18n';
import { rightLabel, rightsProblems, type RightsCatalogue, type RightsProblem } from '../rights/rules';
import { isEmail, type Check } from './errors';

export interface UserFormValues {
  first_name: string;
  last_name: string;
  email: string;
  mobile: string;
  rights: string[];
  scope: 'all' | 'some';
  scheme_ids: string[];
  external: boolean;
  /** The expiry date as typed (dd-mm-jjjj). */
  expires: string;
}

export interface UserFormContext {
  creating: boolean;
  catalogue: RightsCatalogue;
  current: string[];
  self: boolean;
  scopeShown?: boolean;
  today?: string;
}

/** Digits with an optional leading +, spaces, dashes and brackets: 8 to 15 digits. */
export function isPhoneNumber(value: string): boolean {
  const v = value.trim();
  if (!/^\+?[0-9 ()-]+$/.test(v)) return false;
  const digits = v.replace(/\D/g, '').length;
  return digits >= 8 && digits <= 15;
}

export function rightsProblemText(cat: RightsCatalogue, p: RightsProblem): string {
  const lang = activeLanguage();
  const name = (id: string) => rightLabel(cat, id, lang);
  switch (p.kind) {
    case 'bundle':
      return t('rights.problem.bundle', { right: name(p.right), missing: p.missing.map(name).join(', ') });
    case 'requires':
      return t('rights.problem.requires', { right: name(p.right) });
    case 'notAllowed':
      return t('rights.problem.notAllowed', { right: name(p.right) });
  }
}

/** The expiry as an ISO date, or null when it is not a real date. */
export function expiryIso(v: Pick<UserFormValues, 'expires'>): string | null {
  return parseDateInput(v.expires);
}

export function userFormChecks(v: UserFormValues, ctx: UserFormContext): Check[] {
  const problems = ctx.self ? [] : rightsProblems(ctx.catalogue, v.rights, ctx.current);
  const expiry = v.external ? expiryIso(v) : null;
  const today = ctx.today ?? todayAmsterdam();
  return [
    ['first_name', v.first_name.trim() === '', t('validation.required')],
    ['last_name', v.last_name.trim() === '', t('validation.required')],
    ['email', ctx.creating && !isEmail(v.email), t('validation.email')],
    ['mobile', v.mobile.trim() !== '' && !isPhoneNumber(v.mobile), t('validation.phone')],
    ['rights', problems.length > 0, problems.length ? rightsProblemText(ctx.catalogue, problems[0]!) : ''],
    ['scheme_ids', (ctx.scopeShown ?? true) && v.scope === 'some' && v.scheme_ids.length === 0, t('scope.chooseOne')],
    ['expires_at', v.external && expiry === null, t('validation.date')],
    ['expires_at', v.external && expiry !== null && expiry < today, t('users.expiryPast')],
  ];
}
