import { delay, HttpResponse, http, type RequestHandler } from 'msw';

/** How the fake token endpoint answers the next refresh calls. */
export type RefreshBehaviour =
  | 'ok'
  | 'rejected-401'
  | 'invalid-grant'
  | 'server-error'
  | 'network-error'
  | 'never'
  | 'malformed';

export interface SeenApiRequest {
  method: string;
  path: string;
  authorization: string | null;
  contentType: string | null;
  body: string;
}

export interface SeenRefresh {
  refreshToken: unknown;
  answered: RefreshBehaviour;
}

export const API_ORIGIN = 'https://api.test';
export const OTHER_ORIGIN = 'https://third-party.test';

/**
 * An auth server in msw handlers: it issues numbered tokens, accepts only the newest access token,
 * rotates refresh tokens (an old one gets 400 invalid_grant), and records everything it saw, so
 * that tests assert what the server observed rather than what the client believes.
 */
export class FakeAuthApi {
  refreshBehaviour: RefreshBehaviour = 'ok';
  /** Ms the refresh endpoint takes before answering. */
  refreshDelay = 0;
  readonly apiRequests: SeenApiRequest[] = [];
  readonly refreshCalls: SeenRefresh[] = [];
  readonly otherOriginRequests: SeenApiRequest[] = [];
  logins = 0;
  reuseDetections = 0;

  private issued = 0;
  private validAccessToken: string | null = null;
  private validRefreshToken: string | null = null;
  private readonly retiredRefreshTokens = new Set<string>();
  private responseGate: { size: number; waiting: Array<() => void> } | null = null;
  private refreshGate: Promise<void> | null = null;

  /** A fresh pair, as a login would return it; older tokens stop working. */
  issueTokens(): { accessToken: string; refreshToken: string; expiresIn: number } {
    this.issued += 1;
    if (this.validRefreshToken !== null) this.retiredRefreshTokens.add(this.validRefreshToken);
    this.validAccessToken = `access-${this.issued}`;
    this.validRefreshToken = `refresh-${this.issued}`;
    return { accessToken: this.validAccessToken, refreshToken: this.validRefreshToken, expiresIn: 3600 };
  }

  /** The access token now in use stops being accepted, as at its expiry; the refresh token still works. */
  expireAccessToken(): void {
    this.validAccessToken = null;
  }

  /** The refresh token is revoked (an admin logged the user out): the next refresh gets invalid_grant. */
  revokeRefreshToken(): void {
    if (this.validRefreshToken !== null) this.retiredRefreshTokens.add(this.validRefreshToken);
    this.validRefreshToken = null;
  }

  get currentAccessToken(): string | null {
    return this.validAccessToken;
  }

  /** The refresh token the server would accept now (rotated by each successful refresh). */
  get currentRefreshToken(): string | null {
    return this.validRefreshToken;
  }

  /** API responses wait until `size` API requests have arrived: they are all in flight at once. */
  holdApiResponsesUntil(size: number): void {
    this.responseGate = { size, waiting: [] };
  }

  /** Refresh calls wait for `release` before answering. */
  holdRefreshUntil(release: Promise<void>): void {
    this.refreshGate = release;
  }

  authorizationsSeen(): Array<string | null> {
    return this.apiRequests.map((request) => request.authorization);
  }

  readonly handlers: RequestHandler[] = [
    http.post(`${API_ORIGIN}/auth/login`, () => {
      this.logins += 1;
      return HttpResponse.json(this.issueTokens());
    }),
    http.post(`${API_ORIGIN}/auth/refresh`, async ({ request }) => this.answerRefresh(request)),
    http.all(`${API_ORIGIN}/api/*`, async ({ request }) => this.answerApi(request)),
    http.all(`${OTHER_ORIGIN}/*`, async ({ request }) => {
      this.otherOriginRequests.push(await seen(request));
      return HttpResponse.json({ error: 'not yours' }, { status: 401 });
    }),
  ];

  private async answerRefresh(request: Request): Promise<Response> {
    // As an Express server with express.json() reads it: a body without the JSON content type is none.
    const isJson = request.headers.get('content-type')?.startsWith('application/json') === true;
    const body = (isJson ? await request.json().catch(() => null) : null) as { refreshToken?: unknown } | null;
    const refreshToken = body?.refreshToken;
    const answered = this.refreshBehaviour;
    this.refreshCalls.push({ refreshToken, answered });
    if (this.refreshGate) await this.refreshGate;
    if (this.refreshDelay > 0) await delay(this.refreshDelay);
    switch (answered) {
      case 'never':
        return delay('infinite').then(() => HttpResponse.json({}));
      case 'network-error':
        return HttpResponse.error();
      case 'server-error':
        return HttpResponse.json({ error: 'temporarily_unavailable' }, { status: 500 });
      case 'rejected-401':
        return HttpResponse.json({ error: 'invalid_client' }, { status: 401 });
      case 'invalid-grant':
        return HttpResponse.json({ error: 'invalid_grant' }, { status: 400 });
      case 'malformed':
        return HttpResponse.json({ access_token: 42 });
      case 'ok':
        return this.rotate(refreshToken);
    }
  }

  private rotate(refreshToken: unknown): Response {
    if (typeof refreshToken === 'string' && this.retiredRefreshTokens.has(refreshToken)) {
      this.reuseDetections += 1;
      this.revokeRefreshToken();
      return HttpResponse.json({ error: 'invalid_grant' }, { status: 400 });
    }
    if (refreshToken !== this.validRefreshToken || refreshToken === null) {
      return HttpResponse.json({ error: 'invalid_grant' }, { status: 400 });
    }
    return HttpResponse.json(this.issueTokens());
  }

  private async answerApi(request: Request): Promise<Response> {
    const record = await seen(request);
    this.apiRequests.push(record);
    await this.passResponseGate();
    const url = new URL(request.url);
    if (url.pathname === '/api/forbidden') {
      return HttpResponse.json(
        { error: 'forbidden' },
        {
          status: 403,
          headers: { 'WWW-Authenticate': 'Bearer error="insufficient_scope"' },
        },
      );
    }
    if (record.authorization !== `Bearer ${this.validAccessToken}` || this.validAccessToken === null) {
      return HttpResponse.json(
        { error: 'invalid_token' },
        {
          status: 401,
          headers: { 'WWW-Authenticate': 'Bearer error="invalid_token"' },
        },
      );
    }
    if (url.pathname === '/api/scoped') {
      return HttpResponse.json(
        { error: 'insufficient_scope' },
        {
          status: 401,
          headers: { 'WWW-Authenticate': 'Bearer realm="api", error="insufficient_scope"' },
        },
      );
    }
    return HttpResponse.json({
      path: url.pathname,
      method: request.method,
      body: record.body,
      contentType: record.contentType,
    });
  }

  private async passResponseGate(): Promise<void> {
    const gate = this.responseGate;
    if (!gate) return;
    if (gate.waiting.length + 1 >= gate.size) {
      this.responseGate = null;
      for (const release of gate.waiting) release();
      return;
    }
    await new Promise<void>((resolve) => gate.waiting.push(resolve));
  }
}

async function seen(request: Request): Promise<SeenApiRequest> {
  return {
    method: request.method,
    path: new URL(request.url).pathname,
    authorization: request.headers.get('authorization'),
    contentType: request.headers.get('content-type'),
    body: await request.text(),
  };
}
