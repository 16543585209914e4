// The whole app against a fake API, for page tests: a fetch stub that
// answers from a table of handlers ("POST /auth/unlock") and logs every
// call, a container to render into, and a start-up like main.tsx's (the
// mailed-link token captured, the language set, the router and session
// started).
import { vi } from 'vitest';

export type Handler = (body: any, path: string) => Response | Promise<Response>;

export function json(status: number, body?: unknown): Response {
  return new Response(body === undefined ? null : JSON.stringify(body), {
    status,
    headers: { 'Content-Type': status >= 400 ? 'application/problem+json' : 'application/json' },
  });
}

export interface Harness {
  /** Handlers by "METHOD /path" (the path without /api/v1 and without the query). */
  routes: Record<string, Handler>;
  /** Every call made: key, path with query, parsed JSON body. */
  log: { key: string; path: string; body: any }[];
  container: HTMLElement;
  text(): string;
  h1(): string;
  waitFor<T>(fn: () => T | null | undefined | false, what: string): Promise<T>;
  click(label: string): Promise<void>;
  type(field: string, value: string): void;
  boot(path: string, lang?: 'nl' | 'en'): Promise<void>;
  stop(): void;
}

/** Call in beforeEach (and stop() in afterEach). Unknown calls answer 404. */
export function startHarness(routes: Record<string, Handler> = {}): Harness {
  vi.resetModules();
  localStorage.clear();
  const container = document.createElement('div');
  document.body.appendChild(container);
  let render: typeof import('preact').render | undefined;
  const h: Harness = {
    routes,
    log: [],
    container,
    text: () => container.textContent ?? '',
    h1: () => container.querySelector('h1')?.textContent ?? '',
    async waitFor(fn, what) {
      const start = Date.now();
      for (;;) {
        const v = fn();
        if (v) return v;
        if (Date.now() - start > 3000) throw new Error(`timed out waiting for ${what}\n${container.innerHTML.slice(0, 1500)}`);
        await new Promise((r) => setTimeout(r, 10));
      }
    },
    async click(label) {
      await new Promise((r) => setTimeout(r, 0));
      const el = [...container.querySelectorAll<HTMLElement>('button, a')].find((b) => b.textContent?.trim() === label);
      if (!el) throw new Error(`no button "${label}"`);
      el.click();
    },
    type(field, value) {
      const input = container.querySelector<HTMLInputElement>(`[data-field="${field}"]`)!;
      input.value = value;
      input.dispatchEvent(new Event('input', { bubbles: true }));
    },
    async boot(path, lang = 'nl') {
      window.history.replaceState(null, '', path);
      const { captureUrlToken } = await import('../auth/urlToken');
      captureUrlToken();
      const { setActiveLanguage } = await import('../i18n');
      setActiveLanguage(lang);
      const { currentPath, startRouter } = await import('../router');
      currentPath.set(window.location.pathname);
      startRouter();
      const { startSession } = await import('../auth/session');
      const { App } = await import('../app');
      render = (await import('preact')).render;
      render(<App />, container);
      await startSession();
    },
    stop() {
      render?.(null, container);
      container.remove();
    },
  };
  vi.stubGlobal('scrollTo', vi.fn());
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string, init: RequestInit) => {
      const path = url.replace('/api/v1', '');
      const key = `${init.method ?? 'GET'} ${path.split('?')[0]}`;
      const body = typeof init.body === 'string' ? JSON.parse(init.body) : undefined;
      h.log.push({ key, path, body });
      const handler = h.routes[key];
      return handler ? handler(body, path) : json(404, { code: 'not_found' });
    }),
  );
  return h;
}
