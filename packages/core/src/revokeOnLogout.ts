import type { RevokeContext } from './types.js';

export interface Revoker {
  /** Calls the app's `revoke` in the background; a failure or a timeout goes to `onFailure`. */
  revoke(tokens: Omit<RevokeContext, 'signal'>): void;
  /** Aborts the calls under way (the session stops). */
  stop(): void;
}

/**
 * The server side of `logout()`. It runs after the local logout, which never waits on it: a slow or
 * unreachable revocation endpoint must not keep a user logged in on this device, nor undo the logout
 * when it answers. `timeoutMs` bounds each call (the session's `refreshTimeout`).
 */
export function createRevoker(
  revoke: (ctx: RevokeContext) => Promise<void> | void,
  timeoutMs: number,
  onFailure: (error: unknown) => void,
): Revoker {
  const running = new Set<AbortController>();
  return {
    revoke(tokens) {
      const controller = new AbortController();
      running.add(controller);
      const timer = setTimeout(() => {
        controller.abort(new Error(`The revoke call took longer than ${timeoutMs} ms.`));
      }, timeoutMs);
      // The call itself keeps a Node process alive while it runs; its timeout need not.
      (timer as { unref?: () => void }).unref?.();
      Promise.resolve()
        .then(() => revoke({ ...tokens, signal: controller.signal }))
        .catch((error: unknown) => {
          if (controller.signal.reason !== STOPPED) onFailure(error);
        })
        .finally(() => {
          clearTimeout(timer);
          running.delete(controller);
        });
    },
    stop() {
      for (const controller of running) controller.abort(STOPPED);
    },
  };
}

const STOPPED = new Error('The session stopped.');
