'use client';

import type { AuthState } from '@authmachine/core';
import { useEffect, useMemo, useRef, useSyncExternalStore } from 'react';
import { useSessionStore } from './sessionStore.js';

/**
 * A part of the session's state. The component re-renders only when the selected value changes,
 * by `Object.is` or by `isEqual`; so a selector may build a new object each time if `isEqual`
 * compares its contents.
 */
export function useAuthSelector<T>(selector: (state: AuthState) => T, isEqual?: (a: T, b: T) => boolean): T {
  const { subscribe, getSnapshot, getServerSnapshot } = useSessionStore('useAuthSelector()');
  // The value React last committed: what a new selector's first result is compared with.
  const committed = useRef<{ value: T } | null>(null);

  const [getSelection, getServerSelection] = useMemo(() => {
    // React may call these several times per render and per store change: the memo makes the same
    // state give the same value, which useSyncExternalStore requires to avoid endless re-renders.
    let memo: { state: AuthState; value: T } | null = null;
    const select = (state: AuthState): T => {
      if (memo !== null && Object.is(memo.state, state)) return memo.value;
      const next = selector(state);
      const previous = memo ?? committed.current;
      const value = previous !== null && isEqual?.(previous.value, next) ? previous.value : next;
      memo = { state, value };
      return value;
    };
    return [() => select(getSnapshot()), () => select(getServerSnapshot())];
  }, [getSnapshot, getServerSnapshot, selector, isEqual]);

  const value = useSyncExternalStore(subscribe, getSelection, getServerSelection);
  useEffect(() => {
    committed.current = { value };
  }, [value]);
  return value;
}
