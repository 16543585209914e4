// Test harness of the reconciliation screens: the whole app rendered in
// jsdom against a fake API (fetch stubbed per "METHOD /path"), with small
// helpers to type, click and wait. Used by the *.test.tsx files only.
import { vi } from 'vitest';

export type Handler = (body: any, url: string, init: RequestInit) => Response | Promise<Response>;

export function json(status: number, body?: unknown, headers: Record<string, string> = {}): Response {
  return new Response(body === undefined ? null : JSON.stringify(body), {
    status,
    headers: { 'Content-Type': status >= 400 ? 'application/problem+json' : 'application/json', ...headers },
  });
}

export function me(kind: 'employer' | 'insurer', rights: string[]) {
  return {
    id: 'u1',
    username: 'ruud',
    first_name: 'Ruud',
    last_name: 'Hendriks',
    email: 'ruud@bakkerij.nl',
    mobile: null,
    language: 'nl',
    theme: 'light',
    organisation: { id: kind === 'insurer' ? 'ins' : 'o1', name: kind === 'insurer' ? 'Verzekeraar' : 'Bakkerij Van Dijk B.V.', kind },
    rights,
    scheme_ids: null,
    recovery_codes_remaining: 10,
    auth: 'session',
  };
}

export interface Logged {
  key: string;
  url: string;
  body: any;
  raw: unknown;
}

export class Harness {
  routes: Record<string, Handler> = {};
  log: Logged[] = [];
  container: HTMLElement;
  private renderFn: typeof import('preact').render | null = null;

  constructor() {
    vi.resetModules();
    localStorage.clear();
    this.container = document.createElement('div');
    document.body.appendChild(this.container);
    vi.stubGlobal('scrollTo', vi.fn());
    vi.stubGlobal(
      'fetch',
      vi.fn(async (url: string, init: RequestInit = {}) => {
        const path = url.replace('/api/v1', '');
        const key = `${init.method ?? 'GET'} ${path.split('?')[0]}`;
        const body = typeof init.body === 'string' ? JSON.parse(init.body) : undefined;
        this.log.push({ key, url: path, body, raw: init.body });
        const handler = this.routes[key];
        return handler ? handler(body, path, init) : json(404, { code: 'not_found', title: 'Niet gevonden' });
      }),
    );
    this.on('POST /auth/refresh', () => json(200, { access_token: 'A', csrf_token: 'c1' }));
  }

  on(key: string, handler: Handler) {
    this.routes[key] = handler;
  }

  async boot(path: string) {
    window.history.replaceState(null, '', path);
    const { currentPath, startRouter } = await import('../../router');
    currentPath.set(window.location.pathname);
    startRouter();
    const { startSession } = await import('../../auth/session');
    const { App } = await import('../../app');
    this.renderFn = (await import('preact')).render;
    this.renderFn(<App />, this.container);
    await startSession();
  }

  done() {
    this.renderFn?.(null, this.container);
    this.container.remove();
  }

  text = () => this.container.textContent ?? '';
  h1 = () => this.container.querySelector('h1')?.textContent ?? '';
  box = (field: string) => this.container.querySelector<HTMLInputElement>(`[data-field="${field}"]`)!;
  sent = (key: string) => this.log.filter((l) => l.key === key);

  async waitFor<T>(fn: () => T | null | undefined | false, what: string): Promise<T> {
    const start = Date.now();
    for (;;) {
      const v = fn();
      if (v) return v;
      if (Date.now() - start > 10000) throw new Error(`timed out waiting for ${what}\n${(this.container.querySelector('main') ?? this.container).innerHTML.slice(0, 4000)}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  type(field: string, value: string) {
    const input = this.box(field);
    input.value = value;
    input.dispatchEvent(new Event('input', { bubbles: true }));
  }

  typeInto(input: HTMLInputElement, value: string) {
    input.value = value;
    input.dispatchEvent(new Event('input', { bubbles: true }));
  }

  choose(field: string, value: string) {
    const select = this.container.querySelector<HTMLSelectElement>(`select[data-field="${field}"]`)!;
    select.value = value;
    select.dispatchEvent(new Event('change', { bubbles: true }));
  }

  /** The button or link whose whole text is label. */
  button(label: string): HTMLElement | undefined {
    return [...this.container.querySelectorAll<HTMLElement>('button, a')].find((b) => b.textContent?.trim() === label);
  }

  /** Lets Preact render what the last events changed. */
  settle = () => new Promise((r) => setTimeout(r, 0));

  async submitForm(selector: string) {
    await this.settle();
    this.container.querySelector<HTMLButtonElement>(`${selector} button[type=submit]`)!.click();
  }

  async click(label: string) {
    await this.settle();
    const el = await this.waitFor(() => this.button(label), `button "${label}"`);
    el.click();
  }
}

/** An open stop-loss reconciliation of 2025 as the API answers it, for the
 * screens' tests; overrides replaces single fields. */
export function reconciliationFixture(overrides: Record<string, unknown> = {}) {
  return {
    id: 'r1',
    scheme_id: 's1',
    scheme_number: 'VZ-880231',
    scheme_name: 'Verzuimverzekering',
    organisation_id: 'o1',
    organisation_name: 'Bakkerij Van Dijk B.V.',
    year: 2025,
    status: 'open',
    variant: 'stop_loss',
    policy_start: '2025-04-01',
    insured_wage_type: 'uniform_wage',
    deadline: '2026-03-31',
    premium_rate: '2.000',
    provisional_premium: '3000.00',
    wage_cap: '75864.00',
    own_risk_percentage: '5.000',
    own_risk_amount: null,
    continued_pay_percentage: '70.000',
    maximum_reimbursement: '5000.00',
    reopen_reason: null,
    submitted_at: null,
    processed_at: null,
    created_at: '2026-01-05T10:00:00Z',
    version: 3,
    employee_count: 2,
    evidence: [],
    result: null,
    ...overrides,
  };
}
