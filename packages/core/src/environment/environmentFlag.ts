/** Hooks a flag to its source of truth (DOM events, React Native's AppState...) and returns the cleanup. */
export type FlagSetup = (setFlag: (value?: boolean) => void) => (() => void) | undefined;

/**
 * One yes/no fact about the environment (is the page visible, is the device online) that sessions
 * react to, shaped like TanStack Query's `focusManager` / `onlineManager` so that apps and tests can
 * drive it the same way. The listener is only set up while a session subscribes, and set again by
 * `setEventListener`.
 */
export interface EnvironmentFlag {
  /** Replaces the default listener: `setFlag(true | false)` reports a change; `setFlag()` returns to the default reading. */
  setEventListener(setup: FlagSetup): void;
  /** Reports the flag, e.g. from a test; `undefined` returns to the default reading. */
  set(value?: boolean): void;
  get(): boolean;
  /** Called with the new value when it changes. */
  subscribe(listener: (value: boolean) => void): () => void;
}

/**
 * `read`: the default reading; `domEvents`: the `window` events after which it is read again (none
 * outside a browser: Node, workers, React Native, where the app reports changes itself).
 */
export function createEnvironmentFlag(read: () => boolean, domEvents: readonly string[]): EnvironmentFlag {
  const listeners = new Set<(value: boolean) => void>();
  let reported: boolean | undefined;
  let setup: FlagSetup = (setFlag) => {
    const target = (globalThis as { window?: Partial<Window> }).window;
    if (typeof target?.addEventListener !== 'function') return undefined;
    const onChange = (): void => setFlag();
    for (const name of domEvents) target.addEventListener(name, onChange);
    return () => {
      for (const name of domEvents) target.removeEventListener?.(name, onChange);
    };
  };
  let cleanup: (() => void) | undefined;
  const get = (): boolean => reported ?? read();
  // What the listeners last heard: a DOM event arrives after the reading it reports has changed.
  let heard = get();
  const set = (value?: boolean): void => {
    reported = value;
    const current = get();
    if (current === heard) return;
    heard = current;
    for (const listener of [...listeners]) listener(current);
  };
  return {
    setEventListener(next) {
      setup = next;
      cleanup?.();
      cleanup = listeners.size > 0 ? next(set) : undefined;
    },
    set,
    get,
    subscribe(listener) {
      listeners.add(listener);
      if (listeners.size === 1) {
        heard = get();
        cleanup = setup(set);
      }
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0) {
          cleanup?.();
          cleanup = undefined;
        }
      };
    },
  };
}
