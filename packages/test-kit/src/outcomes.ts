import { expect } from 'vitest';
import type { CallOutcome } from './adapterDriver.js';
import type { FakeAuthApi } from './fakeAuthApi.js';

/*
 * The outcomes a user sees, as expected values for `toEqual`, and what the server saw: the
 * Authorization header of each attempt of one path, in order.
 */

/** The fake API's 200 answer for `path`. */
export function dataFor(path: string): CallOutcome {
  return { kind: 'response', ok: true, status: 200, data: expect.objectContaining({ path }) };
}

/** An HTTP error response (axios rejects with it, fetch resolves with it). */
export function httpError(status: number, data: unknown = expect.anything()): CallOutcome {
  return { kind: 'response', ok: false, status, data };
}

/** The fake API's 401 for a token it does not accept. */
export const UNAUTHORIZED: CallOutcome = httpError(401, { error: 'invalid_token' });

export const ABORTED: CallOutcome = { kind: 'aborted' };

export function failedWith(error: unknown): CallOutcome {
  return { kind: 'failed', error };
}

/** The error a call failed with; fails the test for any other outcome. */
export function errorOf(outcome: CallOutcome): unknown {
  if (outcome.kind !== 'failed') throw new Error(`Expected the call to fail, it ended ${JSON.stringify(outcome)}`);
  return outcome.error;
}

export function seenFor(fake: FakeAuthApi, path: string): Array<string | null> {
  return fake.apiRequests.filter((request) => request.path === path).map((request) => request.authorization);
}

export function range(count: number): number[] {
  return Array.from({ length: count }, (_, index) => index);
}

/** Whether a promise has settled by now, without waiting for it. */
export function track<T>(promise: Promise<T>): { readonly settled: boolean } {
  const tracked = { settled: false };
  promise.then(
    () => {
      tracked.settled = true;
    },
    () => {
      tracked.settled = true;
    },
  );
  return tracked;
}
