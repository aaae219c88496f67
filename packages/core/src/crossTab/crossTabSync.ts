import type { AuthMachineEvent } from '../authMachine.js';
import type { AuthStatus, CrossTabOptions, SessionTokens } from '../types.js';
import { untilAborted } from '../untilAborted.js';
import { isConsumed, markConsumed } from './rotationMark.js';
import { type CrossTabChannel, decodeMessage, encodeMessage, type TabMessage } from './tabChannel.js';

export const DEFAULT_CROSS_TAB_NAME = 'authmachine';
const DEFAULT_HANDOFF_DELAY = 50;

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
  const { name = DEFAULT_CROSS_TAB_NAME, handoffDelay = DEFAULT_HANDOFF_DELAY } = option === true ? {} : option;
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
  /** Lets go of this tab's newest rotation mark (see rotationMark.ts). */
  let releaseMark: () => void = () => undefined;

  const post = (message: TabMessage): void => {
    if (!closed) channel.postMessage(encodeMessage(message));
  };

  const receive = (message: TabMessage): void => {
    if (!session) return;
    if (message.type === 'logout') {
      latest = null;
      session.send({ type: 'LOGOUT', fromOtherTab: true });
    } else if (message.type === 'ended') {
      if (latest?.refreshToken === message.refreshToken) latest = null;
      session.send({ type: 'SESSION_ENDED', refreshToken: message.refreshToken });
    } else if (message.type === 'hello') {
      const status = session.status();
      const held = (status === 'authenticated' || status === 'refreshing') && latest;
      if (held && latest?.accessToken === session.accessToken()) post({ type: 'tokens', tokens: latest });
    } else {
      // Messages from different tabs may cross: never go back to older tokens.
      if (latest && message.tokens.receivedAt < latest.receivedAt) return;
      latest = message.tokens;
      if (session.accessToken() !== message.tokens.accessToken) session.send({ type: 'TOKENS_SYNCED', tokens: latest });
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

  return {
    refresh(refreshToken, signal, call) {
      if (!locks) return call();
      return new Promise<SessionTokens>((resolve, reject) => {
        locks
          .request(lockName, { signal }, async () => {
            // The tab before us may have posted its news just before it let go of the lock: let the
            // channel deliver what is already on its way, and stop if it ended our refresh. Its rotation
            // mark is held before it let go of the lock, so the lock manager is asked meanwhile.
            const [consumed] = await Promise.all([
              isConsumed(locks, lockName, refreshToken),
              pendingMessagesDelivered(),
            ]);
            if (signal.aborted) {
              reject(signal.reason);
              return;
            }
            // Another tab rotated the token while we waited: its tokens, not a second use of ours.
            if (latest && latest.refreshToken !== refreshToken) {
              resolve(latest);
              return;
            }
            // It did, but its message is still on the way: when it lands, the session takes the
            // tokens (TOKENS_SYNCED), which ends this refresh through the signal.
            if (consumed) {
              await untilAborted(new Promise<never>(() => undefined), signal);
            }
            if (signal.aborted) {
              reject(signal.reason);
              return;
            }
            // The next tab in line must hear of what happened before it gets the lock: BroadcastChannel
            // and Web Locks have no common order, so the lock is kept a little longer. A rotation is
            // posted here; a rejected refresh token is posted by the session as it ends (at once,
            // when it hears of the rejection), so that the next tab ends too instead of calling.
            // A call this tab stopped waiting for (a timeout) may still rotate the token: the lock is
            // held until it settles, so that no tab sends the same refresh token meanwhile, and its
            // tokens, however late, are shared (`resolve` after the abort's `reject` does nothing).
            signal.addEventListener('abort', () => reject(signal.reason), { once: true });
            try {
              const tokens = await call();
              latest = tokens;
              post({ type: 'tokens', tokens });
              resolve(tokens);
              // A server that kept the refresh token did not consume it: no mark, the next tab may use it.
              if (tokens.refreshToken !== refreshToken) {
                const previousMark = releaseMark;
                releaseMark = await markConsumed(locks, lockName, refreshToken);
                previousMark();
              }
            } catch (error) {
              reject(error);
            }
            if (handoffDelay > 0) await new Promise((done) => setTimeout(done, handoffDelay));
          })
          .catch(reject);
      });
    },
    announceTokens(tokens) {
      // Posted already under the lock, or adopted from another tab: not again.
      if (latest?.accessToken === tokens.accessToken) return;
      // A new session (a login): the marks of the old one's rotations name nothing any tab holds.
      releaseMark();
      latest = tokens;
      post({ type: 'tokens', tokens });
    },
    announceLogout() {
      releaseMark();
      latest = null;
      post({ type: 'logout' });
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
