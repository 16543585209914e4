// State of a simple form: values that are never cleared on an error, errors
// per field and for the alert, a busy flag against double submits, and focus
// on the first problem.
import { useRef, useState } from 'preact/hooks';
import { focusInvalid } from '../components/Field';
import { hasErrors, NO_ERRORS, problemToFormErrors, runChecks, type Check, type FormErrors } from './errors';

export function useForm<V extends Record<string, string>>(initial: V, aliases: Record<string, string> = {}) {
  const [values, setValues] = useState<V>(initial);
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [busy, setBusy] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);
  const fieldNames = Object.keys(initial);

  const showErrors = (e: FormErrors) => {
    setErrors(e);
    setTimeout(() => focusInvalid(formRef.current));
  };

  const set = (name: keyof V & string) => (value: string) => {
    setValues((v) => ({ ...v, [name]: value }));
    setErrors((e) => {
      if (!(name in e.fields)) return e;
      const fields = { ...e.fields };
      delete fields[name];
      return { ...e, fields };
    });
  };

  const field = (name: keyof V & string) => ({
    name,
    value: values[name],
    onValue: set(name),
    error: errors.fields[name],
  });

  /** onSubmit handler: client checks first, then the API call; errors map to fields. */
  const submit = (checks: (v: V) => Check[], work: (v: V) => Promise<void>) => async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    const c = runChecks(checks(values));
    if (hasErrors(c)) return showErrors(c);
    setBusy(true);
    setErrors(NO_ERRORS);
    try {
      await work(values);
    } catch (err) {
      showErrors(problemToFormErrors(err, fieldNames, aliases));
    } finally {
      setBusy(false);
    }
  };

  const reset = (v: V = initial) => {
    setValues(v);
    setErrors(NO_ERRORS);
  };

  return { values, setValues, errors, setErrors: showErrors, busy, formRef, field, submit, reset };
}
