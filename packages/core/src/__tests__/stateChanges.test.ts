import {
  type AuthSession,
  type AuthState,
  createAuthSession,
  stateChangesOf,
  waitUntilSettled,
} from '@authmachine/core';
import { afterEach, describe, expect, it, vi } from 'vitest';

const sessions: AuthSession[] = [];
afterEach(() => {
  vi.useRealTimers();
  for (const session of sessions.splice(0)) session.stop();
});

/** A logged-in session whose refresh the test holds until `release()`. */
async function refreshingSession(): Promise<{ session: AuthSession; release: () => void }> {
  let release = (): void => undefined;
  const session = createAuthSession({
    refresh: () =>
      new Promise((resolve) => {
        release = () => resolve({ accessToken: 'access-2' });
      }),
    refreshLeeway: false,
  });
  sessions.push(session);
  await session.login({ accessToken: 'access-1', refreshToken: 'refresh-1' });
  session.tokenRejected('access-1');
  expect(session.getSnapshot().status).toBe('refreshing');
  return { session, release: () => release() };
}

describe('stateChangesOf(session): the one source every waiting request listens to', () => {
  it('is one per session, subscribes to the actor once for any number of waiters, and lets go when none is left', async () => {
    const { session, release } = await refreshingSession();
    expect(stateChangesOf(session)).toBe(stateChangesOf(session));
    const subscribe = vi.spyOn(session.actor, 'subscribe');
    const waits = Array.from({ length: 1_000 }, () => waitUntilSettled(session));
    expect(subscribe).toHaveBeenCalledTimes(1);
    const actorSubscription = subscribe.mock.results[0]?.value as { unsubscribe(): void };
    const unsubscribe = vi.spyOn(actorSubscription, 'unsubscribe');

    release();
    const settled = await Promise.all(waits);
    expect(settled.every((wait) => wait.state.accessToken === 'access-2' && wait.sawRefreshing)).toBe(true);
    expect(unsubscribe).toHaveBeenCalledTimes(1);
  });

  it('hands on only changes users could see: 1,000 ignored 401s during a refresh give nothing', async () => {
    const { session, release } = await refreshingSession();
    const seen: AuthState[] = [];
    const subscription = stateChangesOf(session).subscribe({ next: (state) => seen.push(state) });
    // Sent to the actor itself: tokenRejected() would not even pass on an event the machine ignores.
    for (let i = 0; i < 1_000; i += 1) session.actor.send({ type: 'TOKEN_REJECTED', accessToken: 'access-1' });
    expect(seen).toEqual([]);
    release();
    await waitUntilSettled(session);
    expect(seen).toEqual([session.getSnapshot()]);
    subscription.unsubscribe();
  });

  it('completes when the session stops, and at once for a session already stopped', async () => {
    const { session } = await refreshingSession();
    const ends: string[] = [];
    stateChangesOf(session).subscribe({ complete: () => ends.push('first') });
    session.stop();
    stateChangesOf(session).subscribe({ complete: () => ends.push('after stop') });
    expect(ends).toEqual(['first', 'after stop']);
  });
});

describe('tokenRejected(token)', () => {
  it('passes on to the actor only the 401s the machine takes: the first of a storm, not the 999 during its refresh', async () => {
    let release = (): void => undefined;
    const session = createAuthSession({
      refresh: () =>
        new Promise((resolve) => {
          release = () => resolve({ accessToken: 'access-2' });
        }),
      refreshLeeway: false,
    });
    sessions.push(session);
    await session.login({ accessToken: 'access-1', refreshToken: 'refresh-1' });
    const send = vi.spyOn(session.actor, 'send');
    for (let i = 0; i < 1_000; i += 1) session.tokenRejected('access-1');
    expect(send).toHaveBeenCalledTimes(1);
    expect(session.getSnapshot().status).toBe('refreshing');
    release();
    await waitUntilSettled(session);
    // A late 401 for the old token is ignored by the machine too; one for the current token is not.
    session.tokenRejected('access-1');
    expect(send).toHaveBeenCalledTimes(1);
    session.tokenRejected('access-2');
    expect(send).toHaveBeenCalledTimes(2);
    expect(session.getSnapshot().status).toBe('refreshing');
  });
});

describe('waitUntilSettled(session, options)', () => {
  it('an aborted signal rejects that wait alone, with the signal’s reason; the others and the refresh go on', async () => {
    const { session, release } = await refreshingSession();
    const controller = new AbortController();
    const aborted = waitUntilSettled(session, { signal: controller.signal });
    const other = waitUntilSettled(session);
    const reason = new Error('the user left the page');
    controller.abort(reason);
    await expect(aborted).rejects.toBe(reason);
    await expect(waitUntilSettled(session, { signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
    release();
    await expect(other).resolves.toMatchObject({ state: { accessToken: 'access-2' } });
  });

  it('a timeout rejects with QUEUE_TIMEOUT by default, or with the error the caller builds', async () => {
    vi.useFakeTimers();
    const { session } = await refreshingSession();
    const queued = waitUntilSettled(session, { timeout: 500 });
    const custom = waitUntilSettled(session, { timeout: 800, timeoutError: (ms) => new RangeError(`${ms}`) });
    const outcomes = Promise.allSettled([queued, custom]);
    await vi.advanceTimersByTimeAsync(800);
    const [first, second] = await outcomes;
    expect(first).toMatchObject({ status: 'rejected', reason: { code: 'QUEUE_TIMEOUT' } });
    expect(second).toMatchObject({ status: 'rejected', reason: new RangeError('800') });
  });

  it('a stop() rejects the waits with SESSION_STOPPED; a wait on a stopped session rejects at once', async () => {
    const { session } = await refreshingSession();
    const waiting = waitUntilSettled(session);
    session.stop();
    await expect(waiting).rejects.toMatchObject({ code: 'SESSION_STOPPED' });
    // Its last state is still `refreshing`: a new wait must not hang on an actor that will never emit.
    expect(session.getSnapshot().status).toBe('refreshing');
    await expect(waitUntilSettled(session)).rejects.toMatchObject({ code: 'SESSION_STOPPED' });
  });
});
