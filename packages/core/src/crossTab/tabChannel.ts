import type { SessionTokens } from '../types.js';
import type { ChangeStamp } from './sessionOrder.js';

/** A login's or a logout's place in the order all tabs agree on (absent from older tabs). */
type Stamped = { stamp?: ChangeStamp | undefined };

/** The part of `BroadcastChannel` cross-tab sync uses, so a test can pass any channel that fits. */
export interface CrossTabChannel {
  postMessage(message: unknown): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  removeEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  close(): void;
}

/** What tabs tell each other. Tokens travel only between tabs of one origin that opted into `crossTab`. */
export type TabMessage =
  /**
   * `replaces`: the fingerprint of the refresh token consumed to get these tokens (absent for a
   * login): the successor of the tokens a tab holds, whatever the clocks say. Only ever compared
   * with `===` to a fingerprint, so it is passed on unchecked.
   */
  | ({ type: 'tokens'; tokens: SessionTokens; replaces?: unknown } & Stamped)
  | ({ type: 'logout' } & Stamped)
  /** The server rejected this refresh token: the session that holds it has ended. */
  | { type: 'ended'; refreshToken: string }
  /** A tab that just started asks the others for the session they hold. */
  | { type: 'hello' };

const SOURCE = 'authmachine';
const VERSION = 1;

export function encodeMessage(message: TabMessage): unknown {
  return { source: SOURCE, v: VERSION, ...message };
}

/** Anything on the channel may be garbage (another library, an old version): null unless valid. */
export function decodeMessage(data: unknown): TabMessage | null {
  if (typeof data !== 'object' || data === null) return null;
  const { source, v, type, tokens, refreshToken: endedToken, replaces, stamp } = data as Record<string, unknown>;
  if (source !== SOURCE || v !== VERSION) return null;
  if (type === 'hello') return { type };
  if (type === 'logout') return { type, stamp: stampOf(stamp) };
  if (type === 'ended') {
    return typeof endedToken === 'string' && endedToken.length > 0 ? { type, refreshToken: endedToken } : null;
  }
  if (type !== 'tokens' || typeof tokens !== 'object' || tokens === null) return null;
  const { accessToken, refreshToken, expiresAt, receivedAt } = tokens as Record<string, unknown>;
  const valid =
    typeof accessToken === 'string' &&
    accessToken.length > 0 &&
    (refreshToken === null || (typeof refreshToken === 'string' && refreshToken.length > 0)) &&
    (expiresAt === null || isFiniteNumber(expiresAt)) &&
    isFiniteNumber(receivedAt);
  if (!valid) return null;
  return {
    type,
    replaces,
    stamp: stampOf(stamp),
    tokens: {
      accessToken,
      refreshToken: refreshToken as string | null,
      expiresAt: expiresAt as number | null,
      receivedAt: receivedAt as number,
    },
  };
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

function stampOf(value: unknown): ChangeStamp | undefined {
  const { seq, tab } = (value ?? {}) as Record<string, unknown>;
  const valid =
    typeof seq === 'number' && Number.isSafeInteger(seq) && seq > 0 && typeof tab === 'string' && tab !== '';
  return valid ? { seq, tab } : undefined;
}
