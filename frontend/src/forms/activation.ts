// The activation wizard as a pure state machine: e-mail → verification code →
// username and password → done. The API checks the code only with the final
// POST, so errors there send the user back to the step whose field is wrong,
// keeping everything typed.
import { ApiError } from '../api/client';
import type { CodeChannel } from '../api/endpoints';
import { t } from '../i18n';
import { isEmail, isSixDigitCode, NO_ERRORS, problemToFormErrors, runChecks, type FormErrors } from './errors';

export type ActivationStep = 'no_token' | 'email' | 'code' | 'credentials' | 'done' | 'link_invalid';

export interface ActivationValues {
  email: string;
  channel: CodeChannel;
  code: string;
  username: string;
  password: string;
  passwordRepeat: string;
}

export interface ActivationState {
  step: ActivationStep;
  values: ActivationValues;
  errors: FormErrors;
  busy: boolean;
  /** Set once a code was sent: where it went, for "we sent a code to …". */
  codeSentTo: string | null;
  codeResent: boolean;
}

export type ActivationAction =
  | { type: 'edit'; field: keyof ActivationValues; value: string }
  | { type: 'invalid'; errors: FormErrors }
  | { type: 'busy' }
  | { type: 'codeSent' }
  | { type: 'codeEntered' }
  | { type: 'activated' }
  | { type: 'failed'; error: unknown }
  | { type: 'back' };

const STEP_FIELDS: Record<'email' | 'code' | 'credentials', string[]> = {
  email: ['email', 'channel'],
  code: ['code'],
  credentials: ['username', 'password', 'passwordRepeat'],
};
const ALL_FIELDS = [...STEP_FIELDS.email, ...STEP_FIELDS.code, ...STEP_FIELDS.credentials];

export function initialActivation(hasToken: boolean): ActivationState {
  return {
    step: hasToken ? 'email' : 'no_token',
    values: { email: '', channel: 'email', code: '', username: '', password: '', passwordRepeat: '' },
    errors: NO_ERRORS,
    busy: false,
    codeSentTo: null,
    codeResent: false,
  };
}

/** Client-side checks of the current step; empty when the step may be submitted. */
export function validateActivationStep(state: ActivationState): FormErrors {
  const v = state.values;
  switch (state.step) {
    case 'email':
      return runChecks([
        ['email', v.email.trim() === '', t('validation.required')],
        ['email', !isEmail(v.email), t('validation.email')],
      ]);
    case 'code':
      return runChecks([['code', !isSixDigitCode(v.code), t('validation.code')]]);
    case 'credentials':
      return runChecks([
        ['username', v.username.trim() === '', t('validation.required')],
        ['password', v.password === '', t('validation.required')],
        ['passwordRepeat', v.passwordRepeat !== v.password, t('validation.passwordsDiffer')],
      ]);
    default:
      return NO_ERRORS;
  }
}

const CODE_STEP: Record<string, ActivationStep> = {
  token_invalid: 'link_invalid',
  code_invalid: 'code',
  username_taken: 'credentials',
  password_rejected: 'credentials',
};

const CODE_FIELD: Record<string, string> = {
  code_invalid: 'code',
  username_taken: 'username',
  password_rejected: 'password',
};

function stepOfField(field: string): ActivationStep | null {
  for (const step of ['email', 'code', 'credentials'] as const) {
    if (STEP_FIELDS[step].includes(field)) return step;
  }
  return null;
}

function failed(state: ActivationState, error: unknown): ActivationState {
  const errors = problemToFormErrors(error, ALL_FIELDS);
  const code = error instanceof ApiError ? error.code : undefined;

  // Make sure a known problem shows at its field even without errors[].
  const field = code ? CODE_FIELD[code] : undefined;
  if (field && !errors.fields[field]) {
    errors.fields[field] = errors.general.shift() ?? t('error.fieldInvalid');
  } else if (field && errors.general.length === 1 && errors.general[0] === (error as ApiError).problem.detail) {
    errors.general = []; // the detail already stands at the field
  }

  // Go to the earliest step that has a field to fix; else where the code says.
  let step: ActivationStep = state.step;
  const fieldSteps = Object.keys(errors.fields)
    .map(stepOfField)
    .filter((s): s is ActivationStep => s !== null);
  const order: ActivationStep[] = ['email', 'code', 'credentials'];
  if (fieldSteps.length > 0) {
    step = fieldSteps.sort((a, b) => order.indexOf(a) - order.indexOf(b))[0]!;
  } else if (code && CODE_STEP[code]) {
    step = CODE_STEP[code]!;
  }
  return { ...state, step, errors, busy: false, codeResent: false };
}

export function activationReducer(state: ActivationState, action: ActivationAction): ActivationState {
  switch (action.type) {
    case 'edit': {
      const fields = { ...state.errors.fields };
      delete fields[action.field];
      return { ...state, values: { ...state.values, [action.field]: action.value }, errors: { ...state.errors, fields } };
    }
    case 'invalid':
      return { ...state, errors: action.errors, busy: false };
    case 'busy':
      return { ...state, busy: true, errors: NO_ERRORS, codeResent: false };
    case 'codeSent':
      return {
        ...state,
        busy: false,
        step: 'code',
        codeSentTo: state.values.channel === 'sms' ? null : state.values.email.trim(),
        codeResent: state.step === 'code',
      };
    case 'codeEntered':
      return { ...state, step: 'credentials', errors: NO_ERRORS };
    case 'activated':
      return {
        ...state,
        busy: false,
        step: 'done',
        errors: NO_ERRORS,
        values: { ...state.values, code: '', password: '', passwordRepeat: '' },
      };
    case 'failed':
      return failed(state, action.error);
    case 'back': {
      const prev: Partial<Record<ActivationStep, ActivationStep>> = { code: 'email', credentials: 'code' };
      const step = prev[state.step];
      return step ? { ...state, step, errors: NO_ERRORS, busy: false, codeResent: false } : state;
    }
  }
}

export const ACTIVATION_STEPS = ['email', 'code', 'credentials'] as const;
