import type { AuthSession, AuthStatus } from '@authmachine/core';
import { vi } from 'vitest';

/** Every status the session passes through from now on, in order. */
export function recordStatuses(session: AuthSession): AuthStatus[] {
  const statuses: AuthStatus[] = [];
  session.subscribe((state) => statuses.push(state.status));
  return statuses;
}

/** Polls (every ms, real time) until `condition` holds; fails the test after 2 s. */
export async function until(condition: () => boolean, what: string): Promise<void> {
  await vi.waitFor(
    () => {
      if (!condition()) throw new Error(`Still waiting for: ${what}`);
    },
    { timeout: 2_000, interval: 1 },
  );
}

/**
 * Lets real I/O run, one event-loop turn at a time (setImmediate, which tests do not fake), until
 * `condition` holds. For fake-timer tests: `until` (vi.waitFor) would move the fake clock.
 */
export async function untilIo(condition: () => boolean, what: string): Promise<void> {
  for (let turn = 0; turn < 100_000; turn += 1) {
    if (condition()) return;
    await new Promise((resolve) => setImmediate(resolve));
  }
  throw new Error(`Still waiting for: ${what}`);
}

/** A few real milliseconds: enough for a request that should not have been sent to reach the server. */
export function pause(ms = 20): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Counts the 401s the adapter reported to the session. The adapter starts waiting right after it
 * reports, so "n reported" means "n requests wait after their own 401".
 */
export function countTokenRejections(session: AuthSession): { readonly count: number } {
  const spy = vi.spyOn(session, 'tokenRejected');
  return {
    get count() {
      return spy.mock.calls.length;
    },
  };
}
