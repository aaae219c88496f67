import {
  type AxiosAdapter,
  AxiosError,
  AxiosHeaders,
  type AxiosResponse,
  type InternalAxiosRequestConfig,
} from 'axios';

/**
 * FakeAuthApi's rules (only the newest access token is accepted; refresh tokens rotate and an old one
 * gets 400 invalid_grant) as an axios adapter that answers in-process, one macrotask later. Only for
 * loops of thousands of requests: through msw a round trip costs about 4 ms in Node, so 1,000 refresh
 * cycles (3,000 requests) would take 12 s. Every other test goes through msw and FakeAuthApi.
 */
export class InProcessAuthServer {
  readonly apiRequests: Array<{ path: string; authorization: string | null }> = [];
  refreshCalls = 0;
  /** Called when a refresh call arrives, before it is answered: a moment when requests are waiting. */
  onRefreshCall: () => void = () => undefined;

  private issued = 0;
  private validAccessToken: string | null = null;
  private validRefreshToken: string | null = null;

  issueTokens(): { accessToken: string; refreshToken: string } {
    this.issued += 1;
    this.validAccessToken = `access-${this.issued}`;
    this.validRefreshToken = `refresh-${this.issued}`;
    return { accessToken: this.validAccessToken, refreshToken: this.validRefreshToken };
  }

  expireAccessToken(): void {
    this.validAccessToken = null;
  }

  readonly adapter: AxiosAdapter = async (config) => {
    await new Promise((resolve) => setImmediate(resolve));
    const path = new URL(config.url ?? '', config.baseURL).pathname;
    if (path === '/auth/refresh') {
      this.refreshCalls += 1;
      this.onRefreshCall();
      const { refreshToken } = JSON.parse(String(config.data)) as { refreshToken?: unknown };
      if (refreshToken !== this.validRefreshToken) return answer(config, 400, { error: 'invalid_grant' });
      return answer(config, 200, this.issueTokens());
    }
    const authorization = config.headers.get('Authorization');
    const sent = typeof authorization === 'string' ? authorization : null;
    this.apiRequests.push({ path, authorization: sent });
    if (this.validAccessToken === null || sent !== `Bearer ${this.validAccessToken}`) {
      return answer(config, 401, { error: 'invalid_token' }, { 'WWW-Authenticate': 'Bearer error="invalid_token"' });
    }
    return answer(config, 200, { path });
  };
}

/** A response as axios' own adapters settle it: a status outside 2xx rejects with an AxiosError. */
function answer(
  config: InternalAxiosRequestConfig,
  status: number,
  data: unknown,
  headers: Record<string, string> = {},
): AxiosResponse {
  const response: AxiosResponse = { data, status, statusText: '', headers: new AxiosHeaders(headers), config };
  if (status >= 200 && status < 300) return response;
  throw new AxiosError(`Request failed with status code ${status}`, AxiosError.ERR_BAD_REQUEST, config, {}, response);
}
