import type { AuthSession } from '@authmachine/core';
import { AuthProvider, useAuthSession, useAuthState } from '@authmachine/react';
import { act, cleanup, render, screen } from '@testing-library/react';
import type { ReactElement } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { quietRenderErrors, reactModes, renderCounter } from './support/reactTestKit.js';
import { createRestoredSession, LOGIN_TOKENS } from './support/testSession.js';

afterEach(cleanup);

function SessionProbe({ onSession }: { onSession: (session: AuthSession) => void }): null {
  onSession(useAuthSession());
  return null;
}

function StatusProbe({ onRender = () => undefined }: { onRender?: () => void }): ReactElement {
  onRender();
  const { status, accessToken } = useAuthState();
  return <p>{`${status} ${accessToken ?? 'no token'}`}</p>;
}

describe.each(reactModes)('<AuthProvider> and useAuthSession (%s)', (_, Mode) => {
  it('gives the components below it the session it was given, which it never stops', async () => {
    const { session } = await createRestoredSession();
    const seen: AuthSession[] = [];
    const { unmount } = render(
      <Mode>
        <AuthProvider session={session}>
          <SessionProbe onSession={(given) => seen.push(given)} />
        </AuthProvider>
      </Mode>,
    );
    expect(seen.length).toBeGreaterThan(0);
    for (const given of seen) expect(given).toBe(session);

    unmount();
    // The session outlives React (axios shares it): it still works after the provider is gone.
    await session.login(LOGIN_TOKENS);
    expect(session.getSnapshot().status).toBe('authenticated');
  });

  it('the nearest provider wins', async () => {
    const outer = await createRestoredSession();
    const inner = await createRestoredSession();
    await inner.session.login(LOGIN_TOKENS);
    render(
      <Mode>
        <AuthProvider session={outer.session}>
          <StatusProbe />
          <AuthProvider session={inner.session}>
            <StatusProbe />
          </AuthProvider>
        </AuthProvider>
      </Mode>,
    );
    expect(screen.getAllByRole('paragraph').map((node) => node.textContent)).toEqual([
      'anonymous no token',
      'authenticated access-1',
    ]);
  });

  it('follows a new session when the prop changes, and stops listening to the old one', async () => {
    const first = await createRestoredSession();
    const second = await createRestoredSession();
    const renders = renderCounter();
    const ui = (session: AuthSession): ReactElement => (
      <Mode>
        <AuthProvider session={session}>
          <StatusProbe onRender={renders.count} />
        </AuthProvider>
      </Mode>
    );
    const { rerender } = render(ui(first.session));
    rerender(ui(second.session));
    await act(() => second.session.login({ accessToken: 'second-access' }));
    expect(screen.getByRole('paragraph').textContent).toBe('authenticated second-access');

    const rendersBefore = renders.renders;
    await act(() => first.session.login({ accessToken: 'first-access' }));
    expect(screen.getByRole('paragraph').textContent).toBe('authenticated second-access');
    expect(renders.renders).toBe(rendersBefore);
  });

  it('says what is missing when it is given no session (a JavaScript caller)', () => {
    quietRenderErrors();
    const noSession = undefined as unknown as AuthSession;
    expect(() => render(<AuthProvider session={noSession} />)).toThrow(
      '<AuthProvider> needs a session: pass session={createAuthSession({ refresh })}.',
    );
  });

  it('unsubscribes from the session when the last component using it unmounts', async () => {
    const { session } = await createRestoredSession();
    const unsubscribes: number[] = [];
    const subscribe = session.subscribe.bind(session);
    vi.spyOn(session, 'subscribe').mockImplementation((listener) => {
      const unsubscribe = subscribe(listener);
      return () => {
        unsubscribes.push(1);
        unsubscribe();
      };
    });
    const { unmount } = render(
      <Mode>
        <AuthProvider session={session}>
          <StatusProbe />
        </AuthProvider>
      </Mode>,
    );
    const subscriptions = vi.mocked(session.subscribe).mock.calls.length;
    expect(subscriptions).toBeGreaterThan(0);

    unmount();
    expect(unsubscribes).toHaveLength(subscriptions);
  });
});
