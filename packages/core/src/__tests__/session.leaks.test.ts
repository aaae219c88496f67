import { type AuthSession, createAuthSession } from '@authmachine/core';
import { describe, expect, it, vi } from 'vitest';
import { controllableRefresh, loggedInSession, useFakeClock } from './support/testKit.js';

useFakeClock();

/** The actor's own bookkeeping (XState internals): a subscription or invoked actor left behind shows here. */
interface ActorInternals {
  observers: Set<unknown>;
  eventListeners: Map<string, Set<unknown>>;
}

/** Everything that grows when a session leaks: timers, actor observers and listeners, child actors. */
function measure(session: AuthSession, abortListeners: () => number) {
  const internals = session.actor as unknown as ActorInternals;
  return {
    timers: vi.getTimerCount(),
    observers: internals.observers.size,
    eventListeners: [...internals.eventListeners.values()].reduce((sum, set) => sum + set.size, 0),
    children: Object.keys(session.actor.getSnapshot().children).length,
    abortListeners: abortListeners(),
  };
}

/** A signal that counts its live 'abort' listeners. */
function countedSignal(): { signal: AbortSignal; live(): number } {
  const { signal } = new AbortController();
  let live = 0;
  const add = signal.addEventListener.bind(signal);
  const remove = signal.removeEventListener.bind(signal);
  signal.addEventListener = ((type: string, listener: EventListener, options?: AddEventListenerOptions) => {
    if (type === 'abort') live += 1;
    add(type, listener, options);
  }) as AbortSignal['addEventListener'];
  signal.removeEventListener = ((type: string, listener: EventListener, options?: EventListenerOptions) => {
    if (type === 'abort') live -= 1;
    remove(type, listener, options);
  }) as AbortSignal['removeEventListener'];
  return { signal, live: () => live };
}

describe('no leaks', () => {
  it('1,000 refresh cycles leave no more timers, listeners or actors than one does', async () => {
    const { session, refresh, storage } = await loggedInSession();
    const { signal, live } = countedSignal();
    let stateCalls = 0;
    let refreshedCalls = 0;

    const cycle = async (index: number): Promise<void> => {
      // Each cycle adds fresh listeners and removes them: a removal that failed would keep them hearing.
      const unsubscribe = session.subscribe(() => {
        stateCalls += 1;
      });
      const off = session.on('refreshed', () => {
        refreshedCalls += 1;
      });
      const current = session.getAccessToken() ?? '';
      session.tokenRejected(current);
      const waited = session.waitForAccessToken({ signal, timeout: 60_000 });
      refresh.last().resolve({ accessToken: `access-${index}`, refreshToken: `refresh-${index}`, expiresIn: 3600 });
      await expect(waited).resolves.toBe(`access-${index}`);
      unsubscribe();
      off();
    };

    await cycle(0);
    const afterOne = measure(session, live);
    for (let index = 1; index < 1_000; index += 1) await cycle(index);
    const afterThousand = measure(session, live);

    expect(afterThousand).toEqual(afterOne);
    expect(afterOne).toMatchObject({ timers: 1, children: 0, abortListeners: 0 });
    expect(refresh.fn).toHaveBeenCalledTimes(1_000);
    expect(storage.set).toHaveBeenCalledTimes(1_000);
    expect(refresh.last().ctx.refreshToken).toBe('refresh-998');
    // Each listener heard only its own cycle: refreshing, then authenticated.
    expect(stateCalls).toBe(2_000);
    expect(refreshedCalls).toBe(1_000);
    expect(session.getSnapshot()).toMatchObject({ status: 'authenticated', accessToken: 'access-999' });
  });

  it('1,000 waits that time out or are aborted leave nothing behind', async () => {
    const { session } = await loggedInSession();
    session.tokenRejected('access-1');
    const { signal, live } = countedSignal();
    const before = measure(session, live);

    for (let index = 0; index < 1_000; index += 1) {
      const controller = new AbortController();
      const aborted = session.waitForAccessToken({ signal: controller.signal });
      const timedOut = session.waitForAccessToken({ signal, timeout: 1 }).catch((error: unknown) => error);
      controller.abort();
      await expect(aborted).rejects.toBeInstanceOf(DOMException);
      await vi.advanceTimersByTimeAsync(1);
      expect(await timedOut).toMatchObject({ name: 'TimeoutError' });
    }

    expect(measure(session, live)).toEqual(before);
  });

  it('stop() leaves no timer, no observer and no listener on the actor', async () => {
    const refresh = controllableRefresh();
    const session = createAuthSession({ refresh: refresh.fn });
    await session.login({ accessToken: 'access-1', refreshToken: 'refresh-1', expiresIn: 3600 });
    session.subscribe(() => undefined);
    session.on('refreshed', () => undefined);
    session.tokenRejected('access-1');
    void session.waitForAccessToken({ timeout: 60_000 }).catch(() => undefined);
    expect(vi.getTimerCount()).toBeGreaterThan(0);

    session.stop();
    const internals = session.actor as unknown as ActorInternals;
    expect(vi.getTimerCount()).toBe(0);
    expect(internals.observers.size).toBe(0);
    expect(internals.eventListeners.size).toBe(0);
    expect(refresh.last().ctx.signal.aborted).toBe(true);
  });

  it('100 sessions created and stopped leave no timer', async () => {
    for (let index = 0; index < 100; index += 1) {
      const session = createAuthSession({ refresh: async () => ({ accessToken: 'access-2' }) });
      await session.login({ accessToken: 'access-1', refreshToken: 'refresh-1', expiresIn: 3600 });
      session.stop();
    }
    expect(vi.getTimerCount()).toBe(0);
  });
});
