import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

type Client = typeof import('./client');
let client: Client;
let fetchMock: ReturnType<typeof vi.fn>;
let expired: ReturnType<typeof vi.fn>;

function json(status: number, body?: unknown, headers: Record<string, string> = {}): Response {
  const type = status >= 400 ? 'application/problem+json' : 'application/json';
  return new Response(body === undefined ? null : JSON.stringify(body), {
    status,
    headers: { 'Content-Type': type, ...headers },
  });
}

interface Call {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: string | undefined;
  credentials: RequestCredentials | undefined;
}

function calls(): Call[] {
  return (fetchMock.mock.calls as [string, RequestInit][]).map(([url, init]) => ({
    url,
    method: init.method ?? 'GET',
    headers: init.headers as Record<string, string>,
    body: init.body as string | undefined,
    credentials: init.credentials,
  }));
}

/** The ApiError a call fails with (the test fails if it succeeds). */
function failure(p: Promise<unknown>): Promise<InstanceType<Client['ApiError']>> {
  return p.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (e) => e,
  );
}

const refreshCalls = () => calls().filter((c) => c.url === '/api/v1/auth/refresh');

beforeEach(async () => {
  vi.resetModules();
  client = await import('./client');
  fetchMock = vi.fn();
  vi.stubGlobal('fetch', fetchMock);
  expired = vi.fn();
  client.configureClient({ language: () => 'en', onSessionExpired: expired });
  document.cookie = 'portal_csrf=csrf-from-cookie; path=/';
});

afterEach(() => {
  document.cookie = 'portal_csrf=; expires=Thu, 01 Jan 1970 00:00:00 GMT; path=/';
});

describe('request', () => {
  it('sends the access token, Accept-Language and JSON body', async () => {
    client.setSessionTokens({ access_token: 'A1' });
    fetchMock.mockResolvedValueOnce(json(200, { ok: true }));
    const data = await client.api('/me', { method: 'PATCH', body: { language: 'en' } });
    expect(data).toEqual({ ok: true });
    const [c] = calls();
    expect(c!.url).toBe('/api/v1/me');
    expect(c!.method).toBe('PATCH');
    expect(c!.headers.Authorization).toBe('Bearer A1');
    expect(c!.headers['Accept-Language']).toBe('en');
    expect(c!.headers['Content-Type']).toBe('application/json');
    expect(c!.body).toBe('{"language":"en"}');
  });

  it('follows the chosen language on every call', async () => {
    let lang: 'nl' | 'en' = 'nl';
    client.configureClient({ language: () => lang });
    fetchMock.mockImplementation(async () => json(202));
    await client.api('/auth/username-reminder', { auth: false, body: { email: 'a@b.nl' } });
    lang = 'en';
    await client.api('/auth/username-reminder', { auth: false, body: { email: 'a@b.nl' } });
    expect(calls().map((c) => c.headers['Accept-Language'])).toEqual(['nl', 'en']);
  });

  it('turns a problem answer into an ApiError with code, detail and Retry-After', async () => {
    fetchMock.mockResolvedValueOnce(
      json(429, { status: 429, code: 'too_many_attempts', detail: 'Try again later.' }, { 'Retry-After': '30' }),
    );
    const err = await failure(client.api('/auth/login', { auth: false, body: {} }));
    expect(err).toBeInstanceOf(client.ApiError);
    expect(err.status).toBe(429);
    expect(err.code).toBe('too_many_attempts');
    expect(err.message).toBe('Try again later.');
    expect(err.retryAfter).toBe(30);
  });

  it('reports a network failure as status 0', async () => {
    fetchMock.mockRejectedValueOnce(new TypeError('Failed to fetch'));
    const err = await failure(client.api('/me'));
    expect(err.status).toBe(0);
    expect(err.code).toBe('network_error');
  });
});

describe('401: refresh once and retry', () => {
  it('refreshes with cookie + X-CSRF-Token and an empty JSON body, then retries with the new token', async () => {
    client.setSessionTokens({ access_token: 'old' });
    fetchMock
      .mockResolvedValueOnce(json(401, { code: 'unauthorized' }))
      .mockResolvedValueOnce(json(200, { access_token: 'new', token_type: 'Bearer', expires_in: 900, csrf_token: 'c2' }))
      .mockResolvedValueOnce(json(200, { id: 'me' }));

    await expect(client.api('/me')).resolves.toEqual({ id: 'me' });

    const [first, refresh, retry] = calls();
    expect(first!.headers.Authorization).toBe('Bearer old');
    expect(refresh!.url).toBe('/api/v1/auth/refresh');
    expect(refresh!.method).toBe('POST');
    expect(refresh!.body).toBe('{}');
    expect(refresh!.credentials).toBe('same-origin');
    expect(refresh!.headers['X-CSRF-Token']).toBe('csrf-from-cookie');
    expect(refresh!.headers.Authorization).toBeUndefined();
    expect(retry!.headers.Authorization).toBe('Bearer new');
    expect(expired).not.toHaveBeenCalled();
  });

  it('uses the CSRF token from the last refresh when the cookie cannot be read', async () => {
    document.cookie = 'portal_csrf=; expires=Thu, 01 Jan 1970 00:00:00 GMT; path=/';
    client.setSessionTokens({ access_token: 'a', csrf_token: 'from-json' });
    fetchMock.mockResolvedValueOnce(json(401)).mockResolvedValueOnce(json(401)).mockResolvedValue(json(200, {}));
    await failure(client.api('/me'));
    expect(refreshCalls()[0]!.headers['X-CSRF-Token']).toBe('from-json');
  });

  it('gives up after a failed refresh: no retry, the session is reported expired', async () => {
    client.setSessionTokens({ access_token: 'old' });
    fetchMock.mockResolvedValueOnce(json(401)).mockResolvedValueOnce(json(401, { code: 'token_invalid' }));
    const err = await failure(client.api('/organisation'));
    expect(err.status).toBe(401);
    expect(calls()).toHaveLength(2);
    expect(expired).toHaveBeenCalledTimes(1);
    expect(client.hasAccessToken()).toBe(false);
  });

  it('does not loop when the retried call is still refused', async () => {
    client.setSessionTokens({ access_token: 'old' });
    fetchMock
      .mockResolvedValueOnce(json(401))
      .mockResolvedValueOnce(json(200, { access_token: 'new', csrf_token: 'c' }))
      .mockResolvedValueOnce(json(401));
    const err = await failure(client.api('/me'));
    expect(err.status).toBe(401);
    expect(refreshCalls()).toHaveLength(1);
    expect(calls()).toHaveLength(3);
    expect(expired).toHaveBeenCalledTimes(1);
  });

  it('shares one refresh between calls that fail together', async () => {
    client.setSessionTokens({ access_token: 'old' });
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    fetchMock.mockImplementation(async (url: string, init: RequestInit) => {
      if (url === '/api/v1/auth/refresh') {
        await gate;
        return json(200, { access_token: 'new', csrf_token: 'c' });
      }
      const auth = (init.headers as Record<string, string>).Authorization;
      return auth === 'Bearer new' ? json(200, { url }) : json(401);
    });
    const all = Promise.all([client.api('/me'), client.api('/organisation'), client.api('/rights')]);
    await new Promise((r) => setTimeout(r, 0));
    release();
    await expect(all).resolves.toEqual([{ url: '/api/v1/me' }, { url: '/api/v1/organisation' }, { url: '/api/v1/rights' }]);
    expect(refreshCalls()).toHaveLength(1);
  });

  it('retries without refreshing again when another call already refreshed', async () => {
    client.setSessionTokens({ access_token: 'old' });
    fetchMock.mockImplementationOnce(async () => {
      client.setSessionTokens({ access_token: 'fresh' }); // a refresh finished meanwhile
      return json(401);
    });
    fetchMock.mockResolvedValueOnce(json(200, { ok: 1 }));
    await expect(client.api('/me')).resolves.toEqual({ ok: 1 });
    expect(refreshCalls()).toHaveLength(0);
    expect(calls()[1]!.headers.Authorization).toBe('Bearer fresh');
  });

  it('keeps the session when the refresh fails for lack of network', async () => {
    client.setSessionTokens({ access_token: 'old' });
    fetchMock.mockResolvedValueOnce(json(401)).mockRejectedValueOnce(new TypeError('offline'));
    const err = await failure(client.api('/me'));
    expect(err.status).toBe(0);
    expect(expired).not.toHaveBeenCalled();
  });

  it('never refreshes for public calls such as a wrong password at login', async () => {
    fetchMock.mockResolvedValueOnce(json(401, { code: 'invalid_credentials', detail: 'Wrong.' }));
    const err = await failure(client.api('/auth/login', { auth: false, body: { username: 'u', password: 'p' } }));
    expect(err.code).toBe('invalid_credentials');
    expect(calls()).toHaveLength(1);
    expect(calls()[0]!.headers.Authorization).toBeUndefined();
    expect(expired).not.toHaveBeenCalled();
  });
});

describe('logoutSession', () => {
  it('posts {} with the CSRF header and forgets the token even if the call fails', async () => {
    client.setSessionTokens({ access_token: 'A' });
    fetchMock.mockRejectedValueOnce(new TypeError('offline'));
    await client.logoutSession();
    const [c] = calls();
    expect(c!.url).toBe('/api/v1/auth/logout');
    expect(c!.method).toBe('POST');
    expect(c!.body).toBe('{}');
    expect(c!.credentials).toBe('same-origin');
    expect(c!.headers['X-CSRF-Token']).toBe('csrf-from-cookie');
    expect(client.hasAccessToken()).toBe(false);
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates', () => {
    expect(client.parseRetryAfter('120')).toBe(120);
    const now = Date.parse('2024-01-01T12:00:00Z');
    expect(client.parseRetryAfter('Mon, 01 Jan 2024 12:01:30 GMT', now)).toBe(90);
    expect(client.parseRetryAfter(null)).toBeNull();
    expect(client.parseRetryAfter('soon')).toBeNull();
  });
});

describe('token storage', () => {
  it('never writes the access token to web storage', async () => {
    const setItem = vi.spyOn(Storage.prototype, 'setItem');
    client.setSessionTokens({ access_token: 'secret-token', csrf_token: 'c' });
    fetchMock.mockResolvedValue(json(200, {}));
    await client.api('/me');
    expect(setItem).not.toHaveBeenCalled();
    expect(JSON.stringify({ ...localStorage, ...sessionStorage })).not.toContain('secret-token');
  });
});
