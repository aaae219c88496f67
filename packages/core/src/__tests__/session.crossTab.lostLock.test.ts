import {
  type AuthSession,
  type CrossTabChannel,
  type CrossTabLocks,
  createAuthSession,
  inProcessLocks,
  type RefreshContext,
  TokenRefreshError,
  type TokenSet,
} from '@authmachine/core';
import { type RunningAuthServer, startAuthServer } from '@authmachine/example-server';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';

/*
 * A tab that froze (a background tab the browser froze, a debugger pause, a long task) while it
 * held the refresh lock. Two sessions in one process play the tabs; the "frozen" one has its lock
 * requests, its incoming channel messages and, where it matters, the answer of its refresh call held
 * back until it wakes, as a frozen page runs none of its tasks. The server is the reference server
 * over loopback: it rotates refresh tokens and revokes the whole family when one is reused.
 */

const REFRESH_TIMEOUT = 800;
const LOCK_TIMEOUT = 100;

let server: RunningAuthServer;
let slowServer: RunningAuthServer;
let testNumber = 0;
const sessions: AuthSession[] = [];
const channels: BroadcastChannel[] = [];

beforeAll(async () => {
  server = await startAuthServer();
  // Each refresh waits 150 ms on the server before it rotates: a call can be caught mid-flight.
  slowServer = await startAuthServer({ refreshDelay: 150 });
});
afterAll(async () => {
  await server?.close();
  await slowServer?.close();
});
afterEach(() => {
  vi.restoreAllMocks();
  for (const session of sessions.splice(0)) session.stop();
  for (const channel of channels.splice(0)) channel.close();
});

const post = (body: unknown, signal?: AbortSignal): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
  ...(signal ? { signal } : {}),
});

/** The app's refresh function against `on`; `beforeAnswer` runs once the server has answered. */
function refreshAgainst(on: RunningAuthServer, beforeAnswer: () => Promise<void> = async () => undefined) {
  return async ({ refreshToken, signal }: RefreshContext): Promise<TokenSet> => {
    const response = await fetch(`${on.url}/auth/refresh`, post({ refreshToken }, signal));
    const body = (await response.json()) as TokenSet;
    await beforeAnswer();
    if (!response.ok) throw Object.assign(new Error('refresh refused'), { status: response.status });
    return body;
  };
}

const loginAt = (on: RunningAuthServer) => async (): Promise<TokenSet> =>
  (await fetch(`${on.url}/auth/login`, post({ username: 'ada', password: 'lovelace' }))).json() as Promise<TokenSet>;

/** What an API request with this token gets from the server. */
async function apiStatus(on: RunningAuthServer, token: string | null): Promise<number> {
  const response = await fetch(`${on.url}/api/me`, { headers: { authorization: `Bearer ${token}` } });
  await response.arrayBuffer();
  return response.status;
}

/** A tab that can be frozen: its lock requests and the messages it receives wait until it wakes. */
function freezableTab(locks: CrossTabLocks, lockName: string) {
  let wake: () => void = () => undefined;
  let woken: Promise<void> = Promise.resolve();
  const held: Array<() => void> = [];
  let frozen = false;
  const later = <T>(run: () => Promise<T>): Promise<T> => woken.then(run);
  return {
    // Only the refresh lock itself is granted while frozen: it models a tab that froze right after
    // the grant (the browser grants; the tab runs nothing more).
    locks: {
      request: (name, options, callback) =>
        name === lockName
          ? locks.request(name, options, callback)
          : later(() => locks.request(name, options, callback)),
      query: () => later(async () => (locks.query ? locks.query() : { held: [] })),
    } satisfies CrossTabLocks,
    channel: (name: string): CrossTabChannel => {
      const channel = new BroadcastChannel(name);
      channels.push(channel);
      const listeners = new Map<unknown, (event: MessageEvent) => void>();
      return {
        postMessage: (message) => channel.postMessage(message),
        addEventListener: (type, listener) => {
          const gated = (event: MessageEvent): void => {
            if (frozen) held.push(() => listener(event));
            else listener(event);
          };
          listeners.set(listener, gated);
          channel.addEventListener(type, gated);
        },
        removeEventListener: (type, listener) => {
          const gated = listeners.get(listener);
          if (gated) channel.removeEventListener(type, gated);
        },
        close: () => channel.close(),
      };
    },
    freeze() {
      frozen = true;
      woken = new Promise((resolve) => {
        wake = resolve;
      });
    },
    /**
     * The messages that came meanwhile are already queued: delivered in the next task. A frozen
     * page's queued tasks run in no promised order, so its own work (a lock grant, the answer of
     * its call) may come first.
     */
    wake({ messagesAfter = 0 }: { messagesAfter?: number } = {}) {
      frozen = false;
      const queued = held.splice(0);
      const deliverAll = (): void => {
        for (const deliver of queued) deliver();
      };
      if (messagesAfter > 0) setTimeout(deliverAll, messagesAfter);
      else setImmediate(deliverAll);
      wake();
    },
  };
}

function twoTabs(on: RunningAuthServer, holderRefresh = refreshAgainst(on)) {
  testNumber += 1;
  const name = `lost-lock-${testNumber}-${Math.random()}`;
  const lockName = `authmachine:${name}:refresh`;
  const locks = inProcessLocks();
  const frozenTab = freezableTab(locks, lockName);
  const a = createAuthSession({
    refresh: holderRefresh,
    refreshLeeway: false,
    refreshRetries: 0,
    // The frozen tab's own timer must not fire while it sleeps here (a frozen page's does not).
    refreshTimeout: 10_000,
    crossTab: { name, locks: frozenTab.locks, channel: frozenTab.channel, lockTimeout: LOCK_TIMEOUT },
  });
  const b = createAuthSession({
    refresh: refreshAgainst(on),
    refreshLeeway: false,
    refreshRetries: 0,
    refreshTimeout: REFRESH_TIMEOUT,
    crossTab: { name, locks, lockTimeout: LOCK_TIMEOUT },
  });
  sessions.push(a, b);
  return { a, b, frozenTab, locks, lockName, name };
}

async function loggedIn(a: AuthSession, b: AuthSession, on: RunningAuthServer): Promise<string> {
  await a.login(loginAt(on));
  const token = a.getAccessToken();
  await expect.poll(() => b.getAccessToken()).toBe(token);
  on.resetStats();
  return token ?? '';
}

describe('crossTab: a tab that froze holding the refresh lock', () => {
  it('a lock held by a tab that never lets go: the other tab takes it over within refreshTimeout, one refresh call, a working token', async () => {
    const { a, b, locks, lockName } = twoTabs(server);
    const before = await loggedIn(a, b, server);
    a.stop();
    // A tab that took the refresh lock and froze before it did anything with it.
    void locks.request(lockName, {}, () => new Promise<never>(() => undefined)).catch(() => undefined);

    const started = Date.now();
    const token = await b.refresh();
    const took = Date.now() - started;

    expect(took).toBeLessThan(REFRESH_TIMEOUT);
    expect(token).not.toBe(before);
    expect(await apiStatus(server, token)).toBe(200);
    expect(server.stats()).toMatchObject({ refreshRequests: 1, refreshes: 1, reuseDetections: 0 });
  });

  it('the holder froze before its call: the other tab refreshes; the holder wakes, sends nothing and takes those tokens', async () => {
    const { a, b, frozenTab } = twoTabs(server);
    const before = await loggedIn(a, b, server);

    // A starts a refresh, is granted the lock and freezes before it sends its refresh token.
    frozenTab.freeze();
    const fromA = a.refresh().catch((error: unknown) => error);
    const started = Date.now();
    const fromB = await b.refresh();
    expect(Date.now() - started).toBeLessThan(REFRESH_TIMEOUT);
    expect(fromB).not.toBe(before);

    // Worst case: its own work runs before the news that came while it slept.
    frozenTab.wake({ messagesAfter: 100 });
    await expect.poll(() => a.getAccessToken()).toBe(fromB);
    await fromA;
    expect(a.getSnapshot().status).toBe('authenticated');
    expect(b.getAccessToken()).toBe(fromB);
    expect(await apiStatus(server, fromB)).toBe(200);
    // One call, B's: the woken tab did not send the token B had already rotated.
    expect(server.stats()).toMatchObject({ refreshRequests: 1, refreshes: 1, refreshFailures: 0, reuseDetections: 0 });
    // And the session goes on: the next refresh, from either tab, is answered.
    expect(await apiStatus(server, await a.refresh())).toBe(200);
    expect(server.stats()).toMatchObject({ refreshes: 2, reuseDetections: 0 });
  });

  it('the holder froze mid-call: the other tab never sends the token it sent, settles within refreshTimeout, then adopts the rotation the holder brings when it wakes', async () => {
    let answerRead: () => void = () => undefined;
    let readAnswer: Promise<void> = Promise.resolve();
    const { a, b, frozenTab } = twoTabs(
      slowServer,
      refreshAgainst(slowServer, () => readAnswer),
    );
    const before = await loggedIn(a, b, slowServer);

    // A's refresh call reaches the server; A freezes before it reads the answer (the server rotates).
    readAnswer = new Promise((resolve) => {
      answerRead = resolve;
    });
    const fromA = a.refresh().catch((error: unknown) => error);
    await expect.poll(() => slowServer.stats().refreshRequests).toBe(1);
    frozenTab.freeze();

    // B needs a refresh meanwhile: it takes the lock over but must not send the same token.
    const started = Date.now();
    const fromB = await b.refresh().catch((error: unknown) => error);
    const took = Date.now() - started;
    expect(fromB).toBeInstanceOf(TokenRefreshError);
    expect(took).toBeLessThan(REFRESH_TIMEOUT + 200);
    expect(b.getSnapshot()).toMatchObject({ status: 'authenticated', accessToken: before });
    expect(slowServer.stats()).toMatchObject({ refreshRequests: 1, reuseDetections: 0 });

    // A wakes and reads its answer: its rotation is the newest, and B takes it.
    answerRead();
    frozenTab.wake();
    const rotated = await fromA;
    if (typeof rotated !== 'string') throw new Error(`A's refresh failed: ${String(rotated)}`);
    await expect.poll(() => b.getAccessToken()).toBe(rotated);
    expect(await apiStatus(slowServer, rotated)).toBe(200);
    // B's next refresh sends the rotated token, never the consumed one.
    expect(await apiStatus(slowServer, await b.refresh())).toBe(200);
    expect(slowServer.stats()).toMatchObject({ refreshRequests: 2, refreshes: 2, reuseDetections: 0 });
  });

  it('a logout while the holder was frozen mid-call: its late rotation is not posted, and no tab is logged back in', async () => {
    let answerRead: () => void = () => undefined;
    let readAnswer: Promise<void> = Promise.resolve();
    let answered = false;
    const { a, b, frozenTab } = twoTabs(
      slowServer,
      refreshAgainst(slowServer, () => {
        answered = true;
        return readAnswer;
      }),
    );
    await loggedIn(a, b, slowServer);
    readAnswer = new Promise((resolve) => {
      answerRead = resolve;
    });
    const fromA = a.refresh().catch((error: unknown) => error);
    // The server rotated and answered; A froze before it read the answer.
    await expect.poll(() => answered).toBe(true);
    frozenTab.freeze();

    b.subscribe((st) => console.log('B', st.status));
    a.subscribe((st) => console.log('A', st.status));
    await b.logout();
    answerRead();
    frozenTab.wake();
    console.log('fromA', await fromA);
    await new Promise((resolve) => setTimeout(resolve, 50));

    expect(b.getSnapshot()).toMatchObject({ status: 'anonymous', accessToken: null });
    expect(a.getSnapshot()).toMatchObject({ status: 'anonymous', accessToken: null });
  });

  it("an answer read after the tab's own timeout (its retries left) is still its session's: posted, taken by its retry and by the other tab", async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0);
    testNumber += 1;
    const name = `lost-lock-${testNumber}`;
    const locks = inProcessLocks();
    let answerRead: () => void = () => undefined;
    const readAnswer = new Promise<void>((resolve) => {
      answerRead = resolve;
    });
    let asleep = false;
    const a = createAuthSession({
      // A tab asleep through its timeout: it reads the answer the server sent only after that.
      refresh: refreshAgainst(slowServer, () => (asleep ? readAnswer : Promise.resolve())),
      refreshLeeway: false,
      refreshRetries: 2,
      refreshTimeout: 200,
      crossTab: { name, locks, lockTimeout: LOCK_TIMEOUT },
    });
    const b = createAuthSession({
      refresh: refreshAgainst(slowServer),
      refreshLeeway: false,
      crossTab: { name, locks, lockTimeout: LOCK_TIMEOUT },
    });
    sessions.push(a, b);
    await loggedIn(a, b, slowServer);
    asleep = true;
    const fromA = a.refresh();
    // The first attempt times out (the answer is not read yet); then the tab reads it.
    await new Promise((resolve) => setTimeout(resolve, 300));
    answerRead();
    const token = await fromA;
    expect(await apiStatus(slowServer, token)).toBe(200);
    await expect.poll(() => b.getAccessToken()).toBe(token);
    expect(slowServer.stats()).toMatchObject({ refreshRequests: 1, refreshes: 1, reuseDetections: 0 });
  });

  it('a lockTimeout longer than refreshTimeout still comes: the wait is counted across attempts', async () => {
    testNumber += 1;
    const name = `lost-lock-${testNumber}`;
    const locks = inProcessLocks();
    const b = createAuthSession({
      refresh: refreshAgainst(server),
      refreshLeeway: false,
      refreshRetries: 0,
      refreshTimeout: 100,
      crossTab: { name, locks, lockTimeout: 250 },
    });
    sessions.push(b);
    await b.login(loginAt(server));
    server.resetStats();
    void locks
      .request(`authmachine:${name}:refresh`, {}, () => new Promise<never>(() => undefined))
      .catch(() => undefined);

    const attempts: unknown[] = [];
    for (let attempt = 0; attempt < 4 && typeof attempts.at(-1) !== 'string'; attempt += 1) {
      attempts.push(await b.refresh().catch((error: unknown) => error));
    }
    expect(attempts.slice(0, -1).every((attempt) => attempt instanceof TokenRefreshError)).toBe(true);
    expect(attempts.length).toBeLessThanOrEqual(3);
    expect(await apiStatus(server, attempts.at(-1) as string)).toBe(200);
    expect(server.stats()).toMatchObject({ refreshRequests: 1, refreshes: 1, reuseDetections: 0 });
  });
});

describe('inProcessLocks: steal', () => {
  it('a steal releases the holder at once: its request rejects with an AbortError, its callback runs on, its end frees nothing', async () => {
    const locks = inProcessLocks();
    let finishFirst: () => void = () => undefined;
    const events: string[] = [];
    const first = locks.request('l', {}, async () => {
      await new Promise<void>((done) => {
        finishFirst = done;
      });
      events.push('first callback ended');
      return 'first';
    });
    const queued = locks.request('l', {}, () => events.push('queued granted'));
    let finishThief: () => void = () => undefined;
    const thief = locks.request('l', { steal: true }, async () => {
      events.push('thief granted');
      await new Promise<void>((done) => {
        finishThief = done;
      });
    });
    await expect(first).rejects.toMatchObject({ name: 'AbortError' });
    await expect.poll(() => events).toEqual(['thief granted']);
    finishFirst();
    await new Promise((resolve) => setTimeout(resolve, 10));
    // The stolen holder's end did not hand the thief's lock to the queue.
    expect(events).toEqual(['thief granted', 'first callback ended']);
    await expect(locks.request('l', { ifAvailable: true }, (lock) => lock)).resolves.toBeNull();
    finishThief();
    await thief;
    await queued;
    expect(events).toEqual(['thief granted', 'first callback ended', 'queued granted']);
  });
});
