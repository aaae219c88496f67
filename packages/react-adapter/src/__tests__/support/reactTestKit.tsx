import type { AuthSession, AuthStatus } from '@authmachine/core';
import { AuthProvider } from '@authmachine/react';
import { act, type RenderResult, render } from '@testing-library/react';
import type { ExoticComponent, ReactNode } from 'react';
import { onTestFinished, vi } from 'vitest';
import { untilStatus } from './testSession.js';

export { reactModes } from './reactModes.js';

/** Renders `ui` under `<AuthProvider session>` in the given mode. */
export function renderWithSession(
  ui: ReactNode,
  session: AuthSession,
  Mode: ExoticComponent<{ children?: ReactNode }>,
): RenderResult {
  return render(ui, {
    wrapper: ({ children }) => (
      <Mode>
        <AuthProvider session={session}>{children}</AuthProvider>
      </Mode>
    ),
  });
}

/** Waits inside `act` until the session is in `status`, so that React has rendered it. */
export async function actUntil(session: AuthSession, status: AuthStatus): Promise<void> {
  await act(() => untilStatus(session, status));
}

/**
 * For tests of render errors: React logs them on the console, and React 18 also rethrows them
 * inside a DOM event (jsdom then prints them), though the test asserts on the error it catches.
 */
export function quietRenderErrors(): void {
  vi.spyOn(console, 'error').mockImplementation(() => undefined);
  const preventReport = (event: Event): void => event.preventDefault();
  window.addEventListener('error', preventReport);
  onTestFinished(() => window.removeEventListener('error', preventReport));
}

/** Counts the renders of the components that call `count()` in their body. */
export function renderCounter(): { count(): void; readonly renders: number } {
  let renders = 0;
  return {
    count: () => {
      renders += 1;
    },
    get renders() {
      return renders;
    },
  };
}
