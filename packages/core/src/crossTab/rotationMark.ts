import type { CrossTabLocks } from './refreshLock.js';

/**
 * Web Locks and BroadcastChannel have no common order: under load, the next tab in line can be
 * granted the refresh lock before the message with the rotated tokens reaches it, and would then
 * send a refresh token the server already consumed (reuse detection: the whole session revoked).
 * The lock manager itself is one ordered authority, so the tab that rotated also takes a lock named
 * after the refresh token it consumed before it lets go of the refresh lock; the next tab finds it
 * with `query()` and waits for the news instead of calling. The name holds a fingerprint, not the
 * token: every script of the origin can list lock names.
 */

/**
 * Takes the mark for a consumed refresh token; resolves, once it is held, with its release. A tab
 * keeps its newest mark (no timer: a tab that never heard of the rotation may ask at any time) and
 * lets go of it at its next rotation or when the session stops; the browser drops a closed tab's.
 * Without `query` the other tabs could not see a mark: none is taken.
 */
export async function markConsumed(locks: CrossTabLocks, lockName: string, refreshToken: string): Promise<() => void> {
  const name = markName(locks, lockName, refreshToken);
  let release: () => void = () => undefined;
  if (name === null) return release;
  await new Promise<void>((held) => {
    locks
      .request(name, { ifAvailable: true }, () => {
        held();
        return new Promise<void>((done) => {
          release = done;
        });
      })
      .catch(() => held());
  });
  return release;
}

/** True when another tab rotated this refresh token and its message has not arrived yet. */
export async function isConsumed(locks: CrossTabLocks, lockName: string, refreshToken: string): Promise<boolean> {
  const name = markName(locks, lockName, refreshToken);
  if (name === null || !locks.query) return false;
  const { held = [] } = await locks.query();
  return held.some((lock) => lock.name === name);
}

function markName(locks: CrossTabLocks, lockName: string, refreshToken: string): string | null {
  return locks.query ? `${lockName}:consumed:${fingerprint(refreshToken)}` : null;
}

/**
 * A 53-bit fingerprint (cyrb53), synchronous so that a refresh goes out in the same task as before
 * (Web Crypto's digest would add a round trip to another thread to every refresh). It names the token
 * among a tab's few tokens; from it nobody can recover a token of 128 bits or more.
 */
function fingerprint(text: string): string {
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
