// @vitest-environment node
import { type AuthSession, toServerAuthState } from '@authmachine/core';
import { AuthProvider } from '@authmachine/react';
import { renderToString, version } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { AccountPage } from './support/AccountPage.js';
import { expectedReactMajor, majorOf } from './support/reactMajor.js';
import { reactModes } from './support/reactModes.js';
import { createRestoredSession, createTestSession, LOGIN_TOKENS, untilStatus } from './support/testSession.js';

/** Each state a server's session can be in when it renders, reached through the real session. */
const serverSessions: [string, () => Promise<AuthSession>][] = [
  ['restoring', async () => createTestSession().session],
  ['anonymous', async () => (await createRestoredSession()).session],
  [
    'authenticating',
    async () => {
      const { session } = await createRestoredSession();
      // Never settles; it rejects once the test stops the session.
      session.login(() => new Promise(() => undefined)).catch(() => undefined);
      await untilStatus(session, 'authenticating');
      return session;
    },
  ],
  [
    'authenticated',
    async () => {
      const { session } = await createRestoredSession();
      await session.login(LOGIN_TOKENS);
      return session;
    },
  ],
  [
    'refreshing',
    async () => {
      const { session } = await createRestoredSession();
      await session.login(LOGIN_TOKENS);
      void session.refresh().catch(() => undefined);
      await untilStatus(session, 'refreshing');
      return session;
    },
  ],
  [
    'expired',
    async () => {
      const { session, lastRefresh } = await createRestoredSession();
      await session.login(LOGIN_TOKENS);
      const refreshed = session.refresh().catch(() => undefined);
      await untilStatus(session, 'refreshing');
      lastRefresh().reject({ status: 401 });
      await refreshed;
      return session;
    },
  ],
];

const signedIn = new Set(['authenticated', 'refreshing']);

describe.each(reactModes)('server rendering with renderToString (%s)', (_, Mode) => {
  it('runs in Node with no DOM, on the React this project is for', () => {
    expect(typeof window).toBe('undefined');
    expect(typeof document).toBe('undefined');
    expect(majorOf(version)).toBe(expectedReactMajor());
  });

  it.each(serverSessions)(
    'renders a server session that is %s, given its state as serverState',
    async (status, start) => {
      const session = await start();
      expect(session.getSnapshot().status).toBe(status);

      const html = renderToString(
        <Mode>
          <AuthProvider session={session} serverState={toServerAuthState(session.getSnapshot())}>
            <AccountPage />
          </AuthProvider>
        </Mode>,
      );

      expect(html).toContain(`status: <!-- -->${status}`);
      expect(html).toContain(signedIn.has(status) ? 'Welcome back' : 'Please log in');
      expect(html).not.toContain(signedIn.has(status) ? 'Please log in' : 'Welcome back');
      // The page is sent to the browser as it is: the access token is not in it, even signed in.
      expect(html).toContain('token: <!-- -->none');
      expect(html).not.toContain('access-1');
    },
  );

  it('never renders a token that reached serverState anyway (a cast, plain JavaScript)', async () => {
    const session = await serverSessions.find(([status]) => status === 'authenticated')?.[1]();
    if (!session) throw new Error('no authenticated server session');
    const html = renderToString(
      <Mode>
        <AuthProvider session={session} serverState={session.getSnapshot() as never}>
          <AccountPage />
        </AuthProvider>
      </Mode>,
    );
    expect(html).toContain('Welcome back');
    expect(html).not.toContain('access-1');
  });

  it.each(serverSessions)(
    'without serverState renders the state every session starts in (server %s)',
    async (_status, start) => {
      const session = await start();

      const html = renderToString(
        <Mode>
          <AuthProvider session={session}>
            <AccountPage />
          </AuthProvider>
        </Mode>,
      );

      // The client can hydrate this without knowing anything the server knew.
      expect(html).toContain('status: <!-- -->restoring');
      expect(html).toContain('token: <!-- -->none');
      expect(html).toContain('Please log in');
    },
  );
});
