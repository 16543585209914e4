// HTTP client for /api/v1: keeps the access token in memory only, sends
// Accept-Language on every call, turns problem+json answers into ApiError,
// and on a 401 refreshes the session once (cookie + X-CSRF-Token) and retries.
import type { Lang, SessionTokens } from './types';

export const API_BASE = '/api/v1';
export const CSRF_COOKIE = 'portal_csrf';

export interface ProblemFieldError {
  field?: string;
  code?: string;
  message?: string;
}

export interface Problem {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  code?: string;
  errors?: ProblemFieldError[];
}

export class ApiError extends Error {
  readonly status: number;
  readonly problem: Problem;
  /** Seconds to wait, from Retry-After (429 and 503 answers). */
  readonly retryAfter: number | null;

  constructor(status: number, problem: Problem, retryAfter: number | null = null) {
    super(problem.detail || problem.title || `HTTP ${status}`);
    this.name = 'ApiError';
    this.status = status;
    this.problem = problem;
    this.retryAfter = retryAfter;
  }

  get code(): string | undefined {
    return this.problem.code;
  }
}

export interface RequestOptions {
  method?: string;
  body?: unknown;
  /** false for the public endpoints (login, activation, reset): no bearer, no refresh on 401. */
  auth?: boolean;
  ifMatch?: string | null;
  /** Idempotency-Key for POSTs that create something (DESIGN.md §4). */
  idempotencyKey?: string;
  signal?: AbortSignal;
  /** A multipart body (file uploads); the browser sets its Content-Type. */
  form?: FormData;
}

export interface ApiResult<T> {
  status: number;
  data: T;
  etag: string | null;
}

interface Hooks {
  language: () => Lang;
  onSessionExpired: () => void;
}

let hooks: Hooks = { language: () => 'nl', onSessionExpired: () => {} };
let accessToken: string | null = null;
let csrfToken: string | null = null;
let refreshing: Promise<RefreshOutcome> | null = null;

export function configureClient(h: Partial<Hooks>): void {
  hooks = { ...hooks, ...h };
}

export function setSessionTokens(tokens: Pick<SessionTokens, 'access_token' | 'csrf_token'>): void {
  accessToken = tokens.access_token;
  if (tokens.csrf_token) csrfToken = tokens.csrf_token;
}

export function clearSessionTokens(): void {
  accessToken = null;
  csrfToken = null;
}

export function hasAccessToken(): boolean {
  return accessToken !== null;
}

export function readCookie(name: string): string | null {
  if (typeof document === 'undefined') return null;
  for (const part of document.cookie.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        return part.slice(eq + 1).trim();
      }
    }
  }
  return null;
}

/** The cookie is current even when another tab refreshed; memory covers a cookie we cannot read. */
function currentCsrf(): string | null {
  return readCookie(CSRF_COOKIE) || csrfToken;
}

/** Retry-After in seconds: delta-seconds or an HTTP date. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | null {
  if (!value) return null;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const when = Date.parse(trimmed);
  if (Number.isNaN(when)) return null;
  return Math.max(0, Math.ceil((when - now) / 1000));
}

function baseHeaders(): Record<string, string> {
  return {
    Accept: 'application/json, application/problem+json',
    'Accept-Language': hooks.language(),
  };
}

async function send(path: string, opts: RequestOptions, token: string | null): Promise<Response> {
  const headers = baseHeaders();
  if (opts.body !== undefined && !opts.form) headers['Content-Type'] = 'application/json';
  if (token) headers.Authorization = `Bearer ${token}`;
  if (opts.ifMatch) headers['If-Match'] = opts.ifMatch;
  if (opts.idempotencyKey) headers['Idempotency-Key'] = opts.idempotencyKey;
  try {
    return await fetch(API_BASE + path, {
      method: opts.method ?? (opts.body === undefined && !opts.form ? 'GET' : 'POST'),
      headers,
      body: opts.form ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body)),
      credentials: 'same-origin',
      cache: 'no-store',
      signal: opts.signal,
    });
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e;
    throw networkError();
  }
}

function networkError(): ApiError {
  return new ApiError(0, { code: 'network_error' });
}

async function readBody(res: Response): Promise<unknown> {
  if (res.status === 204) return undefined;
  const type = res.headers.get('Content-Type') ?? '';
  const text = await res.text();
  if (!text) return undefined;
  if (type.includes('json')) {
    try {
      return JSON.parse(text);
    } catch {
      return undefined;
    }
  }
  return text;
}

async function toResult<T>(res: Response): Promise<ApiResult<T>> {
  const body = await readBody(res);
  if (!res.ok) {
    const problem: Problem =
      body && typeof body === 'object' ? (body as Problem) : { status: res.status, title: res.statusText };
    throw new ApiError(res.status, problem, parseRetryAfter(res.headers.get('Retry-After')));
  }
  return { status: res.status, data: body as T, etag: res.headers.get('ETag') };
}

type RefreshOutcome = 'ok' | 'rejected' | 'network';

async function withRefreshLock<T>(fn: () => Promise<T>): Promise<T> {
  // Tabs share the refresh cookie; rotating it in two tabs at once would look
  // like token reuse to the API, so refreshes take turns where the browser can.
  const locks = typeof navigator !== 'undefined' ? navigator.locks : undefined;
  if (locks?.request) return locks.request('portal-session-refresh', fn) as Promise<T>;
  return fn();
}

async function doRefresh(): Promise<RefreshOutcome> {
  const headers = baseHeaders();
  headers['Content-Type'] = 'application/json';
  const csrf = currentCsrf();
  if (csrf) headers['X-CSRF-Token'] = csrf;
  let res: Response;
  try {
    res = await fetch(`${API_BASE}/auth/refresh`, {
      method: 'POST',
      headers,
      body: '{}',
      credentials: 'same-origin',
      cache: 'no-store',
    });
  } catch {
    return 'network';
  }
  if (!res.ok) {
    accessToken = null;
    return res.status >= 500 ? 'network' : 'rejected';
  }
  const data = (await readBody(res)) as Partial<SessionTokens> | undefined;
  if (!data?.access_token) {
    accessToken = null;
    return 'rejected';
  }
  setSessionTokens({ access_token: data.access_token, csrf_token: data.csrf_token });
  return 'ok';
}

/** One refresh at a time; callers that arrive while one runs share its outcome. */
export function refreshSession(): Promise<RefreshOutcome> {
  refreshing ??= withRefreshLock(doRefresh).finally(() => {
    refreshing = null;
  });
  return refreshing;
}

export async function request<T>(path: string, opts: RequestOptions = {}): Promise<ApiResult<T>> {
  return toResult<T>(await respond(path, opts));
}

/** A file from the API (exports) with its name from Content-Disposition. */
export async function download(path: string): Promise<{ blob: Blob; filename: string | null }> {
  const res = await respond(path, {});
  if (!res.ok) await toResult(res); // throws the ApiError
  const disposition = res.headers.get('Content-Disposition') ?? '';
  const m = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(disposition);
  return { blob: await res.blob(), filename: m ? decodeURIComponent(m[1]!) : null };
}

/** Sends with the access token; on a 401 refreshes once and retries. */
async function respond(path: string, opts: RequestOptions): Promise<Response> {
  if (opts.auth === false) return send(path, opts, null);

  const used = accessToken;
  let res = await send(path, opts, used);
  if (res.status === 401) {
    let retry = false;
    if (accessToken && accessToken !== used) {
      retry = true; // someone else refreshed while this call was under way
    } else {
      const outcome = await refreshSession();
      if (outcome === 'network') throw networkError();
      retry = outcome === 'ok';
    }
    if (retry) res = await send(path, opts, accessToken);
    if (res.status === 401) {
      accessToken = null;
      hooks.onSessionExpired();
    }
  }
  return res;
}

export async function api<T>(path: string, opts: RequestOptions = {}): Promise<T> {
  return (await request<T>(path, opts)).data;
}

/** Ends this session at the API (cookie + CSRF header) and forgets the tokens. */
export async function logoutSession(): Promise<void> {
  const headers = baseHeaders();
  headers['Content-Type'] = 'application/json';
  const csrf = currentCsrf();
  if (csrf) headers['X-CSRF-Token'] = csrf;
  if (accessToken) headers.Authorization = `Bearer ${accessToken}`;
  try {
    await fetch(`${API_BASE}/auth/logout`, {
      method: 'POST',
      headers,
      body: '{}',
      credentials: 'same-origin',
      cache: 'no-store',
    });
  } catch {
    // The session ends here anyway; the cookie expires on its own.
  } finally {
    clearSessionTokens();
  }
}

/** A fresh Idempotency-Key (random UUID). */
export function newIdempotencyKey(): string {
  const c = typeof crypto !== 'undefined' ? crypto : undefined;
  if (c?.randomUUID) return c.randomUUID();
  const b = new Uint8Array(16);
  c?.getRandomValues?.(b);
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/**
 * Uploads a form (a file and fields) with XMLHttpRequest, which reports the
 * upload's progress (fetch does not): onProgress gets 0..1. Refreshes the
 * access token once on a 401, like every other call.
 */
export async function upload<T>(
  path: string,
  form: FormData,
  onProgress: (fraction: number) => void,
  idempotencyKey?: string,
): Promise<ApiResult<T>> {
  const attempt = (token: string | null) =>
    new Promise<Response>((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open('POST', API_BASE + path);
      const headers = baseHeaders();
      for (const [k, v] of Object.entries(headers)) xhr.setRequestHeader(k, v);
      if (token) xhr.setRequestHeader('Authorization', `Bearer ${token}`);
      if (idempotencyKey) xhr.setRequestHeader('Idempotency-Key', idempotencyKey);
      xhr.upload.onprogress = (e) => {
        if (e.lengthComputable && e.total > 0) onProgress(e.loaded / e.total);
      };
      xhr.onload = () => {
        const responseHeaders = new Headers();
        for (const line of xhr.getAllResponseHeaders().trim().split(/[\r\n]+/)) {
          const at = line.indexOf(':');
          if (at > 0) responseHeaders.append(line.slice(0, at).trim(), line.slice(at + 1).trim());
        }
        resolve(new Response(xhr.status === 204 ? null : xhr.responseText, { status: xhr.status, headers: responseHeaders }));
      };
      xhr.onerror = () => reject(networkError());
      xhr.send(form);
    });
  const used = accessToken;
  let res = await attempt(used);
  if (res.status === 401) {
    const outcome = accessToken && accessToken !== used ? 'ok' : await refreshSession();
    if (outcome === 'network') throw networkError();
    if (outcome === 'ok') res = await attempt(accessToken);
    if (res.status === 401) {
      accessToken = null;
      hooks.onSessionExpired();
    }
  }
  return toResult<T>(res);
}
