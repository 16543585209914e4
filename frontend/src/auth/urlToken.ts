// Invitation and reset links carry a single-use token (/activate?token=T,
// /reset-password?token=T, /unlock?token=T). It is read once at start-up, kept in memory and
// removed from the address bar (and so from history) at once.

export const TOKEN_PATHS = ['/activate', '/reset-password', '/unlock'] as const;
export type TokenPath = (typeof TOKEN_PATHS)[number];

const tokens = new Map<TokenPath, string>();

function isTokenPath(path: string): path is TokenPath {
  return (TOKEN_PATHS as readonly string[]).includes(path);
}

/**
 * Takes `token` out of the current URL if this is a token page, remembering it.
 * Any `token` parameter is scrubbed from the address bar on every path.
 */
export function captureUrlToken(loc: Location = window.location, hist: History = window.history): void {
  const params = new URLSearchParams(loc.search);
  if (!params.has('token')) return;
  const token = params.get('token') ?? '';
  const path = loc.pathname.replace(/\/+$/, '') || '/';
  if (isTokenPath(path) && token) tokens.set(path, token);
  params.delete('token');
  const rest = params.toString();
  hist.replaceState(hist.state, '', path + (rest ? `?${rest}` : '') + loc.hash);
}

export function tokenFor(path: TokenPath): string | null {
  return tokens.get(path) ?? null;
}

/** Forget a token once it has been used (or proved invalid). */
export function forgetToken(path: TokenPath): void {
  tokens.delete(path);
}
