import { AuthError, type AuthSession } from '@authmachine/core';
import { createAuthFetch } from '@authmachine/fetch';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { API, type Deferred, untilStatus, useTokenServer } from './tokenServer.js';

/*
 * A call that waits for a refresh is the app's to cancel: its signal's abort rejects it at once
 * with the signal's reason, as fetch itself would, and it is never sent; the refresh and the other
 * calls go on. `queueTimeout` bounds the wait with an AuthError QUEUE_TIMEOUT.
 */

const server = useTokenServer();

afterEach(() => {
  vi.useRealTimers();
});

interface HeldRefresh {
  session: AuthSession;
  authFetch: typeof fetch;
  /** The call whose 401 started the refresh, waiting for it. */
  trigger: Promise<Response>;
  refreshGate: Deferred<void>;
}

/** The token expired; one call's 401 started a refresh that the server holds. */
async function holdRefresh(options: { queueTimeout?: number } = {}): Promise<HeldRefresh> {
  const session = await server.loggedInSession({ refreshTimeout: 60_000 });
  const authFetch = createAuthFetch(session, { allowedOrigins: [API], ...options });
  const refreshGate = server.holdRefresh();
  server.expireToken();
  const trigger = authFetch(`${API}/api/trigger`);
  await untilStatus(session, 'refreshing');
  return { session, authFetch, trigger, refreshGate };
}

/** After the refresh: the trigger and a call that did not abort succeed with the new token, one refresh. */
async function expectOthersWentOn(held: HeldRefresh, bystander: Promise<Response>): Promise<void> {
  held.refreshGate.resolve();
  expect((await held.trigger).status).toBe(200);
  expect((await bystander).status).toBe(200);
  expect(server.refreshCalls).toBe(1);
  expect(held.session.getAccessToken()).toBe('access-2');
}

function pathsSent(): string[] {
  return server.calls.map((call) => `${call.path} ${call.authorization}`);
}

describe('a call queued during a refresh', () => {
  it('with AbortSignal.abort(reason): rejects at once with that reason, unsent', async () => {
    const held = await holdRefresh();
    const reason = new Error('user left the page');
    const bystander = held.authFetch(`${API}/api/bystander`);

    const error = await held.authFetch(`${API}/api/aborted`, { signal: AbortSignal.abort(reason) }).catch((e) => e);

    expect(error).toBe(reason);
    expect(held.session.getSnapshot().status).toBe('refreshing');
    await expectOthersWentOn(held, bystander);
    expect(pathsSent().filter((line) => line.startsWith('/api/aborted'))).toEqual([]);
  });

  it('aborted while it waits: rejects with the reason while the refresh is still held', async () => {
    const held = await holdRefresh();
    const controller = new AbortController();
    const bystander = held.authFetch(`${API}/api/bystander`);
    const aborted = held.authFetch(`${API}/api/aborted`, { signal: controller.signal }).catch((e) => e);

    controller.abort('cancelled by the app');

    expect(await aborted).toBe('cancelled by the app');
    expect(held.session.getSnapshot().status).toBe('refreshing');
    await expectOthersWentOn(held, bystander);
    expect(pathsSent().filter((line) => line.startsWith('/api/aborted'))).toEqual([]);
  });

  it("a Request's own signal counts", async () => {
    const held = await holdRefresh();
    const controller = new AbortController();
    const bystander = held.authFetch(`${API}/api/bystander`);
    const aborted = held.authFetch(new Request(`${API}/api/aborted`, { signal: controller.signal })).catch((e) => e);

    controller.abort(new Error('gone'));

    expect(await aborted).toMatchObject({ message: 'gone' });
    await expectOthersWentOn(held, bystander);
  });

  it('with AbortSignal.timeout(ms): rejects with its TimeoutError once the time is up', async () => {
    const held = await holdRefresh();
    const bystander = held.authFetch(`${API}/api/bystander`);

    // AbortSignal.timeout runs on Node's own timers, which fake timers do not replace: 20 real ms.
    const error = await held.authFetch(`${API}/api/timed`, { signal: AbortSignal.timeout(20) }).catch((e) => e);

    expect(error).toBeInstanceOf(DOMException);
    expect((error as DOMException).name).toBe('TimeoutError');
    expect(held.session.getSnapshot().status).toBe('refreshing');
    await expectOthersWentOn(held, bystander);
    expect(pathsSent().filter((line) => line.startsWith('/api/timed'))).toEqual([]);
  });

  it('queueTimeout: rejects with AuthError QUEUE_TIMEOUT after that many ms, unsent', async () => {
    const held = await holdRefresh({ queueTimeout: 5_000 });
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const waiting = held.authFetch(`${API}/api/slow`).catch((e) => e);
    let settled = false;
    void waiting.then(() => {
      settled = true;
    });

    await vi.advanceTimersByTimeAsync(4_999);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    const error = await waiting;

    expect(error).toBeInstanceOf(AuthError);
    expect(error).toMatchObject({ code: 'QUEUE_TIMEOUT' });
    expect(held.session.getSnapshot().status).toBe('refreshing');
    vi.useRealTimers();
    const bystander = held.authFetch(`${API}/api/bystander`);
    await expectOthersWentOn(held, bystander);
    expect(pathsSent().filter((line) => line.startsWith('/api/slow'))).toEqual([]);
  });
});

describe('a call waiting after its own 401', () => {
  it('aborted: rejects with the reason, is not retried; the refresh goes on for the others', async () => {
    const session = await server.loggedInSession({ refreshTimeout: 60_000 });
    const authFetch = createAuthFetch(session, { allowedOrigins: [API] });
    const refreshGate = server.holdRefresh();
    server.expireToken();
    const controller = new AbortController();

    const aborted = authFetch(`${API}/api/mine`, { signal: controller.signal }).catch((e) => e);
    await untilStatus(session, 'refreshing');
    const bystander = authFetch(`${API}/api/bystander`);
    controller.abort(new Error('navigated away'));

    expect(await aborted).toMatchObject({ message: 'navigated away' });
    expect(session.getSnapshot().status).toBe('refreshing');
    refreshGate.resolve();
    expect((await bystander).status).toBe(200);
    expect(server.refreshCalls).toBe(1);
    // Sent once, with the old token: the abort stopped its retry.
    expect(pathsSent().filter((line) => line.startsWith('/api/mine'))).toEqual(['/api/mine Bearer access-1']);
  });

  it('queueTimeout also bounds the wait after a 401: QUEUE_TIMEOUT, not retried', async () => {
    const session = await server.loggedInSession({ refreshTimeout: 60_000 });
    const authFetch = createAuthFetch(session, { allowedOrigins: [API], queueTimeout: 1_000 });
    const refreshGate = server.holdRefresh();
    server.expireToken();
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });

    const waiting = authFetch(`${API}/api/mine`).catch((e) => e);
    await untilStatus(session, 'refreshing');
    await vi.advanceTimersByTimeAsync(1_000);
    const error = await waiting;

    expect(error).toBeInstanceOf(AuthError);
    expect(error).toMatchObject({ code: 'QUEUE_TIMEOUT' });
    vi.useRealTimers();
    refreshGate.resolve();
    expect(await session.waitForAccessToken()).toBe('access-2');
    expect(server.refreshCalls).toBe(1);
    expect(pathsSent()).toEqual(['/api/mine Bearer access-1']);
  });
});
