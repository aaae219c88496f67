import { type AxiosAdapter, AxiosError, type AxiosResponse, type InternalAxiosRequestConfig } from 'axios';

/** How the simulated token endpoint answers: chosen by the reader. */
export type RefreshAnswer = 'ok' | 'rejected' | 'failing' | 'slow' | 'ask';

export const SIMULATED_API = 'https://api.simulated.test';

/**
 * A server that lives in the page: an axios adapter that answers `/api/*` (401 unless the token is
 * the current one) and `/auth/refresh` (rotating tokens), as the reader tells it to.
 */
export class SimulatedServer {
  refreshAnswer: RefreshAnswer = 'ok';
  refreshCalls = 0;
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

  readonly adapter: AxiosAdapter = async (config) => {
    const path = new URL(config.url ?? '', config.baseURL).pathname;
    if (path === '/auth/refresh') return this.refresh(config);
    const authorization = String(config.headers.get('Authorization') ?? '');
    if (this.validToken === null || authorization !== `Bearer ${this.validToken}`) {
      return reply(config, 401, { error: 'invalid_token' }, { 'www-authenticate': 'Bearer error="invalid_token"' });
    }
    return reply(config, 200, { path, answeredWith: this.validToken });
  };

  private async refresh(config: InternalAxiosRequestConfig): Promise<AxiosResponse> {
    this.refreshCalls += 1;
    const body = JSON.parse(String(config.data ?? '{}')) as { refreshToken?: string };
    let answer = this.refreshAnswer;
    if (answer === 'slow') await delay(3000);
    if (answer === 'ask') answer = await new Promise((resolve) => this.pendingRefresh.push(resolve));
    if (answer === 'failing') return reply(config, 503, { error: 'temporarily_unavailable' });
    if (answer === 'rejected' || body.refreshToken !== this.validRefreshToken) {
      return reply(config, 400, { error: 'invalid_grant' });
    }
    return reply(config, 200, this.issue());
  }

  private issue(): { accessToken: string; refreshToken: string; expiresIn: number } {
    this.issued += 1;
    this.validToken = `access-${this.issued}`;
    this.validRefreshToken = `refresh-${this.issued}`;
    return { accessToken: this.validToken, refreshToken: this.validRefreshToken, expiresIn: 3600 };
  }
}

async function reply(
  config: InternalAxiosRequestConfig,
  status: number,
  data: unknown,
  headers: Record<string, string> = {},
): Promise<AxiosResponse> {
  await delay(150); // a visible round trip, so that queued requests show in the log
  const response: AxiosResponse = { status, statusText: String(status), data, headers, config, request: {} };
  const validate = config.validateStatus;
  if (validate && !validate(status)) {
    // The code axios itself gives: ERR_BAD_REQUEST for 4xx, ERR_BAD_RESPONSE for 5xx.
    const code = status < 500 ? AxiosError.ERR_BAD_REQUEST : AxiosError.ERR_BAD_RESPONSE;
    throw new AxiosError(`Request failed with status code ${status}`, code, config, {}, response);
  }
  return response;
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
