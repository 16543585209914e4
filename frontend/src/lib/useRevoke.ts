// Revoking something from a list after a confirmation: which item is being
// asked about, the request while it runs, and its errors for the dialog.
import { useState } from 'preact/hooks';
import { problemToFormErrors } from '../forms/errors';

export interface Revoking<T> {
  /** The item the confirmation dialog asks about, or null (closed). */
  item: T | null;
  busy: boolean;
  errors: string[];
  ask: (item: T) => void;
  confirm: () => Promise<void>;
  cancel: () => void;
}

/** `revoke` sends the request; `done` runs after it succeeded (flash, reload). */
export function useRevoke<T>(revoke: (item: T) => Promise<unknown>, done: (item: T) => void): Revoking<T> {
  const [item, setItem] = useState<T | null>(null);
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<string[]>([]);
  const confirm = async () => {
    if (item === null) return;
    setBusy(true);
    setErrors([]);
    try {
      await revoke(item);
      setItem(null);
      done(item);
    } catch (e) {
      setErrors(problemToFormErrors(e).general);
    } finally {
      setBusy(false);
    }
  };
  const cancel = () => {
    setItem(null);
    setErrors([]);
  };
  return { item, busy, errors, ask: setItem, confirm, cancel };
}
