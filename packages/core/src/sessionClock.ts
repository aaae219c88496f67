/**
 * The clock the session's actor schedules its timers on: XState's default (the global setTimeout),
 * except that the proactive refresh's timer does not keep a Node process alive. Nobody waits on that
 * timer, and a script that logged in and did its work must exit instead of hanging until the token
 * is due (`stop()` is then a courtesy, not a requirement). The timers that requests do wait on (the
 * backoff between attempts, the refresh timeout) keep it alive, so that an awaited request settles.
 */
export interface SessionClock {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(id: unknown): void;
  /** Passes the proactive refresh's delay through, marking the timer about to be set with it. */
  unattended(ms: number): number;
}

export function createSessionClock(): SessionClock {
  // The machine resolves a delay and sets its timer in the same step: the next timer with this delay
  // is the proactive one.
  let unattendedDelay: number | undefined;
  return {
    setTimeout(callback, ms) {
      const id = setTimeout(callback, ms);
      if (ms === unattendedDelay) {
        unattendedDelay = undefined;
        (id as { unref?: () => void }).unref?.();
      }
      return id;
    },
    clearTimeout(id) {
      clearTimeout(id as ReturnType<typeof setTimeout>);
    },
    unattended(ms) {
      unattendedDelay = ms;
      return ms;
    },
  };
}
