// Form fields with a real <label>, an optional hint and the error next to the
// field (aria-describedby, aria-invalid).
import type { ComponentChildren, JSX } from 'preact';
import { useId } from 'preact/hooks';

type InputProps = Omit<JSX.InputHTMLAttributes<HTMLInputElement>, 'value' | 'onInput' | 'label' | 'name' | 'id'>;

export interface TextFieldProps extends InputProps {
  name: string;
  label: string;
  value: string;
  onValue: (value: string) => void;
  error?: string | undefined;
  hint?: ComponentChildren;
  after?: ComponentChildren;
}

export function TextField({ name, label, value, onValue, error, hint, after, type = 'text', class: cls, ...rest }: TextFieldProps) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  const errId = error ? `${id}-err` : undefined;
  const describedBy = [hintId, errId].filter(Boolean).join(' ') || undefined;
  return (
    <div class={`field${error ? ' field-invalid' : ''}`}>
      <label for={id}>{label}</label>
      {hint && (
        <p id={hintId} class="hint">
          {hint}
        </p>
      )}
      <input
        id={id}
        name={name}
        type={type}
        value={value}
        onInput={(e) => onValue(e.currentTarget.value)}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={describedBy}
        data-field={name}
        class={cls as string | undefined}
        {...rest}
      />
      {error && (
        <p id={errId} class="field-error">
          {error}
        </p>
      )}
      {after}
    </div>
  );
}

export function CheckboxField({
  name,
  label,
  checked,
  onChange,
  error,
}: {
  name: string;
  label: ComponentChildren;
  checked: boolean;
  onChange: (checked: boolean) => void;
  error?: string | undefined;
}) {
  const id = useId();
  const errId = error ? `${id}-err` : undefined;
  return (
    <div class={`field field-check${error ? ' field-invalid' : ''}`}>
      <input
        id={id}
        name={name}
        type="checkbox"
        checked={checked}
        onChange={(e) => onChange(e.currentTarget.checked)}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={errId}
        data-field={name}
      />
      <label for={id}>{label}</label>
      {error && (
        <p id={errId} class="field-error">
          {error}
        </p>
      )}
    </div>
  );
}

export function RadioGroup<V extends string>({
  name,
  legend,
  value,
  options,
  onValue,
  error,
}: {
  name: string;
  legend: string;
  value: V;
  options: { value: V; label: string }[];
  onValue: (v: V) => void;
  error?: string | undefined;
}) {
  const id = useId();
  return (
    <fieldset class={`field radio-group${error ? ' field-invalid' : ''}`} aria-describedby={error ? `${id}-err` : undefined}>
      <legend>{legend}</legend>
      {options.map((o) => (
        <div class="radio" key={o.value}>
          <input
            id={`${id}-${o.value}`}
            type="radio"
            name={`${name}-${id}`}
            value={o.value}
            checked={value === o.value}
            onChange={() => onValue(o.value)}
            data-field={name}
          />
          <label for={`${id}-${o.value}`}>{o.label}</label>
        </div>
      ))}
      {error && (
        <p id={`${id}-err`} class="field-error">
          {error}
        </p>
      )}
    </fieldset>
  );
}

/** Moves focus to the first field marked invalid, else to a shown error alert. */
export function focusInvalid(root: HTMLElement | null): void {
  if (!root) return;
  const target =
    root.querySelector<HTMLElement>('[aria-invalid="true"]') ?? root.querySelector<HTMLElement>('.alert-error');
  if (!target) return;
  if (!target.matches('input, select, textarea, button')) target.tabIndex = -1;
  target.focus();
}

export function SubmitButton({ busy, children, busyLabel }: { busy: boolean; children: ComponentChildren; busyLabel: string }) {
  return (
    // Not `disabled`: that would drop keyboard focus. Forms ignore submits while busy.
    <button type="submit" class="btn btn-primary" aria-disabled={busy ? 'true' : undefined} aria-busy={busy ? 'true' : undefined}>
      {busy ? busyLabel : children}
    </button>
  );
}

export function SelectField<V extends string>({
  name,
  label,
  value,
  options,
  onValue,
  error,
  hint,
}: {
  name: string;
  label: string;
  value: V;
  options: { value: V; label: string }[];
  onValue: (v: V) => void;
  error?: string | undefined;
  hint?: ComponentChildren;
}) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  const errId = error ? `${id}-err` : undefined;
  return (
    <div class={`field${error ? ' field-invalid' : ''}`}>
      <label for={id}>{label}</label>
      {hint && (
        <p id={hintId} class="hint">
          {hint}
        </p>
      )}
      <select
        id={id}
        name={name}
        value={value}
        onChange={(e) => onValue(e.currentTarget.value as V)}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={[hintId, errId].filter(Boolean).join(' ') || undefined}
        data-field={name}
      >
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      {error && (
        <p id={errId} class="field-error">
          {error}
        </p>
      )}
    </div>
  );
}

export function TextAreaField({
  name,
  label,
  value,
  onValue,
  error,
  hint,
  rows = 3,
}: {
  name: string;
  label: string;
  value: string;
  onValue: (v: string) => void;
  error?: string | undefined;
  hint?: ComponentChildren;
  rows?: number;
}) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  const errId = error ? `${id}-err` : undefined;
  return (
    <div class={`field${error ? ' field-invalid' : ''}`}>
      <label for={id}>{label}</label>
      {hint && (
        <p id={hintId} class="hint">
          {hint}
        </p>
      )}
      <textarea
        id={id}
        name={name}
        rows={rows}
        value={value}
        onInput={(e) => onValue(e.currentTarget.value)}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={[hintId, errId].filter(Boolean).join(' ') || undefined}
        data-field={name}
      />
      {error && (
        <p id={errId} class="field-error">
          {error}
        </p>
      )}
    </div>
  );
}
