import {
  AuthError,
  createAuthSession,
  DEFAULT_STORAGE_KEY,
  InvalidTokenResponseError,
  memoryStorage,
  type TokenSet,
  type TokenStorage,
  type WebStorageLike,
  webStorage,
} from '@authmachine/core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createDeferred, flush, HOUR, loggedInSession, recordEvents, T0, track } from './support/testKit.js';

const TOKENS: TokenSet = { accessToken: 'access-1', refreshToken: 'refresh-1', expiresAt: T0 + HOUR };

function fakeWebStorage(initial: Record<string, string> = {}): WebStorageLike & { items: Map<string, string> } {
  const items = new Map(Object.entries(initial));
  return {
    items,
    getItem: (key) => items.get(key) ?? null,
    setItem: (key, value) => {
      items.set(key, value);
    },
    removeItem: (key) => {
      items.delete(key);
    },
  };
}

describe('memoryStorage', () => {
  it('holds nothing at first, then what was set, until cleared', () => {
    const storage = memoryStorage();
    expect(storage.get()).toBeNull();
    storage.set(TOKENS);
    expect(storage.get()).toEqual(TOKENS);
    storage.clear();
    expect(storage.get()).toBeNull();
  });

  it('keeps its own copy: changing what went in or came out changes nothing stored', () => {
    const storage = memoryStorage();
    const tokens = { ...TOKENS };
    storage.set(tokens);
    tokens.accessToken = 'changed';
    const read = storage.get() as TokenSet;
    read.refreshToken = 'changed';
    expect(storage.get()).toEqual(TOKENS);
  });

  it('two memory storages do not share tokens', () => {
    const first = memoryStorage();
    first.set(TOKENS);
    expect(memoryStorage().get()).toBeNull();
  });
});

describe('webStorage', () => {
  it('writes the tokens as JSON under the default key and reads them back', () => {
    const local = fakeWebStorage();
    const storage = webStorage(local);
    storage.set(TOKENS);

    expect(DEFAULT_STORAGE_KEY).toBe('authmachine.tokens');
    expect(JSON.parse(local.items.get(DEFAULT_STORAGE_KEY) ?? 'null')).toEqual(TOKENS);
    expect(storage.get()).toEqual(TOKENS);
  });

  it('uses the key it is given and leaves other keys alone', () => {
    const local = fakeWebStorage({ other: 'kept' });
    const storage = webStorage(local, 'my-app.auth');
    storage.set(TOKENS);
    storage.clear();
    storage.set({ accessToken: 'access-2' });

    expect([...local.items.keys()].sort()).toEqual(['my-app.auth', 'other']);
    expect(local.items.get('other')).toBe('kept');
    expect(storage.get()).toEqual({ accessToken: 'access-2' });
  });

  it('get() returns null when nothing is stored, and after clear()', () => {
    const local = fakeWebStorage();
    const storage = webStorage(local);
    expect(storage.get()).toBeNull();
    storage.set(TOKENS);
    storage.clear();
    expect(storage.get()).toBeNull();
    expect(local.items.size).toBe(0);
  });

  it('get() throws an AuthError STORAGE_FAILED for a value that is not JSON', () => {
    const storage = webStorage(fakeWebStorage({ [DEFAULT_STORAGE_KEY]: '{not json' }));
    expect(() => storage.get()).toThrow(AuthError);
    expect(() => storage.get()).toThrow(expect.objectContaining({ code: 'STORAGE_FAILED' }));
  });

  it('the error for a stored value that is not JSON does not quote the value (it may be a token)', () => {
    const storage = webStorage(fakeWebStorage({ [DEFAULT_STORAGE_KEY]: 's3cr3t-tok' }));
    let thrown: unknown;
    try {
      storage.get();
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(AuthError);
    expect(JSON.stringify(thrown, Object.getOwnPropertyNames(thrown))).not.toContain('s3cr3t');
    expect(String((thrown as AuthError).cause ?? '')).not.toContain('s3cr3t');
  });

  it('keeps a session across a reload (a new session on the same storage)', async () => {
    vi.useFakeTimers({ now: T0 });
    try {
      const local = fakeWebStorage();
      const before = createAuthSession({ refresh: vi.fn(), storage: webStorage(local) });
      await before.login(TOKENS);
      before.stop();

      const after = createAuthSession({ refresh: vi.fn(), storage: webStorage(local) });
      expect(await after.waitForAccessToken()).toBe('access-1');
      expect(after.getSnapshot()).toMatchObject({ status: 'authenticated', expiresAt: T0 + HOUR });
      await after.logout();
      expect(local.items.size).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('a session on a storage that fails', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: T0 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  async function restoreFrom(storage: TokenStorage) {
    const session = createAuthSession({ refresh: vi.fn(), storage });
    const events = recordEvents(session);
    const waited = track(session.waitForAccessToken());
    await flush();
    return { session, events, waited };
  }

  const reads: Array<[string, () => TokenStorage]> = [
    [
      'get() throws',
      () => ({
        get: () => {
          throw new Error('SecurityError: storage is disabled');
        },
        set: vi.fn(),
        clear: vi.fn(),
      }),
    ],
    [
      'get() rejects',
      () => ({ get: () => Promise.reject(new Error('IndexedDB is gone')), set: vi.fn(), clear: vi.fn() }),
    ],
    ['get() returns a string', () => ({ get: () => 'access-1' as unknown as TokenSet, set: vi.fn(), clear: vi.fn() })],
    ['get() returns a number', () => ({ get: () => 42 as unknown as TokenSet, set: vi.fn(), clear: vi.fn() })],
    ['get() returns {}', () => ({ get: () => ({}) as TokenSet, set: vi.fn(), clear: vi.fn() })],
    [
      'get() returns an empty accessToken',
      () => ({ get: () => ({ accessToken: '', refreshToken: 'refresh-1' }), set: vi.fn(), clear: vi.fn() }),
    ],
    [
      'get() resolves to a bad expiresAt',
      () => ({
        get: async () => ({ accessToken: 'access-1', expiresAt: 'soon' }) as unknown as TokenSet,
        set: vi.fn(),
        clear: vi.fn(),
      }),
    ],
    ['webStorage holds text that is not JSON', () => webStorage(fakeWebStorage({ [DEFAULT_STORAGE_KEY]: 'access-1' }))],
    [
      'webStorage holds JSON that is not a token set',
      () => webStorage(fakeWebStorage({ [DEFAULT_STORAGE_KEY]: '[1,2]' })),
    ],
    [
      'webStorage getItem throws',
      () =>
        webStorage({
          getItem: () => {
            throw new DOMException('The operation is insecure.', 'SecurityError');
          },
          setItem: vi.fn(),
          removeItem: vi.fn(),
        }),
    ],
  ];

  it.each(reads)('%s → anonymous, storageFailed and the snapshot error, nothing thrown', async (_, makeStorage) => {
    const { session, events, waited } = await restoreFrom(makeStorage());

    const snapshot = session.getSnapshot();
    expect(snapshot).toMatchObject({ status: 'anonymous', isAuthenticated: false, accessToken: null });
    expect(snapshot.error).toBeInstanceOf(AuthError);
    expect((snapshot.error as AuthError).code).toBe('STORAGE_FAILED');
    expect(events).toEqual([{ name: 'storageFailed', payload: { error: snapshot.error } }]);
    expect(waited.current).toEqual({ status: 'resolved', value: null });

    // The session works: a login succeeds and clears the error.
    await session.login({ accessToken: 'access-new' });
    expect(session.getSnapshot()).toMatchObject({ status: 'authenticated', accessToken: 'access-new', error: null });
  });

  it('a stored value that is not a token set is reported with the validation error as its cause', async () => {
    const { session } = await restoreFrom({
      get: () => ({ accessToken: 42 }) as unknown as TokenSet,
      set: vi.fn(),
      clear: vi.fn(),
    });
    expect((session.getSnapshot().error as AuthError).cause).toBeInstanceOf(InvalidTokenResponseError);
  });

  it('the error get() threw is kept as the cause', async () => {
    const failure = new Error('disk on fire');
    const { session } = await restoreFrom({
      get: () => {
        throw failure;
      },
      set: vi.fn(),
      clear: vi.fn(),
    });
    expect((session.getSnapshot().error as AuthError).cause).toBe(failure);
  });

  it('get() returning undefined counts as nothing stored', async () => {
    const { session, events } = await restoreFrom({
      get: () => undefined as unknown as null,
      set: vi.fn(),
      clear: vi.fn(),
    });
    expect(session.getSnapshot()).toMatchObject({ status: 'anonymous', error: null });
    expect(events).toEqual([]);
  });

  it.each([
    [
      'throws',
      () => {
        throw new Error('QuotaExceededError');
      },
    ],
    ['rejects', () => Promise.reject(new Error('QuotaExceededError'))],
  ])('set() that %s: login still succeeds in memory and storageFailed reports it', async (_, set) => {
    const session = createAuthSession({ refresh: vi.fn(), storage: { get: () => null, set, clear: vi.fn() } });
    const events = recordEvents(session);
    await session.login({ accessToken: 'access-1', refreshToken: 'refresh-1' });
    await flush();

    expect(session.getSnapshot()).toMatchObject({ status: 'authenticated', accessToken: 'access-1' });
    expect(events.map(({ name }) => name)).toEqual(['loggedIn', 'storageFailed']);
    const error = (events[1]?.payload as { error?: AuthError } | undefined)?.error;
    if (!error) throw new Error('storageFailed carried no error');
    expect(error).toBeInstanceOf(AuthError);
    expect(error.code).toBe('STORAGE_FAILED');
    expect((error.cause as Error).message).toBe('QuotaExceededError');
  });

  it('set() that throws after a refresh: the new token is used and storageFailed reports the write', async () => {
    const { session, refresh, storage } = await loggedInSession();
    storage.set.mockImplementation(() => {
      throw new Error('QuotaExceededError');
    });
    const events = recordEvents(session);
    const refreshed = track(session.refresh());
    await flush();
    refresh.last().resolve({ accessToken: 'access-2' });
    await flush();

    expect(refreshed.current).toEqual({ status: 'resolved', value: 'access-2' });
    expect(events.map(({ name }) => name)).toEqual(['refreshed', 'storageFailed']);
  });

  it('webStorage setItem that throws (quota) is reported, not thrown', async () => {
    const local = fakeWebStorage();
    local.setItem = () => {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    };
    const session = createAuthSession({ refresh: vi.fn(), storage: webStorage(local) });
    const events = recordEvents(session);
    await expect(session.login({ accessToken: 'access-1' })).resolves.toBeUndefined();
    await flush();

    expect(events.map(({ name }) => name)).toEqual(['loggedIn', 'storageFailed']);
  });

  it('clear() that throws: logout still resolves, the session is anonymous and storageFailed reports it', async () => {
    const storage = {
      get: () => null,
      set: vi.fn(),
      clear: vi.fn(() => {
        throw new Error('cannot clear');
      }),
    };
    const session = createAuthSession({ refresh: vi.fn(), storage });
    await session.login({ accessToken: 'access-1' });
    const events = recordEvents(session);
    await expect(session.logout()).resolves.toBeUndefined();
    await flush();

    expect(session.getSnapshot()).toMatchObject({ status: 'anonymous', accessToken: null });
    expect(session.getAccessToken()).toBeNull();
    expect(events.map(({ name }) => name)).toEqual(['loggedOut', 'storageFailed']);
    expect(storage.clear).toHaveBeenCalledTimes(1);
  });
});

describe('storage writes land in order', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: T0 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('a logout right after a login clears what the slow set wrote, and resolves only then', async () => {
    const slowSet = createDeferred<void>();
    let held: TokenSet | null = null;
    const storage = {
      get: () => null,
      set: vi.fn(async (tokens: TokenSet) => {
        await slowSet.promise;
        held = tokens;
      }),
      clear: vi.fn(() => {
        held = null;
      }),
    };
    const session = createAuthSession({ refresh: vi.fn(), storage });
    await flush();
    const loggedIn = track(session.login({ accessToken: 'access-1' }));
    await flush();
    const loggedOut = track(session.logout());
    await flush();

    // clear() waits for the set() before it.
    expect(storage.clear).not.toHaveBeenCalled();
    expect(loggedOut.current.status).toBe('pending');
    slowSet.resolve();
    await flush();

    expect(storage.clear).toHaveBeenCalledTimes(1);
    expect(held).toBeNull();
    expect(loggedIn.current.status).toBe('resolved');
    expect(loggedOut.current.status).toBe('resolved');
  });
});
