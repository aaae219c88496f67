import { type AuthSession, type ServerAuthState, type TokenStorage, toServerAuthState } from '@authmachine/core';
import { AuthProvider } from '@authmachine/react';
import { act } from '@testing-library/react';
import type { ReactElement } from 'react';
import { hydrateRoot } from 'react-dom/client';
import { renderToString } from 'react-dom/server';
import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { AccountPage } from './support/AccountPage.js';
import { reactModes } from './support/reactModes.js';
import { createRestoredSession, createTestSession, LOGIN_TOKENS, untilStatus } from './support/testSession.js';

/** What `localStorage` gives a returning user's browser: the tokens of the last visit. */
const storedTokens: TokenStorage = { get: () => LOGIN_TOKENS, set: () => undefined, clear: () => undefined };

/** The server's HTML in the document, hydrated; returns what React reported meanwhile (mismatches). */
async function hydrate(html: string, ui: ReactElement): Promise<{ container: HTMLElement; reported: unknown[] }> {
  const container = document.createElement('div');
  container.innerHTML = html;
  document.body.append(container);
  const reported: unknown[] = [];
  const consoleError = vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => {
    reported.push(args);
  });
  const root = await act(async () =>
    hydrateRoot(container, ui, { onRecoverableError: (error) => reported.push(error) }),
  );
  consoleError.mockRestore();
  onTestFinished(() => {
    act(() => root.unmount());
    container.remove();
  });
  return { container, reported };
}

describe.each(reactModes)('hydration (%s)', (_, Mode) => {
  const page = (session: AuthSession, serverState?: ServerAuthState): ReactElement => (
    <Mode>
      {serverState === undefined ? (
        <AuthProvider session={session}>
          <AccountPage />
        </AuthProvider>
      ) : (
        <AuthProvider session={session} serverState={serverState}>
          <AccountPage />
        </AuthProvider>
      )}
    </Mode>
  );

  it('a returning user whose client session restored its tokens before hydrating: no mismatch', async () => {
    const server = createTestSession();
    const html = renderToString(page(server.session));
    const client = createTestSession({ storage: storedTokens });
    await untilStatus(client.session, 'authenticated');

    const { container, reported } = await hydrate(html, page(client.session));

    expect(reported).toEqual([]);
    // Hydration over, React renders the client's own state.
    expect(container.textContent).toContain('status: authenticated');
    expect(container.textContent).toContain('Welcome back');
  });

  it('with serverState: a server that rendered its signed-in user, and a client given the same state', async () => {
    const server = await createRestoredSession();
    await server.session.login(LOGIN_TOKENS);
    const serverState = toServerAuthState(server.session.getSnapshot());
    const html = renderToString(page(server.session, serverState));
    expect(html).toContain('Welcome back');
    // The app sends the state with the HTML, e.g. as JSON in a script tag (Next.js: serialised props).
    const sent = JSON.stringify(serverState);
    expect(`${html}${sent}`).not.toContain(LOGIN_TOKENS.accessToken);
    expect(`${html}${sent}`).not.toContain(String(LOGIN_TOKENS.refreshToken));
    const sentState = JSON.parse(sent) as ServerAuthState;
    const client = await createRestoredSession();

    const { container, reported } = await hydrate(html, page(client.session, sentState));

    expect(reported).toEqual([]);
    expect(container.textContent).toContain('status: anonymous');
    expect(container.textContent).toContain('Please log in');
  });

  it('a page rendered signed in stays signed in while the client session restores: no signed-out flash, then its own token', async () => {
    const server = await createRestoredSession();
    await server.session.login(LOGIN_TOKENS);
    const serverState = toServerAuthState(server.session.getSnapshot());
    const html = renderToString(page(server.session, serverState));
    // The client's storage answers after hydration (an IndexedDB read, a cookie-backed refresh).
    let finishRestore: (tokens: typeof LOGIN_TOKENS) => void = () => undefined;
    const slowStorage: TokenStorage = {
      get: () => new Promise((resolve) => (finishRestore = resolve)),
      set: () => undefined,
      clear: () => undefined,
    };
    const client = createTestSession({ storage: slowStorage });

    const { container, reported } = await hydrate(html, page(client.session, JSON.parse(JSON.stringify(serverState))));

    expect(reported).toEqual([]);
    expect(client.session.getSnapshot().status).toBe('restoring');
    expect(container.textContent).toContain('status: authenticated');
    expect(container.textContent).toContain('Welcome back');
    expect(container.textContent).toContain('token: none');
    await act(async () => {
      finishRestore(LOGIN_TOKENS);
      await untilStatus(client.session, 'authenticated');
    });
    expect(container.textContent).toContain('token: access-1');
    expect(container.textContent).not.toContain('Please log in');
  });

  it('(control) a client hydrating with a state other than the server rendered is reported as a mismatch', async () => {
    const server = createTestSession();
    const html = renderToString(page(server.session));
    const client = createTestSession({ storage: storedTokens });
    await untilStatus(client.session, 'authenticated');

    const { reported } = await hydrate(html, page(client.session, toServerAuthState(client.session.getSnapshot())));

    expect(reported).not.toEqual([]);
  });
});
