import type { AuthState } from '@authmachine/core';
import { useAuthSelector, useAuthState } from '@authmachine/react';
import { act, cleanup, screen } from '@testing-library/react';
import type { ReactElement } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { reactModes, renderCounter, renderWithSession } from './support/reactTestKit.js';
import { createRestoredSession, LOGIN_TOKENS } from './support/testSession.js';

afterEach(cleanup);

const HOUR = 3_600_000;

interface Summary {
  status: string;
  signedIn: boolean;
}

const sameSummary = (a: Summary, b: Summary): boolean => a.status === b.status && a.signedIn === b.signedIn;

function StatusProbe({ onRender }: { onRender: () => void }): ReactElement {
  onRender();
  return <p data-testid="status">{useAuthSelector((state) => state.status)}</p>;
}

function ExpiryProbe({ onRender }: { onRender: () => void }): ReactElement {
  onRender();
  return <p data-testid="expiry">{useAuthState().expiresAt}</p>;
}

function TokenProbe(): ReactElement {
  return <p data-testid="token">{useAuthSelector((state) => state.accessToken) ?? 'none'}</p>;
}

/** Selects a new object on every call; `isEqual` (if any) decides whether it changed. */
function SummaryProbe({
  onRender,
  onSelect = () => undefined,
  isEqual,
}: {
  onRender: () => void;
  onSelect?: (summary: Summary) => void;
  isEqual?: (a: Summary, b: Summary) => boolean;
}): ReactElement {
  onRender();
  const summary = useAuthSelector((state) => ({ status: state.status, signedIn: state.isAuthenticated }), isEqual);
  onSelect(summary);
  return <p data-testid="summary">{`${summary.status} ${summary.signedIn}`}</p>;
}

function FieldProbe({ name }: { name: 'status' | 'accessToken' }): ReactElement {
  return <p data-testid="field">{String(useAuthSelector((state: AuthState) => state[name]))}</p>;
}

describe.each(reactModes)('useAuthSelector (%s)', (_, Mode) => {
  it('a component selecting `status` does not re-render when only `expiresAt` changes', async () => {
    const { session } = await createRestoredSession();
    const expiresAt = Date.now() + HOUR;
    await session.login({ ...LOGIN_TOKENS, expiresAt });
    const statusRenders = renderCounter();
    const stateRenders = renderCounter();
    renderWithSession(
      <>
        <StatusProbe onRender={statusRenders.count} />
        <ExpiryProbe onRender={stateRenders.count} />
      </>,
      session,
      Mode,
    );
    const [statusBefore, stateBefore] = [statusRenders.renders, stateRenders.renders];

    await act(() => session.login({ ...LOGIN_TOKENS, expiresAt: expiresAt + HOUR }));

    // The change reached React (the component reading the whole state re-rendered) ...
    expect(screen.getByTestId('expiry').textContent).toBe(String(expiresAt + HOUR));
    expect(stateRenders.renders).toBeGreaterThan(stateBefore);
    // ... and the one selecting `status` was left alone.
    expect(screen.getByTestId('status').textContent).toBe('authenticated');
    expect(statusRenders.renders).toBe(statusBefore);
  });

  it('re-renders when the selected value changes', async () => {
    const { session } = await createRestoredSession();
    renderWithSession(<TokenProbe />, session, Mode);
    expect(screen.getByTestId('token').textContent).toBe('none');

    await act(() => session.login(LOGIN_TOKENS));
    expect(screen.getByTestId('token').textContent).toBe('access-1');
  });

  it('with `isEqual`, a selector that builds a new object re-renders only when `isEqual` says it changed', async () => {
    const { session } = await createRestoredSession();
    const renders = renderCounter();
    const isEqual = vi.fn(sameSummary);
    const selected: Summary[] = [];
    renderWithSession(
      <SummaryProbe onRender={renders.count} onSelect={(summary) => selected.push(summary)} isEqual={isEqual} />,
      session,
      Mode,
    );
    await act(() => session.login(LOGIN_TOKENS));
    expect(screen.getByTestId('summary').textContent).toBe('authenticated true');
    const rendersBefore = renders.renders;
    const summaryBefore = selected.at(-1);

    // New tokens: the state changes, the summary does not.
    await act(() => session.login({ accessToken: 'access-2', refreshToken: 'refresh-2' }));

    expect(isEqual).toHaveBeenCalled();
    expect(renders.renders).toBe(rendersBefore);
    expect(selected.at(-1)).toBe(summaryBefore);

    await act(() => session.logout());
    expect(screen.getByTestId('summary').textContent).toBe('anonymous false');
    expect(renders.renders).toBeGreaterThan(rendersBefore);
  });

  it('an inline selector building a new object each time (no isEqual) renders without looping', async () => {
    const { session } = await createRestoredSession();
    const error = vi.spyOn(console, 'error');
    const renders = renderCounter();
    renderWithSession(<SummaryProbe onRender={renders.count} />, session, Mode);
    await act(() => session.login(LOGIN_TOKENS));

    expect(screen.getByTestId('summary').textContent).toBe('authenticated true');
    // Two states (at mount, after the login), each rendered at most twice in StrictMode.
    expect(renders.renders).toBeLessThanOrEqual(4);
    expect(error).not.toHaveBeenCalled();
  });

  it('uses the selector of the latest render, also when the state has not changed', async () => {
    const { session } = await createRestoredSession();
    await session.login(LOGIN_TOKENS);
    const { rerender } = renderWithSession(<FieldProbe name="status" />, session, Mode);
    expect(screen.getByTestId('field').textContent).toBe('authenticated');

    rerender(<FieldProbe name="accessToken" />);
    expect(screen.getByTestId('field').textContent).toBe('access-1');
  });
});
