import type { IncomingMessage } from 'node:http';
import { HttpError, invalidGrant } from './httpError.js';

/**
 * A failure of the token endpoint that a test injects into one refresh (`refreshFault` option).
 * The first four happen before anything rotates: the client's refresh token stays valid. The last
 * two happen after the rotation was committed: the client holds a token the server already
 * exchanged, and presenting it again is a reuse detection.
 */
export type RefreshFault =
  /** A JSON error answer (RFC 6749 §5.2 style body); nothing rotated. */
  | { type: 'status'; status: 429 | 500 | 502 | 503 }
  /** 400 `invalid_grant`; nothing rotated and the family is NOT revoked. */
  | { type: 'invalidGrant' }
  /** The connection is destroyed before anything rotates: the client sees a network error. */
  | { type: 'drop' }
  /** No answer ever; nothing rotates; it ends when the client disconnects (or the server closes). */
  | { type: 'hang' }
  /** The rotation is committed, then the connection is destroyed: the client never learns its new token. */
  | { type: 'dropAfterRotation' }
  /** The rotation is committed, and the answer leaves only after `ms`: a slow answer. */
  | { type: 'delayAfterRotation'; ms: number };

export interface RefreshFaultInfo {
  /** The refresh token the client sent. */
  refreshToken: string;
  /** 1-based number of well-formed refresh requests this server has seen (a stats reset leaves it be). */
  count: number;
}

/** Decides, per refresh request, whether and how it fails; `undefined` lets it through. */
export type RefreshFaultHook = (info: RefreshFaultInfo) => RefreshFault | undefined;

const STATUS_ERRORS: Record<number, string> = {
  429: 'temporarily_unavailable',
  500: 'server_error',
  502: 'server_error',
  503: 'temporarily_unavailable',
};

/**
 * Checks what the hook returned, so that a typo in a test fails with a message (a 500 the test
 * reads) instead of a refresh that silently succeeds.
 */
export function checkRefreshFault(fault: unknown): RefreshFault | undefined {
  if (fault === undefined) return undefined;
  const type = (fault as { type?: unknown } | null)?.type;
  if (type === 'invalidGrant' || type === 'drop' || type === 'hang' || type === 'dropAfterRotation') {
    return fault as RefreshFault;
  }
  const { status, ms } = fault as { status?: unknown; ms?: unknown };
  if (type === 'status' && typeof status === 'number' && STATUS_ERRORS[status] !== undefined) {
    return fault as RefreshFault;
  }
  if (type === 'delayAfterRotation' && typeof ms === 'number' && Number.isInteger(ms) && ms >= 0 && ms <= 60_000) {
    return fault as RefreshFault;
  }
  throw new TypeError(
    'refreshFault returned something that is not a RefreshFault: use {type: "status", status: 429|500|502|503}, ' +
      '{type: "invalidGrant"}, {type: "drop"}, {type: "hang"}, {type: "dropAfterRotation"} or ' +
      '{type: "delayAfterRotation", ms: 0-60000}.',
  );
}

/** The error answer of a fault that fails before rotation with a status. */
export function faultError(fault: { type: 'status'; status: number } | { type: 'invalidGrant' }): HttpError {
  if (fault.type === 'invalidGrant') return invalidGrant('The refresh was refused (injected fault).');
  return new HttpError(
    fault.status,
    STATUS_ERRORS[fault.status] ?? 'server_error',
    'Try again later (injected fault).',
  );
}

/** Destroys the connection: the client sees a reset socket, not an answer. */
export function dropConnection(request: IncomingMessage): void {
  request.socket.destroy();
}

/** Resolves once the client's connection is gone: a `hang` fault lasts exactly as long as the client waits. */
export function untilDisconnected(request: IncomingMessage): Promise<void> {
  const { socket } = request;
  if (socket.destroyed) return Promise.resolve();
  return new Promise((resolve) => socket.once('close', () => resolve()));
}
