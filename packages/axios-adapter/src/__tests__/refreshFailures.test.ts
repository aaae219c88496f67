import {
  AuthError,
  type AuthSession,
  InvalidTokenResponseError,
  memoryStorage,
  TokenRefreshError,
  type TokenSet,
} from '@authmachine/core';
import type { RefreshBehaviour } from '@authmachine/test-kit';
import {
  countTokenRejections,
  holdRefreshWithWaiters,
  inParallel,
  reasonsOf,
  untilIo,
  untilStatus,
} from '@authmachine/test-kit';
import { isAxiosError } from 'axios';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type Scenario, useFakeAuthServer } from './support/useFakeAuthServer.js';

const { start } = useFakeAuthServer();

const transientFailures: Array<{ answer: RefreshBehaviour; cause: (cause: unknown) => boolean }> = [
  { answer: 'server-error', cause: (cause) => isAxiosError(cause) && cause.response?.status === 500 },
  // No response at all: the connection failed.
  { answer: 'network-error', cause: (cause) => isAxiosError(cause) && cause.response === undefined },
];

describe('a refresh that fails transiently', () => {
  it.each(transientFailures)(
    'refresh answers $answer: the 10 requests waiting after their 401 and the 10 queued reject with TokenRefreshError; the session keeps its refresh token',
    async ({ answer, cause }) => {
      const scenario = await start({ session: { refreshTimeout: 5_000 } });
      const { session, fake } = scenario;
      const K = 10;
      const Q = 10;
      const failures: unknown[] = [];
      session.on('refreshFailed', ({ error }) => failures.push(error));
      const { inFlight, queued, release } = await holdRefreshWithWaiters(withGet(scenario), {
        answer,
        inFlight: K,
        queued: Q,
      });
      release();

      const errors = [...reasonsOf(await inFlight), ...reasonsOf(await queued)];
      expect(errors).toHaveLength(K + Q);
      for (const error of errors) {
        expect(error).toBeInstanceOf(TokenRefreshError);
        expect((error as TokenRefreshError).code).toBe('REFRESH_FAILED');
        expect(cause((error as TokenRefreshError).cause)).toBe(true);
      }
      expect(failures).toHaveLength(1);
      expect(fake.refreshCalls).toEqual([{ refreshToken: 'refresh-1', answered: answer }]);
      // Queued requests were not sent after the failed refresh: they would only have earned a 401.
      expect(fake.apiRequests.filter((request) => request.path.startsWith('/api/queued/'))).toEqual([]);
      // Each in-flight request went out once, with the old token: nothing was retried.
      expect(fake.apiRequests).toHaveLength(K);
      expect(session.getSnapshot()).toMatchObject({ status: 'authenticated', accessToken: 'access-1' });

      await expectNextRefreshToWork(scenario);
    },
  );

  it('refresh never answers (refreshTimeout 100 ms): the request that caused it and the 10 queued reject with TokenRefreshError', async () => {
    const { api, session, fake } = await start({ session: { refreshTimeout: 100 } });
    const Q = 10;
    fake.refreshBehaviour = 'never';
    fake.expireAccessToken();

    const trigger = inParallel(1, () => api.get('/api/trigger'));
    await untilStatus(session, 'refreshing');
    const queued = inParallel(Q, (i) => api.get(`/api/queued/${i}`));

    const errors = [...reasonsOf(await trigger), ...reasonsOf(await queued)];
    for (const error of errors) {
      expect(error).toBeInstanceOf(TokenRefreshError);
      const { cause } = error as TokenRefreshError;
      expect(cause).toBeInstanceOf(AuthError);
      expect((cause as AuthError).code).toBe('REFRESH_TIMEOUT');
    }
    expect(fake.refreshCalls).toEqual([{ refreshToken: 'refresh-1', answered: 'never' }]);
    expect(fake.apiRequests.map((request) => request.path)).toEqual(['/api/trigger']);
    expect(session.getSnapshot()).toMatchObject({ status: 'authenticated', accessToken: 'access-1' });

    await expectNextRefreshToWork({ api, session, fake });
  });

  it('a malformed refresh body: 5 waiting requests reject with TokenRefreshError caused by InvalidTokenResponseError, and nothing is stored', async () => {
    const memory = memoryStorage();
    const written: TokenSet[] = [];
    const storage = { ...memory, set: (tokens: TokenSet) => void written.push(tokens) };
    const scenario = await start({ session: { storage } });
    const { api, session, fake } = scenario;
    expect(written.map((tokens) => tokens.accessToken)).toEqual(['access-1']);
    const { inFlight, release } = await holdRefreshWithWaiters(withGet(scenario), { answer: 'malformed', inFlight: 5 });
    release();

    for (const error of reasonsOf(await inFlight)) {
      expect(error).toBeInstanceOf(TokenRefreshError);
      expect((error as TokenRefreshError).cause).toBeInstanceOf(InvalidTokenResponseError);
    }
    // A malformed answer is not retried (retries would get the same body).
    expect(fake.refreshCalls).toEqual([{ refreshToken: 'refresh-1', answered: 'malformed' }]);
    expect(written.map((tokens) => tokens.accessToken)).toEqual(['access-1']);
    expect(session.getSnapshot()).toMatchObject({ status: 'authenticated', accessToken: 'access-1' });

    await expectNextRefreshToWork({ api, session, fake });
    expect(written.map((tokens) => tokens.accessToken)).toEqual(['access-1', 'access-2']);
  });
});

describe('a refresh whose retries all fail (refreshRetries 2, fake timers for the backoff)', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('500, then a network error, then no answer: the 10 waiting requests reject with TokenRefreshError once the 3 calls failed', async () => {
    // Only the machine's timers are faked (backoff 0.5–2 s, timeout 5 s); msw and axios keep real I/O.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const { api, session, fake } = await start({ session: { refreshRetries: 2, refreshTimeout: 5_000 } });
    const K = 10;
    const rejections = countTokenRejections(session);
    const failures: unknown[] = [];
    session.on('refreshFailed', ({ error }) => failures.push(error));
    const backingOffAfter = (calls: number) => () =>
      fake.refreshCalls.length === calls && session.actor.getSnapshot().matches({ refreshing: 'backingOff' });
    fake.refreshBehaviour = 'server-error';
    fake.expireAccessToken();
    fake.holdApiResponsesUntil(K);

    const inFlight = inParallel(K, (i) => api.get(`/api/items/${i}`));
    await untilSnapshot(session, backingOffAfter(1));
    fake.refreshBehaviour = 'network-error';
    await vi.advanceTimersToNextTimerAsync(); // the first backoff: at most 1 s
    await untilSnapshot(session, backingOffAfter(2));
    fake.refreshBehaviour = 'never';
    await vi.advanceTimersToNextTimerAsync(); // the second backoff: at most 2 s
    await untilIo(() => fake.refreshCalls.length === 3, 'the third refresh call reached the server');
    expect(rejections.count).toBe(K);
    expect(session.getSnapshot().status).toBe('refreshing');
    await vi.advanceTimersToNextTimerAsync(); // the third call's timeout: 5 s

    for (const error of reasonsOf(await inFlight)) {
      expect(error).toBeInstanceOf(TokenRefreshError);
      expect(((error as TokenRefreshError).cause as AuthError).code).toBe('REFRESH_TIMEOUT');
    }
    expect(failures).toHaveLength(1);
    expect(fake.refreshCalls).toEqual([
      { refreshToken: 'refresh-1', answered: 'server-error' },
      { refreshToken: 'refresh-1', answered: 'network-error' },
      { refreshToken: 'refresh-1', answered: 'never' },
    ]);
    expect(fake.apiRequests).toHaveLength(K);
    vi.useRealTimers();
    await expectNextRefreshToWork({ api, session, fake });
  });
});

/** The scenario as the shared scene takes it: requests made through the attached instance. */
function withGet(scenario: Scenario): Scenario & { get: (path: string) => Promise<unknown> } {
  return { ...scenario, get: (path) => scenario.api.get(path) };
}

/** Resolves at the first actor snapshot (or at once) for which `condition` holds: no timer involved. */
function untilSnapshot(session: AuthSession, condition: () => boolean): Promise<void> {
  return new Promise((resolve) => {
    if (condition()) {
      resolve();
      return;
    }
    const subscription = session.actor.subscribe(() => {
      if (!condition()) return;
      subscription.unsubscribe();
      resolve();
    });
  });
}

/** The next 401 refreshes again, with the refresh token the session kept, and the request succeeds. */
async function expectNextRefreshToWork({
  api,
  session,
  fake,
}: Pick<Scenario, 'api' | 'session' | 'fake'>): Promise<void> {
  fake.refreshBehaviour = 'ok';
  const calls = fake.refreshCalls.length;
  const response = await api.get('/api/again');
  expect(response.status).toBe(200);
  expect(fake.refreshCalls.slice(calls)).toEqual([{ refreshToken: 'refresh-1', answered: 'ok' }]);
  expect(fake.apiRequests.filter((request) => request.path === '/api/again').map((r) => r.authorization)).toEqual([
    'Bearer access-1',
    'Bearer access-2',
  ]);
  expect(session.getSnapshot()).toMatchObject({ status: 'authenticated', accessToken: 'access-2', error: null });
}
