// Turns API problems and client-side checks into what a form shows: a message
// next to each field a JSON Pointer names, everything else in the alert region.
import { ApiError } from '../api/client';
import { formatWait, t } from '../i18n';

export interface FormErrors {
  /** Form field name (dotted path, e.g. "postal_address.street") → message. */
  fields: Record<string, string>;
  /** Messages for the alert region. */
  general: string[];
}

export const NO_ERRORS: FormErrors = Object.freeze({ fields: {}, general: [] }) as FormErrors;

export function hasErrors(e: FormErrors): boolean {
  return e.general.length > 0 || Object.keys(e.fields).length > 0;
}

/** "/postal_address/postal_code" → "postal_address.postal_code" (RFC 6901 unescaping). */
export function pointerToPath(pointer: string | undefined | null): string | null {
  if (!pointer) return null;
  const raw = pointer.startsWith('/') ? pointer.slice(1) : pointer;
  if (!raw) return null;
  return raw
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .join('.');
}

/** The form field a pointer belongs to: itself, or its nearest ancestor that is a field. */
export function fieldForPointer(
  pointer: string | undefined | null,
  fieldNames: readonly string[],
  aliases: Readonly<Record<string, string>> = {},
): string | null {
  let path = pointerToPath(pointer);
  while (path) {
    const name = aliases[path] ?? path;
    if (fieldNames.includes(name)) return name;
    const dot = path.lastIndexOf('.');
    path = dot > 0 ? path.slice(0, dot) : null;
  }
  return null;
}

export function waitMessage(retryAfter: number | null): string {
  return retryAfter !== null && retryAfter > 0
    ? t('error.tooManyWait', { wait: formatWait(retryAfter) })
    : t('error.tooMany');
}

/**
 * Maps an error from an API call onto a form. `fieldNames` are the form's
 * fields; `aliases` rename API paths to them (e.g. "new_password" → "password").
 */
export function problemToFormErrors(
  error: unknown,
  fieldNames: readonly string[] = [],
  aliases: Readonly<Record<string, string>> = {},
): FormErrors {
  if (!(error instanceof ApiError)) {
    return { fields: {}, general: [t('error.unexpected')] };
  }
  if (error.status === 0) return { fields: {}, general: [t('error.network')] };

  const { problem } = error;
  const fields: Record<string, string> = {};
  const unmatched: string[] = [];
  for (const fe of problem.errors ?? []) {
    const message = fe.message || problem.detail || t('error.fieldInvalid');
    const name = fieldForPointer(fe.field, fieldNames, aliases);
    if (name) {
      fields[name] = fields[name] ? `${fields[name]} ${message}` : message;
    } else if (!unmatched.includes(message)) {
      unmatched.push(message);
    }
  }

  const general: string[] = [];
  if (error.status === 429) {
    if (problem.detail) general.push(problem.detail);
    general.push(waitMessage(error.retryAfter));
  } else {
    const summary = problem.detail || problem.title;
    if (summary) general.push(summary);
    else if (Object.keys(fields).length > 0) general.push(t('error.checkFields'));
    else if (unmatched.length === 0) general.push(t('error.generic'));
  }
  for (const m of unmatched) if (!general.includes(m)) general.push(m);
  return { fields, general };
}

// ---- client-side checks ----------------------------------------------------

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function isEmail(value: string): boolean {
  return EMAIL.test(value.trim());
}

/** A 6-digit authenticator or verification code; spaces are ignored. */
export function normaliseCode(value: string): string {
  return value.replace(/[\s-]/g, '');
}

export function isSixDigitCode(value: string): boolean {
  return /^\d{6}$/.test(normaliseCode(value));
}

export type Check = [field: string, failed: boolean, message: string];

/** The first failing check per field, in order. */
export function runChecks(checks: Check[]): FormErrors {
  const fields: Record<string, string> = {};
  for (const [field, failed, message] of checks) {
    if (failed && !(field in fields)) fields[field] = message;
  }
  return { fields, general: [] };
}
