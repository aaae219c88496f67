import type { AuthSession, AuthStatus } from '@authmachine/core';

/** Resolves as soon as the session reaches `status` (at once if it is there already). */
export function untilStatus(session: AuthSession, status: AuthStatus): Promise<void> {
  return new Promise((resolve) => {
    if (session.getSnapshot().status === status) {
      resolve();
      return;
    }
    const unsubscribe = session.subscribe((state) => {
      if (state.status !== status) return;
      unsubscribe();
      resolve();
    });
  });
}
