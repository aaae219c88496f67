import type { AuthState } from '@authmachine/core';
import { useAuthState } from '@authmachine/react';
import { act, cleanup, screen } from '@testing-library/react';
import type { ReactElement } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { actUntil, reactModes, renderWithSession } from './support/reactTestKit.js';
import { createRestoredSession, createTestSession, LOGIN_TOKENS } from './support/testSession.js';

afterEach(cleanup);

describe.each(reactModes)('useAuthState (%s)', (_, Mode) => {
  const seen: AuthState[] = [];
  function Status(): ReactElement {
    const state = useAuthState();
    seen.push(state);
    return (
      <p data-testid="status">
        {state.status} {String(state.isAuthenticated)} {state.accessToken ?? 'no token'}
      </p>
    );
  }
  afterEach(() => {
    seen.length = 0;
  });

  it('follows the session through restore, login, refresh and logout', async () => {
    const { session, lastRefresh } = createTestSession();
    renderWithSession(<Status />, session, Mode);
    expect(screen.getByTestId('status').textContent).toBe('restoring false no token');

    await actUntil(session, 'anonymous');
    expect(screen.getByTestId('status').textContent).toBe('anonymous false no token');

    await act(() => session.login(LOGIN_TOKENS));
    expect(screen.getByTestId('status').textContent).toBe('authenticated true access-1');

    let refreshed: Promise<string> | undefined;
    act(() => {
      refreshed = session.refresh();
    });
    await actUntil(session, 'refreshing');
    expect(screen.getByTestId('status').textContent).toBe('refreshing true access-1');

    await act(async () => {
      lastRefresh().resolve({ accessToken: 'access-2' });
      await refreshed;
    });
    expect(screen.getByTestId('status').textContent).toBe('authenticated true access-2');

    await act(() => session.logout());
    expect(screen.getByTestId('status').textContent).toBe('anonymous false no token');
  });

  it('returns the session snapshot itself, the same object while the state does not change', async () => {
    const { session } = await createRestoredSession();
    const { rerender } = renderWithSession(<Status />, session, Mode);
    rerender(<Status />);

    expect(seen.length).toBeGreaterThan(1);
    for (const state of seen) expect(state).toBe(session.getSnapshot());
  });
});
