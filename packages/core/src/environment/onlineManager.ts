import { createEnvironmentFlag, type EnvironmentFlag } from './environmentFlag.js';

/**
 * Whether the device can reach the network. `navigator.onLine === false` is reliable (no network at
 * all); `true` only means "maybe". So offline, a refresh that fails with a network error is not
 * retried: the requests waiting for it fail at once with `TokenRefreshError` instead of waiting
 * through backoffs that cannot succeed, and the session keeps its tokens. Back online, a session
 * whose token expired or whose last refresh failed refreshes before the next request. In a browser it
 * follows the `online`/`offline` events; elsewhere it is true until told otherwise (`setOnline`,
 * `setEventListener`, as with TanStack Query's `onlineManager`).
 */
export interface OnlineManager {
  setEventListener(setup: (setOnline: (online?: boolean) => void) => (() => void) | undefined): void;
  /** `undefined` returns to the default reading (`navigator.onLine`). */
  setOnline(online?: boolean): void;
  isOnline(): boolean;
  subscribe(listener: (online: boolean) => void): () => void;
}

const flag: EnvironmentFlag = createEnvironmentFlag(
  () => (globalThis as { navigator?: { onLine?: boolean } }).navigator?.onLine !== false,
  ['online', 'offline'],
);

export const onlineManager: OnlineManager = {
  setEventListener: flag.setEventListener,
  setOnline: flag.set,
  isOnline: flag.get,
  subscribe: flag.subscribe,
};
