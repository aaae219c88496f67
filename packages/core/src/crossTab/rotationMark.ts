import type { CrossTabLocks } from './refreshLock.js';

/**
 * Web Locks and BroadcastChannel have no common order: under load, the next tab in line can be
 * granted the refresh lock before the message with the rotated tokens reaches it, and would then
 * send a refresh token the server already consumed (reuse detection: the whole session revoked).
 * The lock manager itself is one ordered authority, so the tab that rotated also takes a lock named
 * after the refresh token it consumed before it lets go of the refresh lock; the next tab finds it
 * with `query()` and waits for the news instead of calling. The name holds a digest, not the token:
 * every script of the origin can list lock names.
 */

/** Long after any message has been delivered, short enough that marks do not pile up. */
const MARK_HOLD_MS = 10_000;

/** Resolves once the mark is held (or could not be made: no `query`, no Web Crypto). */
export async function markConsumed(locks: CrossTabLocks, lockName: string, refreshToken: string): Promise<void> {
  const name = await markName(locks, lockName, refreshToken);
  if (name === null) return;
  await new Promise<void>((held) => {
    locks
      .request(name, { ifAvailable: true }, () => {
        held();
        return new Promise((release) => {
          // A Node script must still exit while a mark is held.
          (setTimeout(release, MARK_HOLD_MS) as { unref?: () => void }).unref?.();
        });
      })
      .catch(() => held());
  });
}

/** True when another tab rotated this refresh token and its message has not arrived yet. */
export async function isConsumed(locks: CrossTabLocks, lockName: string, refreshToken: string): Promise<boolean> {
  const name = await markName(locks, lockName, refreshToken);
  if (name === null || !locks.query) return false;
  const { held = [] } = await locks.query();
  return held.some((lock) => lock.name === name);
}

async function markName(locks: CrossTabLocks, lockName: string, refreshToken: string): Promise<string | null> {
  const subtle = globalThis.crypto?.subtle;
  if (!locks.query || !subtle) return null;
  try {
    const digest = new Uint8Array(await subtle.digest('SHA-256', new TextEncoder().encode(refreshToken)));
    return `${lockName}:consumed:${btoa(String.fromCharCode(...digest))}`;
  } catch {
    return null;
  }
}
