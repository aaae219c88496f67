import type { SessionTokens } from './types.js';
import { untilAborted } from './untilAborted.js';

/**
 * The refresh call of the refresh under way, kept across its attempts.
 *
 * A call that timed out may still have reached the server, which then rotated the refresh token:
 * sending the same refresh token again is what reuse detection punishes by revoking the whole
 * session (RFC 9700 §4.14.2). So a timeout does not abort the call: the next attempt joins it
 * instead of calling again, and its answer, however late, is the one the session takes. Only a call
 * that settled with an error (an answer, or a connection that failed) is followed by a new one, and
 * the call is aborted when the refresh ends (success, failure after its retries, logout, a new
 * login, another tab's tokens, `stop()`), so that nothing waits past the refresh it served.
 */
export interface RefreshCall {
  /** The call for this refresh token: the running or answered one, else a new one. */
  join(refreshToken: string): Promise<SessionTokens>;
  /** The refresh ended: abort a call still running and forget its answer. */
  end(): void;
}

type Started = (refreshToken: string, signal: AbortSignal) => Promise<SessionTokens>;

export function createRefreshCall(start: Started): RefreshCall {
  let current: { refreshToken: string; answer: Promise<SessionTokens>; controller: AbortController } | null = null;
  return {
    join(refreshToken) {
      if (current?.refreshToken === refreshToken) return current.answer;
      const controller = new AbortController();
      // Rejects at the abort also when the app's refresh function ignores its signal: the cross-tab
      // lock is held until the call settles, and must not be held past the refresh's end.
      const answer = untilAborted(start(refreshToken, controller.signal), controller.signal);
      const call = { refreshToken, controller, answer };
      current = call;
      // A failed call can have rotated nothing it could tell us of: the next attempt calls again.
      call.answer.catch(() => {
        if (current === call) current = null;
      });
      return call.answer;
    },
    end() {
      current?.controller.abort(new DOMException('The refresh ended.', 'AbortError'));
      current = null;
    },
  };
}
