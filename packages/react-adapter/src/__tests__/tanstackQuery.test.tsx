import { AuthError, type AuthSession, SessionExpiredError, TokenRefreshError } from '@authmachine/core';
import { AuthProvider, connectQueryClient, shouldRetryQuery } from '@authmachine/react';
import { QueryClient, QueryClientProvider, useQuery } from '@tanstack/react-query';
import { act, render } from '@testing-library/react';
import type { ReactElement } from 'react';
import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { reactModes } from './support/reactModes.js';
import { createRestoredSession } from './support/testSession.js';

const jwtFor = (sub: string, serial = 0): string =>
  `e30.${Buffer.from(JSON.stringify({ sub, serial })).toString('base64url')}.c2ln`;

function cachedClient(): QueryClient {
  const client = new QueryClient({ defaultOptions: { queries: { retry: shouldRetryQuery, retryDelay: 0 } } });
  client.setQueryData(['me'], 'cached data');
  onTestFinished(() => client.clear());
  return client;
}

const hasCache = (client: QueryClient): boolean => client.getQueryData(['me']) !== undefined;

describe('connectQueryClient', () => {
  it('clears on logout and on a different user, keeps the cache through refreshes and a same-user login', async () => {
    const { session, lastRefresh } = await createRestoredSession();
    await session.login({ accessToken: jwtFor('ada'), refreshToken: 'refresh-ada' });
    const client = cachedClient();
    const disconnect = connectQueryClient(session, client);

    const refreshed = session.refresh();
    await act(async () => (await vi.waitFor(lastRefresh)).resolve({ accessToken: jwtFor('ada', 1) }));
    await refreshed;
    await session.login({ accessToken: jwtFor('ada', 2), refreshToken: 'refresh-ada' });
    expect(hasCache(client)).toBe(true);

    await session.login({ accessToken: jwtFor('grace'), refreshToken: 'refresh-grace' });
    expect(hasCache(client)).toBe(false);

    client.setQueryData(['me'], 'grace data');
    await session.logout();
    expect(hasCache(client)).toBe(false);

    disconnect();
    client.setQueryData(['me'], 'after disconnect');
    await session.login({ accessToken: jwtFor('ada'), refreshToken: 'refresh-ada' });
    expect(hasCache(client)).toBe(true);
  });

  it('new tokens of another user (another tab logged in) clear; opaque tokens clear at each login but not at a refresh', async () => {
    const { session, lastRefresh } = await createRestoredSession();
    await session.login({ accessToken: jwtFor('ada'), refreshToken: 'refresh-1' });
    const client = cachedClient();
    connectQueryClient(session, client);
    const refreshed = session.refresh();
    await act(async () => (await vi.waitFor(lastRefresh)).resolve({ accessToken: jwtFor('grace') }));
    await refreshed;
    expect(hasCache(client)).toBe(false);

    const opaque = await createRestoredSession();
    await opaque.session.login({ accessToken: 'opaque-1', refreshToken: 'refresh-1' });
    const opaqueClient = cachedClient();
    connectQueryClient(opaque.session, opaqueClient);
    const again = opaque.session.refresh();
    await act(async () => (await vi.waitFor(opaque.lastRefresh)).resolve({ accessToken: 'opaque-2' }));
    await again;
    expect(hasCache(opaqueClient)).toBe(true);
    await opaque.session.login({ accessToken: 'opaque-3', refreshToken: 'refresh-3' });
    expect(hasCache(opaqueClient)).toBe(false);
  });

  it('clears when the session ends (the refresh token was rejected)', async () => {
    const { session, lastRefresh } = await createRestoredSession();
    await session.login({ accessToken: jwtFor('ada'), refreshToken: 'refresh-1' });
    const client = cachedClient();
    connectQueryClient(session, client);
    const refreshed = session.refresh().catch(() => undefined);
    await act(async () =>
      (await vi.waitFor(lastRefresh)).reject({
        status: 400,
        response: { status: 400, data: { error: 'invalid_grant' } },
      }),
    );
    await refreshed;
    expect(session.getSnapshot().status).toBe('expired');
    expect(hasCache(client)).toBe(false);
  });
});

describe('shouldRetryQuery', () => {
  it.each([
    ['SessionExpiredError', new SessionExpiredError('ended'), false],
    ['a logout', new AuthError('LOGGED_OUT', 'logged out'), false],
    ['no session', new AuthError('NOT_AUTHENTICATED', 'log in'), false],
    ['an HTTP 401 (axios)', { response: { status: 401 } }, false],
    ['an HTTP 403 (fetch wrapper)', { status: 403 }, false],
    ['a transient TokenRefreshError', new TokenRefreshError(new Error('503')), true],
    ['a queue timeout', new AuthError('QUEUE_TIMEOUT', 'waited'), true],
    ['an HTTP 503', { status: 503 }, true],
    ['a network error', new TypeError('Failed to fetch'), true],
  ])('%s: retried = %s (then at most 3 times)', (_, error, retried) => {
    expect(shouldRetryQuery(0, error)).toBe(retried);
    expect(shouldRetryQuery(3, error)).toBe(false);
  });
});

/** Fetches with the session's token: what a query function over an authenticated client does. */
const tokensUsed: string[] = [];
function Name({ session }: { session: AuthSession }): ReactElement {
  const query = useQuery({
    queryKey: ['me'],
    queryFn: async () => {
      const token = await session.waitForAccessToken();
      tokensUsed.push(String(token));
      return 'Ada Lovelace';
    },
  });
  return <p>{query.isPending ? 'loading' : query.data}</p>;
}

describe.each(reactModes)('a query during a refresh (%s)', (_, Mode) => {
  it('stays pending while the session refreshes, then shows the data fetched with the new token', async () => {
    const { session, lastRefresh } = await createRestoredSession();
    await session.login({ accessToken: jwtFor('ada'), refreshToken: 'refresh-1' });
    const refreshed = session.refresh();
    await vi.waitFor(() => expect(session.getSnapshot().status).toBe('refreshing'));
    tokensUsed.length = 0;
    const client = new QueryClient({ defaultOptions: { queries: { retry: shouldRetryQuery } } });
    onTestFinished(() => client.clear());
    const view = render(
      <Mode>
        <QueryClientProvider client={client}>
          <AuthProvider session={session}>
            <Name session={session} />
          </AuthProvider>
        </QueryClientProvider>
      </Mode>,
    );
    onTestFinished(() => view.unmount());
    expect(view.getByText('loading')).toBeTruthy();
    await act(async () => (await vi.waitFor(lastRefresh)).resolve({ accessToken: jwtFor('ada', 1) }));
    await refreshed;
    expect(await view.findByText('Ada Lovelace')).toBeTruthy();
    expect(tokensUsed).toEqual([jwtFor('ada', 1)]);
  });
});
