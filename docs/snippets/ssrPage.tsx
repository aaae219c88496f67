import { createAuthSession, type ServerAuthState, toServerAuthState } from '@authmachine/core';
import { Authenticated, AuthProvider, useAuthState } from '@authmachine/react';
import type { ReactElement } from 'react';
import { renderToString } from 'react-dom/server';

/** What the browser sent: the access token in an httpOnly cookie, set by the login and refresh routes. */
export interface PageRequest {
  cookies: ReadonlyMap<string, string>;
}

export function AccountPage(): ReactElement {
  const { status } = useAuthState();
  return (
    <main>
      <p>status: {status}</p>
      <Authenticated fallback={<a href="/login">Log in</a>}>
        <p>Welcome back</p>
      </Authenticated>
    </main>
  );
}

/**
 * Server rendering of one request (a Next.js Server Component, a Remix loader, an Express route).
 * One session per request, never a module-level one: a shared session would serve one user's
 * tokens to the next. It gets the access token only: a server render cannot write cookies, so it
 * must not refresh (the rotated refresh token would be lost, and its next use is a reuse). The
 * refresh runs where cookies can be written: a route handler, a server action, the browser.
 */
export async function renderAccountPage(request: PageRequest): Promise<{ html: string; props: string }> {
  const session = createAuthSession({
    refresh: async () => {
      throw new Error('No refresh during a server render: the browser or a route handler refreshes.');
    },
    refreshLeeway: false,
  });
  try {
    const accessToken = request.cookies.get('access_token');
    if (accessToken) await session.login({ accessToken });
    else await session.waitForAccessToken();
    // Serialised into the page with the HTML: the state, never the token.
    const serverState: ServerAuthState = toServerAuthState(session.getSnapshot());
    const html = renderToString(
      <AuthProvider session={session} serverState={serverState}>
        <AccountPage />
      </AuthProvider>,
    );
    return { html, props: JSON.stringify({ serverState }) };
  } finally {
    session.stop();
  }
}

/** In the browser: the same tree over the app's own session, given the state the server sent. */
export function BrowserApp({ serverState }: { serverState: ServerAuthState }): ReactElement {
  return (
    <AuthProvider session={browserSession} serverState={serverState}>
      <AccountPage />
    </AuthProvider>
  );
}

const browserSession = createAuthSession({
  // A route handler refreshes: it can set the access-token cookie the next server render reads.
  refresh: async ({ refreshToken, signal }) => {
    const response = await fetch('/api/auth/refresh', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ refreshToken }),
      signal,
    });
    if (!response.ok) throw Object.assign(new Error(`refresh: HTTP ${response.status}`), { status: response.status });
    return response.json();
  },
});
