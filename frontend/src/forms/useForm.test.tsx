// The form-state hook in a small form: client checks stop the request and
// focus the first problem, API problems land next to their field (or in the
// alert), a second submit while busy is ignored, editing a value clears its
// error (or the error of the field it belongs to), and a page may take over
// a failure or reword it.
import { render } from 'preact';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ApiError } from '../api/client';
import { t } from '../i18n';
import type { FormErrors } from './errors';
import { focusFirstProblem, useForm, type RunOptions } from './useForm';

interface Values {
  name: string;
  scope: 'all' | 'some';
  scheme_ids: string[];
}

let container: HTMLElement;
let form: ReturnType<typeof useForm<Values>>;

function Harness({ work, opts = {} }: { work: (v: Values) => Promise<void>; opts?: Omit<RunOptions<Values>, 'checks'> }) {
  form = useForm<Values>({ name: '', scope: 'all', scheme_ids: [] }, { fields: ['name', 'scheme_ids'], aliases: { scope: 'scheme_ids' } });
  const nameField = form.field('name');
  return (
    <form ref={form.formRef} noValidate onSubmit={form.submit((v) => [['name', v.name.trim() === '', 'Vul dit in.']], work, opts)}>
      <div role="alert" class={form.errors.general.length ? 'alert alert-error' : 'alert-empty'}>
        {form.errors.general.join(' | ')}
      </div>
      <input
        data-field="name"
        value={nameField.value}
        onInput={(e) => nameField.onValue(e.currentTarget.value)}
        aria-invalid={nameField.error ? 'true' : undefined}
      />
      <p data-error="name">{nameField.error ?? ''}</p>
      {form.errors.fields.scheme_ids && <p class="field-error group-error">{form.errors.fields.scheme_ids}</p>}
      <button type="submit" aria-busy={form.busy ? 'true' : undefined}>
        Opslaan
      </button>
    </form>
  );
}

const settle = () => new Promise((r) => setTimeout(r, 0));
const q = <T extends Element>(sel: string) => container.querySelector<T>(sel)!;
const alertText = () => q('[role="alert"]').textContent ?? '';
const submit = async () => {
  q<HTMLFormElement>('form').dispatchEvent(new Event('submit', { cancelable: true }));
  await settle();
};

function problem(status: number, errors: { field: string; message: string }[], detail?: string): ApiError {
  return new ApiError(status, { type: 'about:blank', title: 'Ongeldige invoer', status, detail, errors } as never);
}

/** A request that waits until the test lets it finish. */
function pending() {
  let finish!: () => void;
  let fail!: (e: unknown) => void;
  const calls: Values[] = [];
  const work = (v: Values) => {
    calls.push(v);
    return new Promise<void>((res, rej) => {
      finish = res;
      fail = rej;
    });
  };
  return { work, calls, finish: () => finish(), fail: (e: unknown) => fail(e) };
}

async function mount(work: (v: Values) => Promise<void>, opts: Omit<RunOptions<Values>, 'checks'> = {}) {
  render(<Harness work={work} opts={opts} />, container);
  await settle();
}

async function type(value: string) {
  form.set('name')(value);
  await settle();
}

beforeEach(() => {
  container = document.createElement('div');
  document.body.appendChild(container);
});

afterEach(() => {
  render(null, container);
  container.remove();
});

describe('useForm', () => {
  it('shows a failed client check next to the field, focuses it and sends nothing', async () => {
    const req = pending();
    await mount(req.work);
    await submit();
    await settle();
    expect(req.calls).toHaveLength(0);
    expect(q('[data-error="name"]').textContent).toBe('Vul dit in.');
    expect(document.activeElement).toBe(q('[data-field="name"]'));
    expect(form.busy).toBe(false);
  });

  it('is busy while the request runs and ignores a second submit', async () => {
    const req = pending();
    await mount(req.work);
    await type('Kantoor');
    await submit();
    expect(form.busy).toBe(true);
    expect(q('button').getAttribute('aria-busy')).toBe('true');
    await submit();
    expect(req.calls).toEqual([{ name: 'Kantoor', scope: 'all', scheme_ids: [] }]);
    req.finish();
    await settle();
    expect(form.busy).toBe(false);
    await submit();
    expect(req.calls).toHaveLength(2);
  });

  it('puts API errors next to their field (aliases too), the rest in the alert, and keeps the values', async () => {
    const req = pending();
    await mount(req.work);
    await type('Kantoor');
    await submit();
    req.fail(
      problem(422, [
        { field: '/name', message: 'Deze naam bestaat al.' },
        { field: '/scope', message: 'Kies een regeling.' },
        { field: '/other', message: 'Iets anders.' },
      ]),
    );
    await settle();
    await settle();
    expect(q('[data-error="name"]').textContent).toBe('Deze naam bestaat al.');
    expect(q('.group-error').textContent).toBe('Kies een regeling.');
    expect(alertText()).toBe('Ongeldige invoer | Iets anders.');
    expect(form.values.name).toBe('Kantoor');
    expect(document.activeElement).toBe(q('[data-field="name"]'));
  });

  it('clears a field error when its value changes, also through another value that belongs to it', async () => {
    const req = pending();
    await mount(req.work);
    await type('Kantoor');
    await submit();
    req.fail(problem(422, [{ field: '/name', message: 'Fout.' }, { field: '/scheme_ids', message: 'Kies er een.' }]));
    await settle();
    form.set('scope', 'scheme_ids')('some');
    await settle();
    expect(form.errors.fields).toEqual({ name: 'Fout.' });
    await type('Kantoor B');
    expect(form.errors.fields).toEqual({});
  });

  it('maps a failure only onto the fields a request names', async () => {
    const req = pending();
    await mount(req.work, { fields: ['scheme_ids'] });
    await type('Kantoor');
    await submit();
    req.fail(problem(422, [{ field: '/name', message: 'Deze naam bestaat al.' }], 'Controleer de invoer.'));
    await settle();
    await settle();
    expect(form.errors.fields).toEqual({});
    expect(alertText()).toBe('Controleer de invoer. | Deze naam bestaat al.');
  });

  it('lets the page reword a failure, or take it over so that nothing is shown', async () => {
    let answer: FormErrors | null | undefined;
    const seen: unknown[] = [];
    const req = pending();
    await mount(req.work, {
      onError: (err, mapped) => {
        seen.push(err);
        return answer === undefined ? undefined : answer && { ...mapped, general: [...answer.general, ...mapped.general] };
      },
    });
    await type('Kantoor');

    answer = { fields: {}, general: ['Iemand anders wijzigde dit intussen.'] };
    await submit();
    req.fail(problem(412, [], 'Verouderd.'));
    await settle();
    await settle();
    expect(alertText()).toBe('Iemand anders wijzigde dit intussen. | Verouderd.');

    answer = null;
    await submit();
    req.fail(problem(401, [], 'Verlopen.'));
    await settle();
    await settle();
    expect(form.errors.general).toEqual([]);
    expect(form.busy).toBe(false);
    expect(seen).toHaveLength(2);
  });

  it('run() without a form and showProblem() show a problem in the alert', async () => {
    await mount(async () => undefined);
    await form.run(async () => {
      throw new TypeError('boom');
    });
    await settle();
    expect(form.errors.general).toEqual([t('error.unexpected')]);
    form.showProblem(problem(400, [{ field: '/name', message: 'Te lang.' }]), []);
    await settle();
    expect(form.errors.fields).toEqual({});
    expect(alertText()).toBe('Ongeldige invoer | Te lang.');
    form.clearErrors();
    await settle();
    expect(alertText()).toBe('');
  });

  it('reset() takes new values or an update of the old ones and drops the errors', async () => {
    await mount(async () => undefined);
    await submit();
    expect(form.errors.fields.name).toBe('Vul dit in.');
    form.reset((v) => ({ ...v, name: 'Nieuw' }));
    await settle();
    expect(form.values).toEqual({ name: 'Nieuw', scope: 'all', scheme_ids: [] });
    expect(form.errors.fields).toEqual({});
    form.reset();
    await settle();
    expect(form.values.name).toBe('');
  });
});

describe('focusFirstProblem', () => {
  it('focuses the first invalid field or group error, else the error alert, else nothing', () => {
    const root = document.createElement('form');
    document.body.appendChild(root);
    root.innerHTML = '<div class="alert alert-error">x</div><p class="field-error group-error">Kies er een.</p><input aria-invalid="true">';
    focusFirstProblem(root);
    expect(document.activeElement).toBe(root.querySelector('.group-error'));
    expect(root.querySelector<HTMLElement>('.group-error')!.tabIndex).toBe(-1);

    root.innerHTML = '<input><div class="alert alert-error">x</div>';
    focusFirstProblem(root);
    expect(document.activeElement).toBe(root.querySelector('.alert-error'));

    root.innerHTML = '<input>';
    (document.activeElement as HTMLElement | null)?.blur();
    focusFirstProblem(root);
    expect(document.activeElement).toBe(document.body);
    focusFirstProblem(null);
    root.remove();
  });
});
