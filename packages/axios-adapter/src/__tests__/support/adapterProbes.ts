import { type AttachAuthOptions, attachAuth } from '@authmachine/axios';
import { type AuthSession, type AuthSessionOptions, createAuthSession } from '@authmachine/core';
import { API_ORIGIN, type FakeAuthApi } from '@authmachine/test-kit';
import axios, { type AxiosInstance, isAxiosError } from 'axios';
import { expect, vi } from 'vitest';

/**
 * How many subscribers the session's XState actor has. XState keeps them in the actor's private
 * `observers` Set and offers no public count, yet a subscription the adapter forgot to release is
 * exactly what a leak test must see; this is the one place that reads the private field, and it
 * fails loudly if a new XState release moves it.
 */
export function actorSubscriberCount(session: AuthSession): number {
  const { observers } = session.actor as unknown as { observers?: unknown };
  if (!(observers instanceof Set)) {
    throw new Error('XState no longer keeps subscribers in actor.observers: update actorSubscriberCount.');
  }
  return observers.size;
}

/** Live interceptors on an instance (`eject` leaves `null` holes in axios' `handlers`). */
export function interceptorCounts(instance: AxiosInstance): { request: number; response: number } {
  return {
    request: (instance.interceptors.request.handlers ?? []).filter(Boolean).length,
    response: (instance.interceptors.response.handlers ?? []).filter(Boolean).length,
  };
}

export interface ReceivedResponse {
  path: string;
  status: number | undefined;
}

export interface ProbedClient {
  session: AuthSession;
  api: AxiosInstance;
  detach: () => void;
  /**
   * Error answers in the order the instance received them, seen by a response interceptor that runs
   * before attachAuth's: a test can tell a request is waiting after its own 401 (and not still in
   * flight) without guessing with a sleep.
   */
  received: ReceivedResponse[];
}

/**
 * Like `attachedClient`, with a response probe registered before `attachAuth` (axios runs response
 * interceptors in the order they were added).
 */
export async function probedClient(
  server: FakeAuthApi,
  options: { session?: Partial<AuthSessionOptions>; attach?: AttachAuthOptions } = {},
): Promise<ProbedClient> {
  const api = axios.create({ baseURL: API_ORIGIN });
  const received: ReceivedResponse[] = [];
  api.interceptors.response.use(undefined, (error: unknown) => {
    if (isAxiosError(error)) {
      received.push({ path: new URL(api.getUri(error.config)).pathname, status: error.response?.status });
    }
    return Promise.reject(error);
  });
  const session = createAuthSession({
    refresh: async ({ refreshToken, signal }) =>
      (await api.post('/auth/refresh', { refreshToken }, { signal, skipAuth: true })).data,
    refreshLeeway: false,
    refreshRetries: 0,
    // Long enough that a refresh a test holds open does not time out under it.
    refreshTimeout: 5_000,
    ...options.session,
  });
  const detach = attachAuth(api, session, options.attach);
  await session.login(server.issueTokens());
  return { session, api, detach, received };
}

/** A promise the test resolves when it chooses: hold the fake's refresh with it. */
export function gate(): { promise: Promise<void>; release: () => void } {
  let release = (): void => undefined;
  const promise = new Promise<void>((resolve) => {
    release = resolve;
  });
  return { promise, release };
}

/** Lets every pending promise callback run: interceptor chains are microtasks. */
export function nextMacrotask(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/** Polls (every ms, for at most 3 s) until the assertion passes. */
export async function until(assertion: () => void): Promise<void> {
  await vi.waitFor(assertion, { interval: 1, timeout: 3_000 });
}

/** Until `count` 401s for `path` reached the instance and attachAuth's interceptor has run on them. */
export async function untilRejectedWith401(client: ProbedClient, path: string, count = 1): Promise<void> {
  await until(() => {
    const seen = client.received.filter((response) => response.path === path && response.status === 401);
    if (seen.length < count) throw new Error(`${seen.length} of ${count} 401s for ${path} received`);
  });
  await nextMacrotask();
}

/** How a promise ended by now, without waiting for it: 'pending' if it has not settled. */
export async function stateOf(promise: Promise<unknown>): Promise<'pending' | 'fulfilled' | 'rejected'> {
  return Promise.race([
    promise.then(
      () => 'fulfilled' as const,
      () => 'rejected' as const,
    ),
    nextMacrotask().then(() => 'pending' as const),
  ]);
}

/** Strings that, if found in an error message, mean a token leaked into it (the fake's tokens). */
export function expectNoTokenIn(error: unknown): void {
  expect(error).toBeInstanceOf(Error);
  expect((error as Error).message).not.toMatch(/access-\d|refresh-\d/);
}

/** The error a request rejected with; fails if it resolved. */
export async function reasonOf(promise: Promise<unknown>): Promise<unknown> {
  const [result] = await Promise.allSettled([promise]);
  if (result?.status !== 'rejected') throw new Error('The request resolved; a rejection was expected.');
  return result.reason;
}

/** A short real wait, for tests about how long something waited (ms, never seconds). */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
