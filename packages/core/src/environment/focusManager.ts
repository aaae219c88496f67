import { createEnvironmentFlag, type EnvironmentFlag } from './environmentFlag.js';

/**
 * Whether the page is visible. A laptop that wakes up, or a tab brought back to the front, shows
 * the page again: every session then checks its token before the next request goes out (a timer may
 * have fired late, or not at all, while the page slept). In a browser it follows `visibilitychange`;
 * without a `document` it is always true and listens to nothing. React Native or tests drive it with
 * `setEventListener` / `setFocused`, as with TanStack Query's `focusManager`.
 */
export interface FocusManager {
  setEventListener(setup: (setFocused: (focused?: boolean) => void) => (() => void) | undefined): void;
  /** `undefined` returns to the default reading (`document.visibilityState`). */
  setFocused(focused?: boolean): void;
  isFocused(): boolean;
  subscribe(listener: (focused: boolean) => void): () => void;
}

const flag: EnvironmentFlag = createEnvironmentFlag(
  () => (globalThis as { document?: { visibilityState?: string } }).document?.visibilityState !== 'hidden',
  ['visibilitychange'],
);

export const focusManager: FocusManager = {
  setEventListener: flag.setEventListener,
  setFocused: flag.set,
  isFocused: flag.get,
  subscribe: flag.subscribe,
};
