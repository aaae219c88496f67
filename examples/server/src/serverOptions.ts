import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RefreshFaultHook } from './refreshFault.js';
import { DEFAULT_USERS, type DemoUser } from './users.js';

/** Handles what the auth server has no route for (the `--serve` hook for an app's files). */
export type FallbackHandler = (request: IncomingMessage, response: ServerResponse) => void | Promise<void>;

export interface AuthServerOptions {
  /** Default `127.0.0.1`: loopback only. */
  host?: string;
  /** Default 0: a free port, read it from the result. */
  port?: number;
  /** Access-token lifetime in seconds; fractions allowed (fast tests). Default 900. */
  accessTtl?: number;
  /** Refresh-token lifetime in seconds, counted from each rotation. Default 86_400. */
  refreshTtl?: number;
  /** Default: ada/lovelace (scopes read, admin) and grace/hopper (scope read). */
  users?: readonly DemoUser[];
  /** Origins that may call the server from a browser (`http://localhost:5173`). Default none. */
  allowedOrigins?: readonly string[];
  /** Guards `POST /admin/revoke` and `POST /stats/reset` (header `X-Admin-Key`). Default: random, on the result. */
  adminKey?: string;
  /**
   * Ms each refresh waits before it rotates the token: a slow token endpoint, to see what happens
   * mid-refresh. A client that disconnects during the wait gets nothing and nothing rotates. Default 0.
   */
  refreshDelay?: number;
  /**
   * Called for each well-formed refresh request with its token and its 1-based number: return a
   * `RefreshFault` to make that refresh fail (an error status, `invalid_grant`, a dropped or hung
   * connection, a rotation whose answer is lost or late), or `undefined` to let it through. Applied
   * after any `refreshDelay`. For tests of what a client does when its token endpoint misbehaves.
   */
  refreshFault?: RefreshFaultHook;
  /** Largest request body accepted, in bytes. Default 16 KiB. */
  maxBodyBytes?: number;
  /** The server's clock in epoch ms, for tests that move time instead of sleeping. */
  now?: () => number;
  /** Called for requests no route matches, instead of answering 404. */
  fallback?: FallbackHandler;
}

export interface ResolvedOptions {
  host: string;
  port: number;
  accessTtl: number;
  refreshTtl: number;
  users: readonly DemoUser[];
  allowedOrigins: ReadonlySet<string>;
  adminKey: string;
  refreshDelay: number;
  refreshFault: RefreshFaultHook | undefined;
  maxBodyBytes: number;
  now: () => number;
  fallback: FallbackHandler | undefined;
}

/** Checks the options up front, so that a typo fails at start with a message, not at a request. */
export function resolveOptions(options: AuthServerOptions = {}): ResolvedOptions {
  const { accessTtl = 900, refreshTtl = 86_400, port = 0, maxBodyBytes = 16 * 1024, refreshDelay = 0 } = options;
  if (!isPositive(accessTtl)) throw invalid('accessTtl must be a number of seconds > 0 (fractions allowed).');
  if (!isPositive(refreshTtl)) throw invalid('refreshTtl must be a number of seconds > 0 (fractions allowed).');
  if (!(Number.isInteger(port) && port >= 0 && port <= 65_535)) throw invalid('port must be a whole number 0-65535.');
  if (!(Number.isInteger(refreshDelay) && refreshDelay >= 0 && refreshDelay <= 60_000)) {
    throw invalid('refreshDelay must be a whole number of milliseconds 0-60000.');
  }
  if (!(Number.isInteger(maxBodyBytes) && maxBodyBytes > 0)) throw invalid('maxBodyBytes must be a whole number > 0.');
  if (options.adminKey !== undefined && !(typeof options.adminKey === 'string' && options.adminKey.length >= 8)) {
    throw invalid('adminKey must be a string of at least 8 characters.');
  }
  for (const [name, value] of [
    ['now', options.now],
    ['fallback', options.fallback],
    ['refreshFault', options.refreshFault],
  ] as const) {
    if (value !== undefined && typeof value !== 'function') throw invalid(`${name} must be a function.`);
  }
  return {
    host: options.host ?? '127.0.0.1',
    port,
    accessTtl,
    refreshTtl,
    users: validUsers(options.users ?? DEFAULT_USERS),
    allowedOrigins: new Set((options.allowedOrigins ?? []).map(toOrigin)),
    adminKey: options.adminKey ?? randomBytes(18).toString('base64url'),
    refreshDelay,
    refreshFault: options.refreshFault,
    maxBodyBytes,
    now: options.now ?? Date.now,
    fallback: options.fallback,
  };
}

function validUsers(users: readonly DemoUser[]): readonly DemoUser[] {
  if (!Array.isArray(users)) throw invalid('users must be an array of { username, password, name, scope }.');
  for (const user of users) {
    const fine =
      typeof user?.username === 'string' &&
      user.username.length > 0 &&
      typeof user.password === 'string' &&
      user.password.length > 0 &&
      typeof user.name === 'string' &&
      Array.isArray(user.scope) &&
      user.scope.every((scope: unknown) => typeof scope === 'string' && /^[\x21\x23-\x5b\x5d-\x7e]+$/.test(scope));
    if (!fine) {
      throw invalid('each user needs a non-empty username and password, a name, and scope: string[] (no spaces).');
    }
  }
  return users;
}

function toOrigin(origin: string): string {
  try {
    const parsed = new URL(origin);
    if (parsed.origin !== 'null') return parsed.origin;
  } catch {
    // Reported below.
  }
  throw invalid(
    `allowedOrigins holds "${String(origin)}", which is not an origin: write it as "http://localhost:5173".`,
  );
}

function isPositive(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0;
}

function invalid(message: string): TypeError {
  return new TypeError(`startAuthServer: ${message}`);
}
