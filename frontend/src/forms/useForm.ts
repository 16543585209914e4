// The one home of a form's state: values that are never cleared on an error,
// errors per field and for the alert, a busy flag against double submits, and
// focus on the first problem. Forms, confirmation dialogs and action buttons
// that send a request all keep that state here.
import { useRef, useState } from 'preact/hooks';
import { hasErrors, NO_ERRORS, problemToFormErrors, runChecks, type Check, type FormErrors } from './errors';

export interface FormOptions {
  /** The field names an API problem may point at; default: the keys of the initial values. */
  fields?: readonly string[];
  /** API paths renamed to field names (e.g. "new_password" → "password"). */
  aliases?: Readonly<Record<string, string>>;
}

export interface RunOptions<V> {
  /** Client checks, run before the request; failures are shown and nothing is sent. */
  checks?: (v: V) => Check[];
  /** The field names this request's problems may point at, instead of the form's. */
  fields?: readonly string[];
  /**
   * Sees a failure before it is shown, with the errors it maps to. Returns
   * null when it dealt with the failure (nothing is shown), other errors to
   * show those instead, or nothing to show the mapped errors. Must not throw.
   */
  onError?: (err: unknown, mapped: FormErrors) => FormErrors | null | void | Promise<FormErrors | null | void>;
}

/** Keys of V whose values are strings (the ones a text field can edit). */
type TextKeys<V> = { [K in keyof V]-?: V[K] extends string ? K : never }[keyof V] & string;

/** Focuses the first invalid field or group error in a form, else its error alert. */
export function focusFirstProblem(root: HTMLElement | null): void {
  if (!root) return;
  const target =
    root.querySelector<HTMLElement>('[aria-invalid="true"], .group-error') ?? root.querySelector<HTMLElement>('.alert-error');
  if (!target) return;
  if (!target.matches('input, select, textarea, button')) target.tabIndex = -1;
  target.focus();
}

function withoutField(e: FormErrors, name: string): FormErrors {
  if (!(name in e.fields)) return e;
  const fields = { ...e.fields };
  delete fields[name];
  return { ...e, fields };
}

/**
 * `initial` holds the form's values (any shape: text, lists, choices). The
 * returned `run` and `submit` never throw: a failure ends up in `errors`.
 */
export function useForm<V extends object>(initial: V, options: FormOptions = {}) {
  const [values, setValues] = useState<V>(initial);
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [busy, setBusy] = useState(false);
  // The flag read by the guard: set at once, so a second click in the same frame is ignored too.
  const running = useRef(false);
  const formRef = useRef<HTMLFormElement>(null);
  const fieldNames = options.fields ?? Object.keys(initial);

  /** Shows errors and moves focus to the first problem once they are rendered. */
  const showErrors = (e: FormErrors) => {
    setErrors(e);
    setTimeout(() => focusFirstProblem(formRef.current));
  };

  const clearErrors = () => setErrors(NO_ERRORS);

  /** Shows a failed request's problem (e.g. of a search inside the form) without running anything. */
  const showProblem = (err: unknown, fields: readonly string[] = fieldNames) =>
    showErrors(problemToFormErrors(err, fields, options.aliases));

  /** A setter for one value; changing it clears the error of `errorField` (default: the same name). */
  const set =
    <K extends keyof V & string>(name: K, errorField: string = name) =>
    (value: V[K]) => {
      setValues((v) => ({ ...v, [name]: value }));
      setErrors((e) => withoutField(e, errorField));
    };

  /** The props of a text field: name, value, onValue and its error. */
  const field = (name: TextKeys<V>) => ({
    name,
    value: values[name] as string,
    onValue: set(name) as (value: string) => void,
    error: errors.fields[name],
  });

  /** Checks, then the request while busy; a failure maps onto fields and the alert. Ignored while busy. */
  const run = async (work: (v: V) => Promise<void> | void, opts: RunOptions<V> = {}): Promise<void> => {
    if (running.current) return;
    if (opts.checks) {
      const c = runChecks(opts.checks(values));
      if (hasErrors(c)) return showErrors(c);
    }
    running.current = true;
    setBusy(true);
    setErrors(NO_ERRORS);
    try {
      await work(values);
    } catch (err) {
      const mapped = problemToFormErrors(err, opts.fields ?? fieldNames, options.aliases);
      const shown = opts.onError ? await opts.onError(err, mapped) : undefined;
      if (shown !== null) showErrors(shown ?? mapped);
    } finally {
      running.current = false;
      setBusy(false);
    }
  };

  /** onSubmit handler: client checks first, then the API call; errors map to fields. */
  const submit =
    (checks: (v: V) => Check[], work: (v: V) => Promise<void> | void, opts: Omit<RunOptions<V>, 'checks'> = {}) =>
    (e: Event) => {
      e.preventDefault();
      return run(work, { ...opts, checks });
    };

  /** New values (default: the initial ones) and no errors. */
  const reset = (v: V | ((old: V) => V) = initial) => {
    setValues(v);
    setErrors(NO_ERRORS);
  };

  return { values, setValues, set, errors, setErrors: showErrors, clearErrors, showProblem, busy, formRef, field, run, submit, reset };
}
