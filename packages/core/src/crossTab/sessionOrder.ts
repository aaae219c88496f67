/**
 * Where a session change (a login, a logout) stands in the one order every tab agrees on. Device
 * clocks cannot give it: a clock set back makes a new login look older than the session it
 * replaces, and a login and a logout made in two tabs at once cross on the channel, each tab
 * applying the other's last. A Lamport clock can: each change is stamped one past the highest stamp
 * its tab has seen, ties broken by the tab's id, and every tab applies a change only when it comes
 * after the last one it applied, so all tabs end on the same change.
 */
export interface ChangeStamp {
  seq: number;
  tab: string;
}

export interface SessionOrder {
  /** Stamps a change this tab makes, which becomes the last one applied here. */
  stamp(): ChangeStamp;
  /** Whether another tab's change comes after the last one applied here; if so, it is now the last. */
  accept(stamp: ChangeStamp): boolean;
  /** The last change applied here (what a tab that just started is told). */
  last(): ChangeStamp | null;
}

export function createSessionOrder(): SessionOrder {
  const tab = Math.random().toString(36).slice(2);
  let clock = 0;
  let last: ChangeStamp | null = null;
  return {
    stamp() {
      clock += 1;
      last = { seq: clock, tab };
      return last;
    },
    accept(stamp) {
      clock = Math.max(clock, stamp.seq);
      const later = last === null || stamp.seq > last.seq || (stamp.seq === last.seq && stamp.tab > last.tab);
      if (later) last = stamp;
      return later;
    },
    last: () => last,
  };
}
