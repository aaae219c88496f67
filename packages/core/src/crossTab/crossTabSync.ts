import type { AuthMachineEvent } from '../authMachine.js';
import type { AuthStatus, CrossTabOptions, SessionTokens } from '../types.js';
import { untilAborted } from '../untilAborted.js';
import type { CrossTabLocks } from './refreshLock.js';
import { requestOrSteal } from './requestOrSteal.js';
import { createSessionOrder } from './sessionOrder.js';
import { type CrossTabChannel, decodeMessage, encodeMessage, type TabMessage } from './tabChannel.js';
import { claimRefreshToken, fingerprint } from './tokenClaim.js';

export const DEFAULT_CROSS_TAB_NAME = 'authmachine';
const DEFAULT_HANDOFF_DELAY = 50;
const DEFAULT_LOCK_TIMEOUT = 5_000;

/** What the sync needs of the session: read its state, send machine events. */
export interface SyncedSession {
  status(): AuthStatus;
  accessToken(): string | null;
  send(event: AuthMachineEvent): void;
}

export interface CrossTabSync {
  /** Runs a refresh call holding the cross-tab lock, unless another tab already rotated the token. */
  refresh(refreshToken: string, signal: AbortSignal, call: () => Promise<SessionTokens>): Promise<SessionTokens>;
  announceTokens(tokens: SessionTokens): void;
  announceLogout(): void;
  /** The server rejected this refresh token here: the tabs that hold it end their session too. */
  announceSessionEnd(refreshToken: string | null): void;
  /** Turns the other tabs' messages into machine events, and asks them for the session they hold. */
  connect(session: SyncedSession): void;
  /** A tab whose restore found no usable session adopts what the other tabs sent meanwhile. */
  restored(status: AuthStatus): void;
  close(): void;
}

/**
 * Cross-tab sync: one refresh at a time for every tab of the app (Web Locks), and new tokens,
 * logins, logouts and session ends shared over a `BroadcastChannel`. Returns null (each tab on its own) when the
 * option is off, or with a warning when the environment has no `BroadcastChannel`.
 */
export function createCrossTabSync(option: boolean | CrossTabOptions | undefined): CrossTabSync | null {
  if (option === undefined || option === false) return null;
  const {
    name = DEFAULT_CROSS_TAB_NAME,
    handoffDelay = DEFAULT_HANDOFF_DELAY,
    lockTimeout = DEFAULT_LOCK_TIMEOUT,
  } = option === true ? {} : option;
  const openChannel = (option === true ? undefined : option.channel) ?? defaultChannel();
  if (!openChannel) {
    warn('BroadcastChannel is unavailable here, so crossTab is off: each tab keeps its own session.');
    return null;
  }
  const locks = option !== true && option.locks !== undefined ? option.locks : defaultLocks();
  if (locks === undefined) {
    warn(
      'navigator.locks is unavailable (it needs a secure context: https, localhost or 127.0.0.1), so tabs ' +
        'may refresh at the same time; tokens and logouts are still shared. With rotating refresh tokens, ' +
        'serve the app from a secure context or pass crossTab.locks.',
    );
  }
  const channel = openChannel(`authmachine:${name}`);
  const lockName = `authmachine:${name}:refresh`;
  let session: SyncedSession | null = null;
  let closed = false;
  /** The newest tokens this tab knows of: its own, or another tab's. Null after a logout. */
  let latest: SessionTokens | null = null;
  /** The order of logins and logouts across tabs (see sessionOrder.ts). */
  const order = createSessionOrder();
  /** Lets go of the claim on the refresh token this tab rotated last (see tokenClaim.ts). */
  let releaseMark: () => void = () => undefined;
  /** This tab's refresh call under way, and what it settles this tab's refresh with. */
  let running: { refreshToken: string; outcome: Promise<SessionTokens> } | null = null;
  /** Since when this tab has waited for the refresh lock to send this token, across attempts. */
  let waitingFor: { refreshToken: string; since: number } | null = null;

  const post = (message: TabMessage): void => {
    if (!closed) channel.postMessage(encodeMessage(message));
  };

  const receive = (message: TabMessage): void => {
    if (!session) return;
    if (message.type === 'logout') {
      // A logout older than the login this tab made or took (they crossed): the login stands.
      if (message.stamp && !order.accept(message.stamp)) return;
      latest = null;
      session.send({ type: 'LOGOUT', fromOtherTab: true });
    } else if (message.type === 'ended') {
      if (latest?.refreshToken === message.refreshToken) latest = null;
      session.send({ type: 'SESSION_ENDED', refreshToken: message.refreshToken });
    } else if (message.type === 'hello') {
      const status = session.status();
      const held = (status === 'authenticated' || status === 'refreshing') && latest;
      if (held && latest?.accessToken === session.accessToken()) {
        post({ type: 'tokens', tokens: latest, stamp: order.last() ?? undefined });
      }
    } else {
      // Messages from different tabs may cross: never go back to older tokens. The rotation of the
      // refresh token we hold is newer whatever the clocks say (a clock set back makes every later
      // rotation look older than what the other tabs hold); other tokens are ordered by the clock.
      const { tokens, replaces } = message;
      // A rotation continues a session: a tab without one (it logged out, or its session ended, as
      // the rotating tab had not heard yet) starts none from it. Only a login brings it back.
      const status = session.status();
      if (replaces !== undefined && (status === 'anonymous' || status === 'expired')) return;
      const successor = !!latest?.refreshToken && fingerprint(latest.refreshToken) === replaces;
      // A login (a stamped session change) is ordered by its stamp, not by the clocks.
      if (replaces === undefined && message.stamp) {
        if (!order.accept(message.stamp)) return;
      } else if (latest && !successor && tokens.receivedAt < latest.receivedAt) return;
      latest = tokens;
      if (session.accessToken() !== tokens.accessToken) session.send({ type: 'TOKENS_SYNCED', tokens });
    }
  };

  const onMessage = (event: { data: unknown }): void => {
    const message = decodeMessage(event.data);
    if (message === null || closed) return;
    try {
      receive(message);
    } catch {
      // A message must never take the session down; the next one brings the tab up to date.
    }
  };

  /**
   * One refresh call under the refresh lock and the token's claim. `signal` (the first attempt's)
   * ends the waits; once the call is sent, only its answer does.
   */
  const lockedRefresh = (
    manager: CrossTabLocks,
    refreshToken: string,
    signal: AbortSignal,
    call: () => Promise<SessionTokens>,
  ): Promise<SessionTokens> => {
    // The wait is counted across this tab's attempts with the same token: each attempt ends at
    // refreshTimeout, and a lockTimeout longer than that must still come (see requestOrSteal.ts).
    if (waitingFor?.refreshToken !== refreshToken) waitingFor = { refreshToken, since: Date.now() };
    const stealAt = waitingFor.since + lockTimeout;
    return new Promise<SessionTokens>((resolve, reject) => {
      /** Ends this refresh when the signal aborted or another tab's rotation already reached this one. */
      const settledElsewhere = (): boolean => {
        if (signal.aborted) reject(signal.reason);
        else if (latest && latest.refreshToken !== refreshToken) resolve(latest);
        else return false;
        return true;
      };
      requestOrSteal(manager, lockName, { signal, stealAt }, async () => {
        waitingFor = null;
        // The tab before us may have posted its news just before it let go of the lock: let the
        // channel deliver what is already on its way.
        await pendingMessagesDelivered();
        if (settledElsewhere()) return;
        // Only the tab holding the token's claim may send it. Held by another tab: its call is on
        // its way or done (its news is coming, and ends this refresh through the signal), or it
        // fails and lets go, and this tab tries next. Nothing but the signal ends this wait: not
        // even a frozen holder is worth a reused token (see tokenClaim.ts).
        let release: () => void;
        try {
          release = await claimRefreshToken(manager, lockName, refreshToken, signal);
        } catch (error) {
          reject(error);
          return;
        }
        await pendingMessagesDelivered();
        if (settledElsewhere()) {
          release();
          return;
        }
        // The next tab in line must hear of what happened before it gets the lock: BroadcastChannel
        // and Web Locks have no common order, so the lock is kept a little longer. A rotation is
        // posted here; a rejected refresh token is posted by the session as it ends (at once,
        // when it hears of the rejection), so that the next tab ends too instead of calling.
        let failed = false;
        try {
          const tokens = await call();
          // A tab that froze during its call reads the answer when it wakes, with the other tabs'
          // news (a logout, a new login) queued meanwhile not yet read: read them first. When they
          // ended this session, the answer is for a session no tab holds any more: not posted, so
          // it never overwrites a newer state; its token was consumed all the same, so the claim is
          // kept. Only its own timeout meanwhile: the rotation is still this session's, posted.
          await pendingMessagesDelivered();
          if (signal.aborted && latest?.refreshToken !== refreshToken) {
            reject(signal.reason);
          } else {
            latest = tokens;
            // `replaces` names the rotated token: its holders take these tokens whatever their clocks say.
            post({ type: 'tokens', tokens, replaces: fingerprint(refreshToken) });
            resolve(tokens);
          }
          if (tokens.refreshToken === refreshToken) {
            // A server that kept the refresh token did not consume it: the next tab may send it.
            release();
          } else {
            releaseMark();
            releaseMark = release;
          }
        } catch (error) {
          failed = true;
          reject(error);
        }
        if (handoffDelay > 0) await new Promise((done) => setTimeout(done, handoffDelay));
        // After the handoff too, so that a refused token's 'ended' message arrives first.
        if (failed) release();
      }).catch(reject);
    });
  };

  return {
    refresh(refreshToken, signal, call) {
      if (!locks) return call();
      // A call this tab stopped waiting for (a timeout) may still rotate the token: the lock and the
      // claim are held until it settles, so that no tab sends the same refresh token meanwhile, its
      // tokens, however late, are shared, and this tab's retries join it instead of calling again.
      if (running?.refreshToken !== refreshToken) {
        const outcome = lockedRefresh(locks, refreshToken, signal, call);
        const done = (): void => {
          if (running?.outcome === outcome) running = null;
        };
        outcome.then(done, done);
        running = { refreshToken, outcome };
      }
      return untilAborted(running.outcome, signal);
    },
    announceTokens(tokens) {
      // Posted already under the lock, or adopted from another tab: not again.
      if (latest?.accessToken === tokens.accessToken) return;
      // A new session (a login): the marks of the old one's rotations name nothing any tab holds.
      releaseMark();
      latest = tokens;
      post({ type: 'tokens', tokens, stamp: order.stamp() });
    },
    announceLogout() {
      releaseMark();
      latest = null;
      post({ type: 'logout', stamp: order.stamp() });
    },
    announceSessionEnd(refreshToken) {
      if (refreshToken === null) return;
      if (latest?.refreshToken === refreshToken) latest = null;
      post({ type: 'ended', refreshToken });
    },
    connect(synced) {
      session = synced;
      channel.addEventListener('message', onMessage);
      post({ type: 'hello' });
    },
    restored(status) {
      if ((status === 'anonymous' || status === 'expired') && latest && session) {
        session.send({ type: 'TOKENS_SYNCED', tokens: latest });
      }
    },
    close() {
      if (closed) return;
      closed = true;
      releaseMark();
      channel.removeEventListener('message', onMessage);
      channel.close();
    },
  };
}

/**
 * Resolves after the messages already queued for this context have been delivered: a macrotask
 * that runs after them (Node: `setImmediate` runs after the poll phase that delivers channel
 * messages; browsers: a MessageChannel task, which background tabs do not throttle as they do
 * `setTimeout`).
 */
function pendingMessagesDelivered(): Promise<void> {
  return new Promise((resolve) => {
    if (typeof setImmediate === 'function') {
      setImmediate(resolve);
      return;
    }
    if (typeof MessageChannel !== 'function') {
      setTimeout(resolve, 0);
      return;
    }
    const { port1, port2 } = new MessageChannel();
    port1.onmessage = () => {
      port1.close();
      resolve();
    };
    port2.postMessage(null);
  });
}

function defaultChannel(): ((name: string) => CrossTabChannel) | undefined {
  if (typeof BroadcastChannel !== 'function') return undefined;
  return (name) => new BroadcastChannel(name);
}

function defaultLocks(): CrossTabOptions['locks'] {
  const locks = (globalThis as { navigator?: { locks?: CrossTabOptions['locks'] } }).navigator?.locks;
  return locks ?? undefined;
}

function warn(message: string): void {
  console.warn(`authmachine crossTab: ${message}`);
}
