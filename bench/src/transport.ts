import { AxiosError, type AxiosResponse, type InternalAxiosRequestConfig } from 'axios';

export const API_ORIGIN = 'http://api.bench.test';
export const REFRESH_PATH = '/auth/refresh';

export interface MemoryServerOptions {
  /** Ms the refresh endpoint takes to answer; 0 answers on the next macrotask (setImmediate). */
  refreshDelayMs: number;
  /** When false, every API request is answered 200 whatever it carries (the happy path). */
  checkTokens: boolean;
}

/** What the server saw: the figures a benchmark reports. */
export interface ServerCounts {
  refreshCalls: number;
  apiRequests: number;
  unauthorized: number;
}

export interface MemoryServer {
  /** An axios `adapter` answering from memory: no sockets, so only the clients' own costs remain. */
  readonly adapter: (config: InternalAxiosRequestConfig) => Promise<AxiosResponse>;
  /** The same server as a function with fetch's signature, answering with `Response`s from memory. */
  readonly fetch: typeof fetch;
  readonly counts: ServerCounts;
  /** The access token the server accepts now (null once expired). */
  readonly currentToken: string | null;
  /** Issues a first token, as a login would. */
  issueToken(): string;
  /** The current access token stops being accepted: every request carrying it gets a 401. */
  expireToken(): void;
  resetCounts(): void;
}

const OK_DATA = { ok: true };

/**
 * An in-memory auth API: `/auth/refresh` answers after a fixed delay with a new access token, any
 * other path answers at once: 200 for the current token, 401 for any other. The axios answers are
 * made the way axios' own adapters make them (a non-2xx status rejects with an AxiosError), the
 * fetch answers are `Response`s as fetch resolves them (a 401 too), so the clients see exactly
 * what they would see over HTTP.
 */
export function createMemoryServer(options: MemoryServerOptions): MemoryServer {
  const counts: ServerCounts = { refreshCalls: 0, apiRequests: 0, unauthorized: 0 };
  let tokenSerial = 0;
  let currentToken: string | null = null;

  const newToken = (): string => {
    tokenSerial += 1;
    currentToken = `access-${tokenSerial}`;
    return currentToken;
  };

  const respond = (config: InternalAxiosRequestConfig, status: number, data: unknown): AxiosResponse => ({
    data,
    status,
    statusText: status === 200 ? 'OK' : 'Unauthorized',
    headers: {},
    config,
    request: {},
  });

  const refresh = (config: InternalAxiosRequestConfig): Promise<AxiosResponse> => {
    counts.refreshCalls += 1;
    return new Promise((resolve) => {
      const answer = (): void => resolve(respond(config, 200, { accessToken: newToken() }));
      if (options.refreshDelayMs > 0) setTimeout(answer, options.refreshDelayMs);
      else setImmediate(answer);
    });
  };

  const adapter = (config: InternalAxiosRequestConfig): Promise<AxiosResponse> => {
    if (config.url === REFRESH_PATH) return refresh(config);
    counts.apiRequests += 1;
    if (!options.checkTokens) return Promise.resolve(respond(config, 200, OK_DATA));
    const authorization = config.headers.get('Authorization');
    if (currentToken !== null && authorization === `Bearer ${currentToken}`) {
      return Promise.resolve(respond(config, 200, OK_DATA));
    }
    counts.unauthorized += 1;
    const response = respond(config, 401, { error: 'invalid_token' });
    return Promise.reject(
      new AxiosError('Request failed with status code 401', AxiosError.ERR_BAD_REQUEST, config, {}, response),
    );
  };

  const fetchAnswer = (status: number, data: unknown): Response =>
    new Response(JSON.stringify(data), {
      status,
      headers: { 'content-type': 'application/json' },
    });

  const fetchStandIn = (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    if (url === `${API_ORIGIN}${REFRESH_PATH}`) {
      counts.refreshCalls += 1;
      return new Promise((resolve) => {
        const answer = (): void => resolve(fetchAnswer(200, { accessToken: newToken() }));
        if (options.refreshDelayMs > 0) setTimeout(answer, options.refreshDelayMs);
        else setImmediate(answer);
      });
    }
    counts.apiRequests += 1;
    if (!options.checkTokens) return Promise.resolve(fetchAnswer(200, OK_DATA));
    const headers = init?.headers ?? (input instanceof Request ? input.headers : undefined);
    const authorization = headers === undefined ? null : new Headers(headers).get('Authorization');
    if (currentToken !== null && authorization === `Bearer ${currentToken}`) {
      return Promise.resolve(fetchAnswer(200, OK_DATA));
    }
    counts.unauthorized += 1;
    return Promise.resolve(fetchAnswer(401, { error: 'invalid_token' }));
  };

  return {
    adapter,
    fetch: fetchStandIn as typeof fetch,
    counts,
    get currentToken() {
      return currentToken;
    },
    issueToken: newToken,
    expireToken() {
      currentToken = null;
    },
    resetCounts() {
      counts.refreshCalls = 0;
      counts.apiRequests = 0;
      counts.unauthorized = 0;
    },
  };
}
