import { SessionExpiredError } from '@authmachine/core';
import { Authenticated, useAuthSelector } from '@authmachine/react';
import { act, cleanup, fireEvent, screen } from '@testing-library/react';
import { type ReactElement, useEffect, useState } from 'react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { actUntil, reactModes, renderWithSession } from './support/reactTestKit.js';
import { createRestoredSession, LOGIN_TOKENS } from './support/testSession.js';

afterEach(cleanup);

describe.each(reactModes)('<Authenticated> (%s)', (_, Mode) => {
  const lifecycle = { mounts: 0, unmounts: 0 };
  beforeEach(() => {
    lifecycle.mounts = 0;
    lifecycle.unmounts = 0;
  });

  /** Private content with state of its own: a remount would reset the click count. */
  function Dashboard(): ReactElement {
    const [clicks, setClicks] = useState(0);
    useEffect(() => {
      lifecycle.mounts += 1;
      return () => {
        lifecycle.unmounts += 1;
      };
    }, []);
    return (
      <button type="button" data-testid="dashboard" onClick={() => setClicks((count) => count + 1)}>
        {`clicked ${clicks} times`}
      </button>
    );
  }

  function Status(): ReactElement {
    return <p data-testid="status">{useAuthSelector((state) => state.status)}</p>;
  }

  function App(): ReactElement {
    return (
      <>
        <Status />
        <Authenticated fallback={<p>Please log in</p>}>
          <Dashboard />
        </Authenticated>
      </>
    );
  }

  it('shows the fallback while restoring and anonymous, the children once logged in', async () => {
    const { session } = await createRestoredSession();
    renderWithSession(<App />, session, Mode);
    expect(screen.getByText('Please log in')).toBeTruthy();
    expect(screen.queryByTestId('dashboard')).toBeNull();

    await act(() => session.login(LOGIN_TOKENS));
    expect(screen.queryByText('Please log in')).toBeNull();
    expect(screen.getByTestId('dashboard')).toBeTruthy();

    await act(() => session.logout());
    expect(screen.getByText('Please log in')).toBeTruthy();
    expect(screen.queryByTestId('dashboard')).toBeNull();
  });

  it('renders nothing for the signed-out case when there is no fallback', async () => {
    const { session } = await createRestoredSession();
    const { container } = renderWithSession(
      <Authenticated>
        <p>Private</p>
      </Authenticated>,
      session,
      Mode,
    );
    expect(container.innerHTML).toBe('');
  });

  it('keeps its children mounted, with their state, across login → refresh → refreshed', async () => {
    const { session, refresh, lastRefresh } = await createRestoredSession();
    renderWithSession(<App />, session, Mode);
    await act(() => session.login(LOGIN_TOKENS));
    const dashboard = screen.getByTestId('dashboard');
    fireEvent.click(dashboard);
    const mountsAfterLogin = lifecycle.mounts;
    expect(lifecycle.mounts - lifecycle.unmounts).toBe(1);

    let refreshed: Promise<string> | undefined;
    act(() => {
      refreshed = session.refresh();
    });
    await actUntil(session, 'refreshing');
    expect(screen.getByTestId('status').textContent).toBe('refreshing');
    expect(screen.getByTestId('dashboard')).toBe(dashboard);
    expect(screen.queryByText('Please log in')).toBeNull();

    await act(async () => {
      lastRefresh().resolve({ accessToken: 'access-2' });
      await refreshed;
    });
    expect(refresh).toHaveBeenCalledTimes(1);
    expect(screen.getByTestId('status').textContent).toBe('authenticated');
    expect(screen.getByTestId('dashboard')).toBe(dashboard);
    expect(dashboard.textContent).toBe('clicked 1 times');
    expect(lifecycle.mounts).toBe(mountsAfterLogin);
    expect(lifecycle.unmounts).toBe(mountsAfterLogin - 1);
  });

  it('login → refresh → session expired (refresh rejected with 401): the fallback replaces the children', async () => {
    const { session, lastRefresh } = await createRestoredSession();
    renderWithSession(<App />, session, Mode);
    await act(() => session.login(LOGIN_TOKENS));
    expect(screen.getByTestId('dashboard')).toBeTruthy();

    let refreshed: Promise<string> | undefined;
    act(() => {
      refreshed = session.refresh();
    });
    await actUntil(session, 'refreshing');
    expect(screen.getByTestId('dashboard')).toBeTruthy();

    await act(async () => {
      lastRefresh().reject({ response: { status: 401 } });
      await expect(refreshed).rejects.toBeInstanceOf(SessionExpiredError);
    });
    expect(screen.getByTestId('status').textContent).toBe('expired');
    expect(screen.getByText('Please log in')).toBeTruthy();
    expect(screen.queryByTestId('dashboard')).toBeNull();
    expect(lifecycle.mounts).toBe(lifecycle.unmounts);
  });

  it('keeps the children when a refresh fails transiently (the tokens are kept)', async () => {
    const { session, lastRefresh } = await createRestoredSession({ refreshRetries: 0 });
    renderWithSession(<App />, session, Mode);
    await act(() => session.login(LOGIN_TOKENS));
    const dashboard = screen.getByTestId('dashboard');

    let refreshed: Promise<string> | undefined;
    act(() => {
      refreshed = session.refresh();
    });
    await actUntil(session, 'refreshing');
    await act(async () => {
      lastRefresh().reject({ response: { status: 503 } });
      await expect(refreshed).rejects.toThrow();
    });
    expect(screen.getByTestId('status').textContent).toBe('authenticated');
    expect(screen.getByTestId('dashboard')).toBe(dashboard);
  });
});
