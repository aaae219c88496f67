import { type AuthSession, createAuthSession, inProcessLocks, type TokenSet } from '@authmachine/core';
import { afterEach, describe, expect, it } from 'vitest';

/*
 * Found by the randomized fault tests (chaos/, seed 4004): a logout in one tab crossing, on the
 * channel, the news of a refresh another tab made before it heard of the logout. The tab that logged
 * out took the rotated tokens (an anonymous tab adopts what it hears) while every other tab went
 * anonymous: the user logged out, yet that tab went on sending the session's token.
 */

const sessions: AuthSession[] = [];
const channels: BroadcastChannel[] = [];
afterEach(() => {
  for (const session of sessions.splice(0)) session.stop();
  for (const channel of channels.splice(0)) channel.close();
});

const LOGIN = { accessToken: 'access-1', refreshToken: 'refresh-1', expiresIn: 3600 };

function tab(name: string, locks: ReturnType<typeof inProcessLocks>): AuthSession {
  const session = createAuthSession({
    refresh: async (): Promise<TokenSet> => ({ accessToken: 'access-2', refreshToken: 'refresh-2', expiresIn: 3600 }),
    refreshLeeway: false,
    crossTab: { name, locks },
  });
  sessions.push(session);
  return session;
}

describe('crossTab: a logout crossing another tab’s news', () => {
  it('a rotation that reaches a tab after its logout is not adopted: the logout stands', async () => {
    const name = `logout-race-${Math.random()}`;
    const session = tab(name, inProcessLocks());
    await session.login(LOGIN);
    await session.logout();

    // What the other tab posted as it rotated, before the logout reached it (a raw channel plays it).
    const otherTab = new BroadcastChannel(`authmachine:${name}`);
    channels.push(otherTab);
    otherTab.postMessage({
      source: 'authmachine',
      v: 1,
      type: 'tokens',
      replaces: 'fingerprint-of-refresh-1',
      tokens: {
        accessToken: 'access-2',
        refreshToken: 'refresh-2',
        expiresAt: Date.now() + 3_600_000,
        receivedAt: Date.now(),
      },
    });
    await new Promise((resolve) => setTimeout(resolve, 100));

    expect(session.getSnapshot().status).toBe('anonymous');
    expect(session.getAccessToken()).toBeNull();
  });

  it('a login posted by another tab still reaches a tab that logged out earlier', async () => {
    const name = `logout-race-${Math.random()}`;
    const locks = inProcessLocks();
    const a = tab(name, locks);
    const b = tab(name, locks);
    await b.login(LOGIN);
    await b.logout();
    await new Promise((resolve) => setTimeout(resolve, 50));

    await a.login({ accessToken: 'access-9', refreshToken: 'refresh-9', expiresIn: 3600 });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(b.getAccessToken()).toBe('access-9');
  });
});
