import type { TokenSet } from '@authmachine/core';
import { type UseAuthResult, useAuth } from '@authmachine/react';
import { act, cleanup, fireEvent, screen } from '@testing-library/react';
import { type ReactElement, useEffect } from 'react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { reactModes, renderWithSession } from './support/reactTestKit.js';
import { createRestoredSession, LOGIN_TOKENS } from './support/testSession.js';

afterEach(cleanup);

describe.each(reactModes)('useAuth (%s)', (_, Mode) => {
  /** What each committed render returned (a render StrictMode throws away is not committed). */
  const committed: UseAuthResult[] = [];
  beforeEach(() => {
    committed.length = 0;
  });

  function Account({ tokens }: { tokens: TokenSet | (() => Promise<TokenSet>) }): ReactElement {
    const auth = useAuth();
    useEffect(() => {
      committed.push(auth);
    });
    return (
      <>
        <p data-testid="status">{auth.isAuthenticated ? `signed in with ${auth.accessToken}` : auth.status}</p>
        <p data-testid="error">{auth.error instanceof Error ? auth.error.message : 'no error'}</p>
        <button type="button" onClick={() => void auth.login(tokens).catch(() => undefined)}>
          Log in
        </button>
        <button type="button" onClick={() => void auth.logout()}>
          Log out
        </button>
      </>
    );
  }

  it('logs in and out through the session, and shows the state', async () => {
    const { session } = await createRestoredSession();
    renderWithSession(<Account tokens={LOGIN_TOKENS} />, session, Mode);
    expect(screen.getByTestId('status').textContent).toBe('anonymous');

    fireEvent.click(screen.getByRole('button', { name: 'Log in' }));
    await act(() => session.waitForAccessToken());
    expect(screen.getByTestId('status').textContent).toBe('signed in with access-1');
    expect(session.getAccessToken()).toBe('access-1');

    fireEvent.click(screen.getByRole('button', { name: 'Log out' }));
    await act(() => session.waitForAccessToken());
    expect(screen.getByTestId('status').textContent).toBe('anonymous');
    expect(session.getAccessToken()).toBeNull();
  });

  it('shows a login function in flight, then the error it failed with', async () => {
    const { session } = await createRestoredSession();
    let failLogin: (error: Error) => void = () => undefined;
    const loginCall = (): Promise<TokenSet> =>
      new Promise((_resolve, reject) => {
        failLogin = reject;
      });
    renderWithSession(<Account tokens={loginCall} />, session, Mode);

    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Log in' }));
    });
    expect(screen.getByTestId('status').textContent).toBe('authenticating');

    await act(async () => {
      failLogin(new Error('Wrong password.'));
      await session.waitForAccessToken();
    });
    expect(screen.getByTestId('status').textContent).toBe('anonymous');
    expect(screen.getByTestId('error').textContent).toBe('Wrong password.');
  });

  it('keeps `login` and `logout` the same functions across state changes, and the result while nothing changes', async () => {
    const { session } = await createRestoredSession();
    const { rerender } = renderWithSession(<Account tokens={LOGIN_TOKENS} />, session, Mode);
    rerender(<Account tokens={LOGIN_TOKENS} />);
    await act(() => session.login(LOGIN_TOKENS));

    const first = committed[0];
    expect(committed.at(-1)?.status).toBe('authenticated');
    for (const auth of committed) {
      expect(auth.login).toBe(first?.login);
      expect(auth.logout).toBe(first?.logout);
    }
    // The re-render without a state change got the very same object: safe as a dependency.
    const anonymous = committed.filter((auth) => auth.status === 'anonymous');
    expect(anonymous.length).toBeGreaterThan(1);
    expect(new Set(anonymous).size).toBe(1);
  });
});
