import { createAuthSession, decodeJwtExpiry, type TokenSet } from '@authmachine/core';
import { createLoadHttp, type LoadClientKind } from './loadHttp.js';

/** One call of the session's `refresh` function. */
export interface RefreshCall {
  /** Epoch ms. */
  startedAt: number;
  /** The server's expiry (the JWT's `exp`, epoch ms) of the token being replaced. */
  replacedExpiresAt: number;
  /**
   * The session's own expiry for it (`expiresIn` counted from the token's arrival): later than the
   * server's by the time the answer took, so a request sent in between meets a 401.
   */
  replacedClientExpiresAt: number;
  /** When the new tokens arrived (epoch ms); absent while running or when the call failed. */
  settledAt?: number;
  /** The server's expiry of the new access token. */
  newExpiresAt?: number;
}

/** What one session did, counted by the client. */
export interface LoadSessionRecord {
  id: string;
  client: LoadClientKind;
  sent: number;
  /** Requests that ended with a 200. */
  succeeded: number;
  /** Requests that rejected or ended with another status. */
  failed: number;
  /** The first failure's error name and message (never a token), to show when something broke. */
  firstFailure: string | null;
  readonly refreshCalls: RefreshCall[];
  /** Refresh calls started while another of this session was still running. */
  overlappingRefreshCalls: number;
  /** When the session's last request was started (epoch ms); null before the first. */
  lastRequestAt: number | null;
  /** The server's expiry of the token the session holds (after the run: the last one). */
  heldTokenExpiresAt(): number | null;
}

export interface LoadSession {
  readonly record: LoadSessionRecord;
  login(username: string, password: string): Promise<void>;
  /** One request; never rejects: its outcome goes into the record. */
  request(path: string): Promise<void>;
  /** Forgets what the record counted so far (the warm-up), keeping the session and its token. */
  resetRecord(): void;
  stop(): void;
}

/**
 * A session as an app sets it up, with the proactive timer off (`refreshLeeway: false`): every
 * refresh is caused by a request, one that found the token expired or one that met a 401, so the
 * run can check that each expiry it crossed cost exactly one refresh.
 */
export function createLoadSession(id: string, client: LoadClientKind, baseURL: string): LoadSession {
  let refreshing = 0;
  const record: LoadSessionRecord = {
    id,
    client,
    sent: 0,
    succeeded: 0,
    failed: 0,
    firstFailure: null,
    refreshCalls: [],
    overlappingRefreshCalls: 0,
    lastRequestAt: null,
    heldTokenExpiresAt: () => decodeJwtExpiry(session.getSnapshot().accessToken),
  };
  const session = createAuthSession({
    refreshLeeway: false,
    refresh: async ({ refreshToken, signal }) => {
      const held = session.getSnapshot();
      const call: RefreshCall = {
        startedAt: Date.now(),
        replacedExpiresAt: decodeJwtExpiry(held.accessToken) ?? Number.NaN,
        replacedClientExpiresAt: held.expiresAt ?? Number.NaN,
      };
      record.refreshCalls.push(call);
      if (refreshing > 0) record.overlappingRefreshCalls += 1;
      refreshing += 1;
      try {
        const tokens = await http.post<TokenSet>('/auth/refresh', { refreshToken }, signal);
        call.settledAt = Date.now();
        call.newExpiresAt = decodeJwtExpiry(tokens.accessToken) ?? Number.NaN;
        return tokens;
      } finally {
        refreshing -= 1;
      }
    },
  });
  const http = createLoadHttp(client, baseURL, session, id);

  return {
    record,
    async login(username, password) {
      await session.login(await http.post<TokenSet>('/auth/login', { username, password }));
    },
    async request(path) {
      record.sent += 1;
      record.lastRequestAt = Date.now();
      try {
        const status = await http.get(path);
        if (status === 200) record.succeeded += 1;
        else fail(`answered ${status}`);
      } catch (error) {
        fail(error instanceof Error ? `${error.name}: ${error.message}` : String(error));
      }
    },
    resetRecord() {
      Object.assign(record, { sent: 0, succeeded: 0, failed: 0, firstFailure: null, overlappingRefreshCalls: 0 });
      record.refreshCalls.length = 0;
      record.lastRequestAt = null;
    },
    stop() {
      http.close();
      session.stop();
    },
  };

  function fail(description: string): void {
    record.failed += 1;
    record.firstFailure ??= description.slice(0, 200);
  }
}
