import { attachAuth } from '@authmachine/axios';
import {
  type AuthSession,
  type CrossTabOptions,
  createAuthSession,
  type TokenSet,
  type TokenStorage,
} from '@authmachine/core';
import type { TokenResponse } from '@authmachine/example-server';
import { createAuthFetch, skipAuth } from '@authmachine/fetch';
import axios, { AxiosHeaders } from 'axios';
import type { RunRecord } from './runRecord.js';
import type { ChaosScenario, ClientKind } from './scenario.js';
import type { FamilyRegistry } from './tokenFamilies.js';

/** Ms an API call may take on the wire (axios `timeout`, fetch `AbortSignal.timeout`). */
export const HTTP_TIMEOUT_MS = 2_000;

export interface TabEnvironment {
  index: number;
  client: ClientKind;
  baseURL: string;
  scenario: ChaosScenario;
  /** The device clock every tab reads, moved by the scenario's clock jumps. */
  now: () => number;
  crossTab: CrossTabOptions | undefined;
  families: FamilyRegistry;
  record: RunRecord;
}

/** One simulated browser tab: its session, its storage, its app's HTTP client with the adapter attached. */
export interface ChaosTab {
  readonly index: number;
  readonly session: AuthSession;
  /** What the tab's storage holds now. */
  stored(): TokenSet | null;
  /** A GET through the adapter: resolves with the status (fetch resolves a 401), rejects on errors. */
  get(url: string, signal?: AbortSignal): Promise<number>;
  /** `POST /auth/login` as ada, without the session's token. */
  loginRequest(): Promise<TokenResponse>;
  close(): void;
}

/** A non-2xx answer to a fetch call, shaped as the session's `isSessionEnded` reads it (`status`, `data`). */
class HttpStatusError extends Error {
  override readonly name = 'HttpStatusError';
  constructor(
    readonly status: number,
    readonly data: unknown,
  ) {
    super(`HTTP ${status}`);
  }
}

export function createChaosTab(env: TabEnvironment): ChaosTab {
  const { index, baseURL, scenario, record, families } = env;
  const apiOrigin = new URL(baseURL).origin;
  const storage = spyStorage();

  const noteSent = (url: URL, authorization: string | null | undefined): void => {
    const token = authorization?.startsWith('Bearer ') ? authorization.slice('Bearer '.length) : null;
    record.sent.push({
      tab: index,
      at: performance.now(),
      origin: url.origin === apiOrigin ? 'api' : 'foreign',
      path: url.pathname,
      token,
    });
  };

  // The session needs the client for its refresh, the client needs the session: the session calls
  // refresh only after a login, never while it is being created.
  let post: ((path: string, body: unknown, signal?: AbortSignal) => Promise<unknown>) | null = null;
  const session = createAuthSession({
    storage,
    now: env.now,
    refreshTimeout: scenario.refreshTimeout,
    refreshRetries: scenario.refreshRetries,
    refreshLeeway: scenario.refreshLeeway,
    ...(env.crossTab ? { crossTab: env.crossTab } : {}),
    ...(scenario.revokeOnLogout
      ? {
          revoke: async ({ refreshToken, signal }) => {
            if (refreshToken !== null) await post?.('/auth/logout', { refreshToken }, signal);
          },
        }
      : {}),
    refresh: async ({ refreshToken, signal }) => {
      if (post === null) throw new Error('refresh before the HTTP client existed');
      const call = {
        tab: index,
        family: families.ofRefreshToken(refreshToken),
        start: performance.now(),
        end: 0,
        ok: false,
      };
      record.refreshCalls.push(call);
      try {
        const tokens = (await post('/auth/refresh', { refreshToken }, signal)) as TokenResponse;
        families.issued(tokens.accessToken, tokens.refreshToken);
        call.ok = true;
        return tokens;
      } finally {
        call.end = performance.now();
      }
    },
  });

  if (env.client === 'axios') {
    const httpAdapter = axios.getAdapter('http');
    const api = axios.create({
      baseURL,
      timeout: HTTP_TIMEOUT_MS,
      adapter: (config) => {
        noteSent(
          new URL(config.url ?? '/', config.baseURL),
          AxiosHeaders.from(config.headers).get('authorization') as string | null,
        );
        return httpAdapter(config);
      },
    });
    const detach = attachAuth(api, session, { allowedOrigins: [apiOrigin], queueTimeout: scenario.queueTimeout });
    post = async (path, body, signal) =>
      (await api.post(path, body, { skipAuth: true, ...(signal ? { signal } : {}) })).data;
    return {
      index,
      session,
      stored: storage.peek,
      get: async (url, signal) => (await api.get(url, signal ? { signal } : {})).status,
      loginRequest: async () =>
        (await post?.('/auth/login', { username: 'ada', password: 'lovelace' })) as TokenResponse,
      close() {
        detach();
        session.stop();
      },
    };
  }

  const recordingFetch: typeof fetch = (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const headers = new Headers(init?.headers ?? (input instanceof Request ? input.headers : undefined));
    noteSent(url, headers.get('authorization'));
    return fetch(input, init);
  };
  const authFetch = createAuthFetch(session, {
    fetch: recordingFetch,
    allowedOrigins: [apiOrigin],
    queueTimeout: scenario.queueTimeout,
  });
  post = async (path, body, signal) => {
    const response = await authFetch(new URL(path, baseURL), {
      method: 'POST',
      headers: skipAuth({ 'content-type': 'application/json' }),
      body: JSON.stringify(body),
      ...(signal ? { signal } : {}),
    });
    const text = await response.text();
    const data: unknown = text === '' ? null : JSON.parse(text);
    if (!response.ok) throw new HttpStatusError(response.status, data);
    return data;
  };
  return {
    index,
    session,
    stored: storage.peek,
    async get(url, signal) {
      const timeout = AbortSignal.timeout(HTTP_TIMEOUT_MS);
      const response = await authFetch(new URL(url, baseURL), {
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
      await response.arrayBuffer();
      return response.status;
    },
    loginRequest: async () => (await post?.('/auth/login', { username: 'ada', password: 'lovelace' })) as TokenResponse,
    close: () => session.stop(),
  };
}

/** A Map-backed storage, like `memoryStorage()`, whose content the invariants can read at any time. */
function spyStorage(): TokenStorage & { peek(): TokenSet | null } {
  const cells = new Map<'tokens', TokenSet>();
  return {
    get: () => cells.get('tokens') ?? null,
    set: (tokens) => {
      cells.set('tokens', { ...tokens });
    },
    clear: () => {
      cells.delete('tokens');
    },
    peek: () => cells.get('tokens') ?? null,
  };
}
