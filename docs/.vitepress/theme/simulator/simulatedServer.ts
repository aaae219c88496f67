import { type AxiosAdapter, AxiosError, AxiosHeaders, type AxiosResponse } from 'axios';

/** How the simulated token endpoint answers: chosen by the reader. */
export type RefreshAnswer = 'ok' | 'rejected' | 'failing' | 'slow' | 'ask';

export const SIMULATED_API = 'https://api.simulated.test';

/** One HTTP call the server received for a request of the page, and its status once answered. */
export interface Attempt {
  requestId: number;
  /** The token the call carried (simulated tokens, `access-2`), or null without one. */
  token: string | null;
  status: number | null;
}

interface Answer {
  status: number;
  body: unknown;
  headers: Record<string, string>;
}

/**
 * A server that lives in the page, reached through both adapters' own transports: an axios adapter
 * and a `fetch` function. It answers `/api/data/<request id>` (401 unless the token is the current
 * one) and `/auth/refresh` (rotating tokens), as the reader tells it to, and reports every call.
 */
export class SimulatedServer {
  refreshAnswer: RefreshAnswer = 'ok';
  refreshCalls = 0;
  /** Told of every call to `/api/*` when it arrives and again when it is answered. */
  onAttempt: (attempt: Attempt) => void = () => {};
  private issued = 1;
  private validToken: string | null = null;
  private validRefreshToken: string | null = null;
  private pendingRefresh: Array<(answer: 'ok' | 'rejected' | 'failing') => void> = [];

  login(): { accessToken: string; refreshToken: string; expiresIn: number } {
    return this.issue();
  }

  /** The access token stops being accepted, as at its expiry. */
  expireToken(): void {
    this.validToken = null;
  }

  get waitingForAnswer(): boolean {
    return this.pendingRefresh.length > 0;
  }

  /** Answers the refresh calls that wait for the reader (`ask`). */
  answer(answer: 'ok' | 'rejected' | 'failing'): void {
    const pending = this.pendingRefresh;
    this.pendingRefresh = [];
    for (const resolve of pending) resolve(answer);
  }

  readonly axiosAdapter: AxiosAdapter = async (config) => {
    const path = new URL(config.url ?? '', config.baseURL).pathname;
    const headers = AxiosHeaders.from(config.headers);
    const answer = await this.handle(path, String(headers.get('Authorization') ?? ''), String(config.data ?? ''));
    const response: AxiosResponse = {
      ...answer,
      data: answer.body,
      statusText: String(answer.status),
      config,
      request: {},
    };
    const validate = config.validateStatus;
    if (validate && !validate(answer.status)) {
      // The code axios itself gives: ERR_BAD_REQUEST for 4xx, ERR_BAD_RESPONSE for 5xx.
      const code = answer.status < 500 ? AxiosError.ERR_BAD_REQUEST : AxiosError.ERR_BAD_RESPONSE;
      throw new AxiosError(`Request failed with status code ${answer.status}`, code, config, {}, response);
    }
    return response;
  };

  readonly fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    const answer = await this.handle(
      new URL(request.url).pathname,
      request.headers.get('Authorization') ?? '',
      await request.text(),
    );
    return new Response(JSON.stringify(answer.body), {
      status: answer.status,
      headers: { 'content-type': 'application/json', ...answer.headers },
    });
  };

  private async handle(path: string, authorization: string, body: string): Promise<Answer> {
    if (path === '/auth/refresh') return this.refresh(body);
    const attempt: Attempt = {
      requestId: Number(/\/(\d+)$/.exec(path)?.[1] ?? 0),
      token: authorization.startsWith('Bearer ') ? authorization.slice('Bearer '.length) : null,
      status: null,
    };
    this.onAttempt({ ...attempt });
    const answer =
      this.validToken === null || attempt.token !== this.validToken
        ? reply(401, { error: 'invalid_token' }, { 'www-authenticate': 'Bearer error="invalid_token"' })
        : reply(200, { path, answeredWith: this.validToken });
    const answered = await answer;
    this.onAttempt({ ...attempt, status: answered.status });
    return answered;
  }

  private async refresh(body: string): Promise<Answer> {
    this.refreshCalls += 1;
    const { refreshToken } = JSON.parse(body || '{}') as { refreshToken?: string };
    let answer = this.refreshAnswer;
    if (answer === 'slow') await delay(3000);
    if (answer === 'ask') answer = await new Promise((resolve) => this.pendingRefresh.push(resolve));
    if (answer === 'failing') return reply(503, { error: 'temporarily_unavailable' });
    if (answer === 'rejected' || refreshToken !== this.validRefreshToken) return reply(400, { error: 'invalid_grant' });
    return reply(200, this.issue());
  }

  private issue(): { accessToken: string; refreshToken: string; expiresIn: number } {
    this.issued += 1;
    this.validToken = `access-${this.issued}`;
    this.validRefreshToken = `refresh-${this.issued}`;
    return { accessToken: this.validToken, refreshToken: this.validRefreshToken, expiresIn: 3600 };
  }
}

async function reply(status: number, body: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  await delay(150); // a visible round trip, so that waiting requests show on the page
  return { status, body, headers };
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
