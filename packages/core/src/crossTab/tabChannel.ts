import type { SessionTokens } from '../types.js';

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
  | { type: 'tokens'; tokens: SessionTokens; replaces?: unknown }
  | { type: 'logout' }
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
  const { source, v, type, tokens, refreshToken: endedToken, replaces } = data as Record<string, unknown>;
  if (source !== SOURCE || v !== VERSION) return null;
  if (type === 'logout' || type === 'hello') return { type };
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
