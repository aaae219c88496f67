import {
  AuthError,
  type AuthSession,
  type AuthSessionOptions,
  type CrossTabOptions,
  createAuthSession,
  inProcessLocks,
  memoryStorage,
  type RefreshContext,
  TokenRefreshError,
  type TokenSet,
} from '@authmachine/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { rotatingServer } from './support/rotatingServer.js';

/*
 * Two (or three) sessions in one process play the tabs of one app: they share Node's real
 * BroadcastChannel (it works across objects in one process, as across tabs) and one in-process
 * Web Locks manager. Each test uses its own channel name, so tests never hear each other.
 */

const LOGIN = { accessToken: 'access-1', refreshToken: 'refresh-1', expiresIn: 3600 };
const ROTATED = { accessToken: 'access-2', refreshToken: 'refresh-2', expiresIn: 3600 };

let testNumber = 0;
const sessions: AuthSession[] = [];
const rawChannels: BroadcastChannel[] = [];

afterEach(() => {
  for (const session of sessions.splice(0)) session.stop();
  for (const channel of rawChannels.splice(0)) channel.close();
  vi.restoreAllMocks();
});

function tabs(
  count: number,
  options: Partial<AuthSessionOptions> & Pick<CrossTabOptions, 'locks' | 'handoffDelay' | 'channel'> = {},
) {
  testNumber += 1;
  const name = `test-${testNumber}-${Math.random()}`;
  const { locks: lockOption, handoffDelay, channel, ...sessionOptions } = options;
  const locks = lockOption === undefined ? inProcessLocks() : lockOption;
  const server = rotatingServer();
  const open = (): AuthSession => {
    const session = createAuthSession({
      refresh: server.refresh,
      refreshLeeway: false,
      ...sessionOptions,
      crossTab: {
        name,
        locks,
        ...(handoffDelay === undefined ? {} : { handoffDelay }),
        ...(channel === undefined ? {} : { channel }),
      },
    });
    sessions.push(session);
    return session;
  };
  return { name, server, locks, sessions: Array.from({ length: count }, open), open };
}

/** Another page of the app, or any other script, on the same channel. */
function rawChannel(name: string): BroadcastChannel {
  const channel = new BroadcastChannel(`authmachine:${name}`);
  rawChannels.push(channel);
  return channel;
}

/** A channel whose messages take 150 ms: the news is slower than the lock. */
function slowChannel(channelName: string) {
  const channel = new BroadcastChannel(channelName);
  rawChannels.push(channel);
  let closed = false;
  return {
    postMessage: (message: unknown) =>
      setTimeout(() => {
        if (!closed) channel.postMessage(message);
      }, 150),
    addEventListener: channel.addEventListener.bind(channel),
    removeEventListener: channel.removeEventListener.bind(channel),
    close: () => {
      closed = true;
      channel.close();
    },
  };
}

describe('crossTab: one refresh for every tab', () => {
  it('two tabs rejected at once make one refresh call; both go on with its tokens and nothing is reused', async () => {
    const {
      sessions: [a, b],
      server,
    } = tabs(2);
    await a?.login(LOGIN);
    await vi.waitFor(() => expect(b?.getSnapshot().accessToken).toBe('access-1'));

    // Both tabs burst requests right after expiry: each reports its 401 and waits.
    a?.tokenRejected('access-1');
    b?.tokenRejected('access-1');
    const tokens = await Promise.all([a?.waitForAccessToken(), b?.waitForAccessToken()]);

    expect(tokens).toEqual(['access-2', 'access-2']);
    expect(server.calls).toEqual(['refresh-1']);
    expect(server.reuseDetections()).toBe(0);
    expect(a?.getSnapshot().status).toBe('authenticated');
    expect(b?.getSnapshot().status).toBe('authenticated');

    // Both can refresh again later, with the rotated token: still one call each time.
    await Promise.all([a?.refresh(), b?.refresh()]);
    expect(server.calls).toEqual(['refresh-1', 'refresh-2']);
    expect(server.reuseDetections()).toBe(0);
  });

  it('with no handoff delay at all, a tab that gets the lock reads the news already on the channel first', async () => {
    const {
      sessions: [a, b],
      server,
    } = tabs(2, { handoffDelay: 0 });
    await a?.login(LOGIN);
    await vi.waitFor(() => expect(b?.getAccessToken()).toBe('access-1'));

    for (let round = 2; round <= 6; round += 1) {
      a?.tokenRejected(`access-${round - 1}`);
      b?.tokenRejected(`access-${round - 1}`);
      expect(await Promise.all([a?.waitForAccessToken(), b?.waitForAccessToken()])).toEqual([
        `access-${round}`,
        `access-${round}`,
      ]);
    }
    expect(server.calls).toEqual(['refresh-1', 'refresh-2', 'refresh-3', 'refresh-4', 'refresh-5']);
    expect(server.reuseDetections()).toBe(0);
  });

  // Under load a browser may grant the lock before the rotated tokens' message arrives (seen once
  // in Chromium on CI with handoffDelay 0): the next tab must not call with the consumed token.
  it('when the news is slower than the lock (no handoff delay), the next tab waits for it instead of reusing the token', async () => {
    const {
      sessions: [a, b],
      server,
    } = tabs(2, { handoffDelay: 0, channel: slowChannel });
    await a?.login(LOGIN);
    await vi.waitFor(() => expect(b?.getAccessToken()).toBe('access-1'));

    a?.tokenRejected('access-1');
    b?.tokenRejected('access-1');
    expect(await Promise.all([a?.waitForAccessToken(), b?.waitForAccessToken()])).toEqual(['access-2', 'access-2']);
    expect(server.calls).toEqual(['refresh-1']);
    expect(server.reuseDetections()).toBe(0);
  });

  it('a server that keeps the refresh token: each tab may still use it (no rotation mark), none waits for news', async () => {
    let issued = 1;
    const refresh = vi.fn(async ({ refreshToken }: RefreshContext): Promise<TokenSet> => {
      issued += 1;
      return { accessToken: `access-${issued}`, refreshToken, expiresIn: 3600 };
    });
    const {
      sessions: [a, b],
    } = tabs(2, { handoffDelay: 0, channel: slowChannel, refresh, refreshTimeout: 2_000 });
    await a?.login(LOGIN);
    await vi.waitFor(() => expect(b?.getAccessToken()).toBe('access-1'));
    await a?.refresh();
    // b asks before a's news can arrive: the token a used is not consumed, so b calls too.
    await b?.refresh();
    expect(refresh.mock.calls.map(([context]) => context.refreshToken)).toEqual(['refresh-1', 'refresh-1']);
    expect(b?.getSnapshot().status).toBe('authenticated');
  });

  it('five tabs, ten rounds of simultaneous refreshes: one call per round, zero reuse', async () => {
    const { sessions: all, server } = tabs(5);
    await all[0]?.login(LOGIN);
    await vi.waitFor(() => expect(all.every((tab) => tab.getSnapshot().accessToken === 'access-1')).toBe(true));
    for (let round = 0; round < 10; round += 1) {
      await Promise.all(all.map((tab) => tab.refresh()));
    }
    expect(server.calls).toHaveLength(10);
    expect(server.reuseDetections()).toBe(0);
    expect(new Set(all.map((tab) => tab.getAccessToken()))).toEqual(new Set(['access-11']));
  });

  it('a tab that gets the lock after another tab rotated uses those tokens instead of calling', async () => {
    const {
      name,
      sessions: [a],
      server,
      locks,
    } = tabs(1);
    await a?.login(LOGIN);
    // A tab restoring from (shared) storage an expired token hears of the rotation while restoring.
    let finishRestore: (tokens: TokenSet) => void = () => undefined;
    const storage = {
      ...memoryStorage(),
      get: () => new Promise<TokenSet>((resolve) => (finishRestore = resolve)),
      set: vi.fn(),
    };
    const b = createAuthSession({
      refresh: server.refresh,
      storage,
      crossTab: { name, locks },
    });
    sessions.push(b);
    await a?.refresh();
    await new Promise((resolve) => setTimeout(resolve, 10));
    finishRestore({ accessToken: 'access-1', refreshToken: 'refresh-1', expiresAt: Date.now() - 1000 });
    await expect(b.waitForAccessToken()).resolves.toBe('access-2');
    expect(server.calls).toEqual(['refresh-1']);
  });

  it('a refresh waits for the lock no longer than refreshTimeout: then a transient TokenRefreshError', async () => {
    const {
      name,
      sessions: [a],
      locks,
      server,
    } = tabs(1, { refreshTimeout: 50, refreshRetries: 0 });
    await a?.login(LOGIN);
    // Another tab holds the refresh lock and does not let go.
    let release: () => void = () => undefined;
    void locks?.request(`authmachine:${name}:refresh`, {}, () => new Promise<void>((done) => (release = done)));
    const waited = a?.refresh();
    await expect(waited).rejects.toBeInstanceOf(TokenRefreshError);
    await expect(waited).rejects.toMatchObject({ cause: { code: 'REFRESH_TIMEOUT' } });
    expect(server.calls).toEqual([]);
    expect(a?.getSnapshot()).toMatchObject({ status: 'authenticated', accessToken: 'access-1' });
    release();
  });

  it('a tab whose refresh call hangs lets go of the lock at its timeout; the other tab refreshes', async () => {
    testNumber += 1;
    const name = `hang-${testNumber}`;
    const locks = inProcessLocks();
    const server = rotatingServer();
    const hanging = vi.fn(() => new Promise<TokenSet>(() => undefined));
    const a = createAuthSession({
      refresh: hanging,
      refreshTimeout: 100,
      refreshRetries: 0,
      refreshLeeway: false,
      crossTab: { name, locks },
    });
    const b = createAuthSession({ refresh: server.refresh, refreshLeeway: false, crossTab: { name, locks } });
    sessions.push(a, b);
    await a.login(LOGIN);
    await vi.waitFor(() => expect(b.getAccessToken()).toBe('access-1'));
    const first = a.refresh().catch((error: unknown) => error);
    await vi.waitFor(() => expect(hanging).toHaveBeenCalledTimes(1));
    await expect(b.refresh()).resolves.toBe('access-2');
    expect(await first).toBeInstanceOf(TokenRefreshError);
    // The tab that failed heard of the new tokens and goes on with them.
    await vi.waitFor(() => expect(a.getAccessToken()).toBe('access-2'));
    expect(server.reuseDetections()).toBe(0);
  });
});

describe('crossTab: a session that ends in one tab ends in every tab holding it', () => {
  it("one tab's rejected refresh ends the session in the others: no refresh call of theirs, one sessionExpired each", async () => {
    // The lock is kept handoffDelay after the refused call so that the 'ended' message arrives
    // first; 200 ms rather than the default 50 keeps the count exact on a starved CI machine.
    const {
      sessions: [a, b, c],
      server,
    } = tabs(3, { handoffDelay: 200 });
    await a?.login(LOGIN);
    await vi.waitFor(() => expect(c?.getAccessToken()).toBe('access-1'));
    const expired = { a: vi.fn(), b: vi.fn(), c: vi.fn() };
    a?.on('sessionExpired', expired.a);
    b?.on('sessionExpired', expired.b);
    c?.on('sessionExpired', expired.c);
    server.revoke();

    // All three tabs meet 401s; b and c wait for the lock while a's refresh is refused.
    a?.tokenRejected('access-1');
    b?.tokenRejected('access-1');
    c?.tokenRejected('access-1');
    const waits = await Promise.allSettled([a, b, c].map((tab) => tab?.waitForAccessToken()));

    expect(server.calls).toEqual(['refresh-1']);
    expect([a, b, c].map((tab) => tab?.getSnapshot().status)).toEqual(['expired', 'expired', 'expired']);
    expect(waits.map((wait) => wait.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect(c?.getSnapshot().error).toMatchObject({
      code: 'SESSION_EXPIRED',
      message: 'The server rejected the refresh token in another tab: log in again.',
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect([expired.a, expired.b, expired.c].map((handler) => handler.mock.calls.length)).toEqual([1, 1, 1]);
  });

  it('a tab that holds another refresh token (a new login) keeps its session', async () => {
    const {
      sessions: [a],
      name,
    } = tabs(1);
    await a?.login(LOGIN);
    const other = rawChannel(name);
    other.postMessage({ source: 'authmachine', v: 1, type: 'ended', refreshToken: 'refresh-of-an-older-login' });
    other.postMessage({ source: 'authmachine', v: 1, type: 'ended', refreshToken: '' });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(a?.getSnapshot()).toMatchObject({ status: 'authenticated', accessToken: 'access-1' });

    other.postMessage({ source: 'authmachine', v: 1, type: 'ended', refreshToken: 'refresh-1' });
    await vi.waitFor(() => expect(a?.getSnapshot().status).toBe('expired'));
  });
});

describe('crossTab: logins and logouts reach every tab', () => {
  it('a logout in one tab logs the others out, once, without echo', async () => {
    const {
      sessions: [a, b],
    } = tabs(2);
    await a?.login(LOGIN);
    await vi.waitFor(() => expect(b?.getSnapshot().status).toBe('authenticated'));
    const loggedOut = { a: vi.fn(), b: vi.fn() };
    a?.on('loggedOut', loggedOut.a);
    b?.on('loggedOut', loggedOut.b);
    await a?.logout();
    await vi.waitFor(() => expect(b?.getSnapshot().status).toBe('anonymous'));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(loggedOut.a).toHaveBeenCalledTimes(1);
    expect(loggedOut.b).toHaveBeenCalledTimes(1);
    expect(a?.getSnapshot().status).toBe('anonymous');
  });

  it('a login in one tab logs the others in; a tab opened later asks and gets the session', async () => {
    const {
      sessions: [a, b],
      open,
    } = tabs(2);
    const loggedIn = vi.fn();
    b?.on('loggedIn', loggedIn);
    await a?.login(LOGIN);
    await vi.waitFor(() => expect(b?.getAccessToken()).toBe('access-1'));
    expect(loggedIn).toHaveBeenCalledTimes(1);
    const c = open();
    await vi.waitFor(() => expect(c.getAccessToken()).toBe('access-1'));
    expect(c.getSnapshot().status).toBe('authenticated');
  });

  it('ignores garbage on the channel, and messages older than the tokens it holds', async () => {
    const {
      name,
      sessions: [a],
    } = tabs(1);
    await a?.login(LOGIN);
    const before = a?.getSnapshot();
    const other = rawChannel(name);
    const garbage: unknown[] = [
      null,
      'logout',
      42,
      { type: 'logout' },
      { source: 'authmachine', v: 2, type: 'logout' },
      { source: 'authmachine', v: 1, type: 'explode' },
      { source: 'authmachine', v: 1, type: 'tokens' },
      { source: 'authmachine', v: 1, type: 'tokens', tokens: { accessToken: '', refreshToken: null } },
      { source: 'authmachine', v: 1, type: 'tokens', tokens: { accessToken: 'x', refreshToken: 5, expiresAt: null } },
      {
        source: 'authmachine',
        v: 1,
        type: 'tokens',
        tokens: { accessToken: 'x', refreshToken: null, expiresAt: null, receivedAt: Number.NaN },
      },
      // Well formed, but older than what the tab holds: messages from two tabs may cross.
      {
        source: 'authmachine',
        v: 1,
        type: 'tokens',
        tokens: { accessToken: 'old', refreshToken: 'old-refresh', expiresAt: null, receivedAt: 1 },
      },
    ];
    for (const message of garbage) other.postMessage(message);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(a?.getSnapshot()).toBe(before);
  });

  it('a session without crossTab says nothing on the channel and hears nothing', async () => {
    testNumber += 1;
    const other = rawChannel('authmachine');
    const heard = vi.fn();
    other.addEventListener('message', heard);
    const session = createAuthSession({ refresh: async () => ROTATED });
    sessions.push(session);
    await session.login(LOGIN);
    other.postMessage({ source: 'authmachine', v: 1, type: 'logout' });
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(heard).not.toHaveBeenCalled();
    expect(session.getSnapshot().status).toBe('authenticated');
  });
});

describe('crossTab: where the platform lacks a piece', () => {
  it('without Web Locks it warns, and tabs still share tokens and logouts', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    // Node 20 has no navigator.locks: the default finds none.
    expect((globalThis as { navigator?: { locks?: unknown } }).navigator?.locks).toBeUndefined();
    testNumber += 1;
    const name = `nolocks-${testNumber}`;
    const a = createAuthSession({ refresh: async () => ROTATED, crossTab: { name } });
    const b = createAuthSession({ refresh: async () => ROTATED, crossTab: { name } });
    sessions.push(a, b);
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('navigator.locks is unavailable'));
    await a.login(LOGIN);
    await vi.waitFor(() => expect(b.getAccessToken()).toBe('access-1'));
    await a.logout();
    await vi.waitFor(() => expect(b.getSnapshot().status).toBe('anonymous'));
  });

  it('without BroadcastChannel it warns and each tab keeps its own session', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    vi.stubGlobal('BroadcastChannel', undefined);
    try {
      const session = createAuthSession({ refresh: async () => ROTATED, crossTab: true });
      sessions.push(session);
      expect(warn).toHaveBeenCalledWith(expect.stringContaining('BroadcastChannel is unavailable'));
      await session.login(LOGIN);
      await expect(session.refresh()).resolves.toBe('access-2');
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it('rejects a malformed crossTab option at creation', () => {
    const refresh = async () => ROTATED;
    for (const crossTab of [
      'yes',
      { name: '' },
      { locks: {} },
      { channel: 'authmachine' },
      { handoffDelay: -1 },
      { lockTimeout: Number.NaN },
    ] as unknown as AuthSessionOptions['crossTab'][]) {
      expect(() => createAuthSession({ refresh, crossTab } as AuthSessionOptions)).toThrow(AuthError);
    }
  });
});

describe('inProcessLocks: Web Locks semantics in one process', () => {
  it('grants one holder at a time, in request order', async () => {
    const locks = inProcessLocks();
    const order: string[] = [];
    const hold = (id: string) =>
      locks.request('l', {}, async () => {
        order.push(`${id} in`);
        await new Promise((resolve) => setTimeout(resolve, 5));
        order.push(`${id} out`);
        return id;
      });
    await expect(Promise.all([hold('a'), hold('b'), hold('c')])).resolves.toEqual(['a', 'b', 'c']);
    expect(order).toEqual(['a in', 'a out', 'b in', 'b out', 'c in', 'c out']);
  });

  it('an aborted request leaves the queue; ifAvailable gets null while held; a throwing holder releases', async () => {
    const locks = inProcessLocks();
    let release: () => void = () => undefined;
    const first = locks.request('l', {}, () => new Promise<void>((done) => (release = done)));
    const controller = new AbortController();
    const queued = locks.request('l', { signal: controller.signal }, () => 'never');
    await expect(locks.request('l', { ifAvailable: true }, (lock) => lock)).resolves.toBeNull();
    controller.abort(new DOMException('gone', 'AbortError'));
    await expect(queued).rejects.toMatchObject({ name: 'AbortError' });
    release();
    await first;
    await expect(locks.request('l', {}, () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(locks.request('l', {}, () => 'free again')).resolves.toBe('free again');
  });
});
