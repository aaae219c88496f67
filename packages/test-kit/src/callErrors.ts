import type { TokenSet } from '@authmachine/core';
import type { CallOutcome } from './adapterDriver.js';

/**
 * What the token calls (login, refresh) throw when made through a driver's client: the same
 * errors for every client, so that the session, the model and the tests read one shape (`status`
 * and `data`, as fetch wrappers and ky throw them; `isSessionEnded` reads them).
 */
export class HttpStatusError extends Error {
  override readonly name = 'HttpStatusError';
  constructor(
    readonly status: number,
    readonly data: unknown,
  ) {
    super(`Request failed with status code ${status}`);
  }
}

/** The call got no answer at all (the connection failed). */
export class NoResponseError extends Error {
  override readonly name = 'NoResponseError';
  constructor(cause?: unknown) {
    super('The call got no response', { cause });
  }
}

/** The token set a login or refresh call answered with, or the error it failed with. */
export function tokensOf(outcome: CallOutcome): TokenSet {
  if (outcome.kind === 'response') {
    if (outcome.ok) return outcome.data as TokenSet;
    throw new HttpStatusError(outcome.status, outcome.data);
  }
  if (outcome.kind === 'aborted') throw new DOMException('The call was aborted', 'AbortError');
  throw new NoResponseError(outcome.error);
}
