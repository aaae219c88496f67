import type { CrossTabLocks } from './refreshLock.js';

/**
 * At most one tab ever sends a given refresh token, and the lock manager decides which: before its
 * refresh call a tab takes a lock named after the token it is about to send, and keeps it after a
 * rotation (the token is consumed: nobody may send it again) until its next rotation, a logout, a
 * new login or `stop()`; after a failed call it lets go, so that the next tab may try the same token.
 *
 * The refresh lock alone cannot promise this. A tab can lose it while it still runs: the browser
 * froze it or a debugger paused it mid-refresh, and another tab took the lock over (see
 * `requestOrSteal.ts`). The frozen tab's call may already have reached the server, which rotated
 * the token; sending it again would be a reuse, and the server would revoke the whole session. The
 * claim is not taken over: a tab that finds it held waits for the holder's news (its tokens, its
 * failure, its tab closing) instead of calling. Web Locks and BroadcastChannel have no common order
 * either, so the claim also stops the next tab in line when the news of a rotation is still on its
 * way. The name holds a fingerprint, not the token: every script of the origin can list lock names.
 */
export function claimRefreshToken(
  locks: CrossTabLocks,
  lockName: string,
  refreshToken: string,
  signal: AbortSignal,
): Promise<() => void> {
  return new Promise((resolve, reject) => {
    // Held from the grant until the release this resolves with is called.
    locks
      .request(`${lockName}:sent:${fingerprint(refreshToken)}`, { signal }, () => new Promise<void>(resolve))
      .catch(reject);
  });
}

/**
 * A 53-bit fingerprint (cyrb53), synchronous so that a refresh goes out in the same task as before
 * (Web Crypto's digest would add a round trip to another thread to every refresh). It names the token
 * among a tab's few tokens; from it nobody can recover a token of 128 bits or more.
 */
export function fingerprint(text: string): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    h1 = Math.imul(h1 ^ code, 2654435761);
    h2 = Math.imul(h2 ^ code, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36);
}
