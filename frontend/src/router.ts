// History-API routing with real paths. The server answers index.html for any
// non-API path, so every route here can be opened directly or reloaded.
import { createStore } from './lib/store';

export const currentPath = createStore<string>(typeof location !== 'undefined' ? location.pathname : '/');

export function navigate(path: string, opts: { replace?: boolean } = {}): void {
  if (opts.replace) history.replaceState(null, '', path);
  else history.pushState(null, '', path);
  currentPath.set(new URL(path, location.origin).pathname);
  if (!opts.replace) window.scrollTo(0, 0);
}

export function startRouter(): void {
  window.addEventListener('popstate', () => currentPath.set(location.pathname));
}

/** Same-origin paths only: "/x" but not "//evil.example" or "https://…". */
export function isInternalPath(path: unknown): path is string {
  return typeof path === 'string' && path.startsWith('/') && !path.startsWith('//') && !path.includes('\\');
}

export interface Match<R> {
  route: R;
  params: Record<string, string>;
}

/** Finds the first route whose pattern ("/participants/:id") matches the path. */
export function matchRoute<R extends { path: string }>(routes: readonly R[], path: string): Match<R> | null {
  const clean = path.length > 1 ? path.replace(/\/+$/, '') : path;
  const parts = clean.split('/');
  for (const route of routes) {
    const pattern = route.path.split('/');
    if (pattern.length !== parts.length) continue;
    const params: Record<string, string> = {};
    let ok = true;
    for (let i = 0; i < pattern.length; i++) {
      const p = pattern[i]!;
      const v = parts[i]!;
      if (p.startsWith(':')) {
        if (!v) {
          ok = false;
          break;
        }
        try {
          params[p.slice(1)] = decodeURIComponent(v);
        } catch {
          ok = false;
          break;
        }
      } else if (p !== v) {
        ok = false;
        break;
      }
    }
    if (ok) return { route, params };
  }
  return null;
}
