import { type AuthSession, type AuthSessionOptions, createAuthSession, type TokenSet } from '@authmachine/core';
import { deferred as createDeferred, type Deferred } from '@authmachine/test-kit';
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';

export { type Deferred, deferred as createDeferred, untilStatus } from '@authmachine/test-kit';

export const API = 'https://api.test';
export const PAGE = 'https://app.test';
export const OTHER = 'https://other.test';

/** One HTTP request as the server received it. */
export interface SeenCall {
  origin: string;
  method: string;
  /** Path and query. */
  path: string;
  authorization: string | null;
  contentType: string | null;
  headers: Headers;
  /** The body as UTF-8 text. */
  body: string;
  /** The body's bytes in hex: compares binary bodies exactly. */
  bytes: string;
}

/**
 * The test's auth server, in msw handlers on the real global fetch: it issues numbered tokens
 * (`access-1`, `refresh-1`, ...), accepts only the newest access token on `/api/*` of API and PAGE
 * (401 `invalid_token` otherwise), rotates refresh tokens, and records every request, so tests
 * assert what the server saw. OTHER answers every request with 401.
 */
export interface TokenServer {
  /** Every request to `/api/*` of API and PAGE, in arrival order. */
  readonly calls: SeenCall[];
  /** Every request to OTHER. */
  readonly otherCalls: SeenCall[];
  /** How many refresh calls reached the token endpoint. */
  readonly refreshCalls: number;
  /** The access token the server accepts now. */
  readonly validToken: string | null;
  issueTokens(): TokenSet;
  /** The current access token stops being accepted (its refresh token still works). */
  expireToken(): void;
  /** Every access token, also newly issued ones, gets 401. */
  rejectEveryToken(): void;
  /** The next refresh calls wait until the returned deferred is resolved. */
  holdRefresh(): Deferred<void>;
  /** API responses wait until `count` API requests have arrived: all of them are in flight at once. */
  holdApiUntil(count: number): void;
  /** A session logged in with fresh tokens, refreshing through the token endpoint; stopped after the test. */
  loggedInSession(options?: Partial<Omit<AuthSessionOptions, 'refresh'>>): Promise<AuthSession>;
  /** The authorization header of every call, in order. */
  authorizations(): Array<string | null>;
  /** The authorization header of each attempt, by path. */
  authorizationsByPath(): Map<string, Array<string | null>>;
}

export function useTokenServer(): TokenServer {
  let calls: SeenCall[] = [];
  let otherCalls: SeenCall[] = [];
  let refreshCalls = 0;
  let issued = 0;
  let validToken: string | null = null;
  let validRefresh: string | null = null;
  let rejectAll = false;
  let refreshGate: Promise<void> | null = null;
  let apiGate: { count: number; waiting: Array<() => void> } | null = null;
  let sessions: AuthSession[] = [];

  const issueTokens = (): TokenSet => {
    issued += 1;
    validToken = `access-${issued}`;
    validRefresh = `refresh-${issued}`;
    return { accessToken: validToken, refreshToken: validRefresh, expiresIn: 3600 };
  };

  const passApiGate = async (): Promise<void> => {
    const gate = apiGate;
    if (gate === null) return;
    const arrived = new Promise<void>((resolve) => gate.waiting.push(resolve));
    if (gate.waiting.length >= gate.count) {
      apiGate = null;
      for (const release of gate.waiting) release();
    }
    await arrived;
  };

  const answerApi = async (request: Request): Promise<Response> => {
    calls.push(await seen(request));
    await passApiGate();
    const authorization = request.headers.get('authorization');
    if (rejectAll || validToken === null || authorization !== `Bearer ${validToken}`) {
      return HttpResponse.json(
        { error: 'invalid_token' },
        {
          status: 401,
          // Which attempt this 401 answered: tests tell a retry's 401 from the first one.
          headers: { 'WWW-Authenticate': 'Bearer error="invalid_token"', 'X-Seen-Authorization': authorization ?? '' },
        },
      );
    }
    return HttpResponse.json({ ok: true, path: new URL(request.url).pathname, method: request.method });
  };

  const server = setupServer(
    http.post(`${API}/auth/refresh`, async ({ request }) => {
      refreshCalls += 1;
      const { refreshToken } = (await request.json()) as { refreshToken?: unknown };
      if (refreshGate) await refreshGate;
      if (refreshToken !== validRefresh) return HttpResponse.json({ error: 'invalid_grant' }, { status: 400 });
      return HttpResponse.json(issueTokens());
    }),
    http.all(`${API}/api/*`, ({ request }) => answerApi(request)),
    http.all(`${PAGE}/api/*`, ({ request }) => answerApi(request)),
    http.all(`${OTHER}/*`, async ({ request }) => {
      otherCalls.push(await seen(request));
      return HttpResponse.json({ error: 'not yours' }, { status: 401 });
    }),
  );

  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  afterAll(() => server.close());
  beforeEach(() => {
    calls = [];
    otherCalls = [];
    refreshCalls = 0;
    issued = 0;
    validToken = null;
    validRefresh = null;
    rejectAll = false;
    refreshGate = null;
    apiGate = null;
  });
  afterEach(() => {
    for (const session of sessions) session.stop();
    sessions = [];
  });

  return {
    get calls() {
      return calls;
    },
    get otherCalls() {
      return otherCalls;
    },
    get refreshCalls() {
      return refreshCalls;
    },
    get validToken() {
      return validToken;
    },
    issueTokens,
    expireToken() {
      validToken = null;
    },
    rejectEveryToken() {
      rejectAll = true;
    },
    holdRefresh() {
      const release = createDeferred();
      refreshGate = release.promise;
      return release;
    },
    holdApiUntil(count) {
      apiGate = { count, waiting: [] };
    },
    async loggedInSession(options = {}) {
      const session = createAuthSession({ ...options, refresh: refreshThroughServer });
      sessions.push(session);
      await session.login(issueTokens());
      return session;
    },
    authorizations: () => calls.map((call) => call.authorization),
    authorizationsByPath() {
      const byPath = new Map<string, Array<string | null>>();
      for (const call of calls) byPath.set(call.path, [...(byPath.get(call.path) ?? []), call.authorization]);
      return byPath;
    },
  };
}

/** The app's refresh function: the real global fetch (msw answers), an HTTP error thrown with its status. */
async function refreshThroughServer({
  refreshToken,
  signal,
}: {
  refreshToken: string;
  signal: AbortSignal;
}): Promise<TokenSet> {
  const response = await fetch(`${API}/auth/refresh`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ refreshToken }),
    signal,
  });
  if (!response.ok) throw Object.assign(new Error(`refresh answered ${response.status}`), { status: response.status });
  return (await response.json()) as TokenSet;
}

async function seen(request: Request): Promise<SeenCall> {
  const url = new URL(request.url);
  const bytes = new Uint8Array(await request.arrayBuffer());
  return {
    origin: url.origin,
    method: request.method,
    path: url.pathname + url.search,
    authorization: request.headers.get('authorization'),
    contentType: request.headers.get('content-type'),
    // Entry by entry: msw's patched Headers copies another Headers from an incomplete record.
    headers: new Headers([...request.headers]),
    body: new TextDecoder().decode(bytes),
    bytes: Buffer.from(bytes).toString('hex'),
  };
}
