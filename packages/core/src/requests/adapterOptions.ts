import { AuthError } from '../errors.js';

/** The header every adapter writes: its name, and how a token becomes its value. */
export interface AuthHeaderFormat {
  /** Trimmed, in the app's casing. */
  name: string;
  /** `Bearer <token>`, or the bare token with `scheme: ''`. */
  valueFor(token: string): string;
}

/** Checks the `headerName` / `scheme` options every adapter takes, with one set of messages. */
export function toAuthHeaderFormat(
  headerName: unknown = 'Authorization',
  scheme: unknown = 'Bearer',
): AuthHeaderFormat {
  if (typeof headerName !== 'string' || headerName.trim() === '') {
    throw new AuthError('INVALID_OPTIONS', 'headerName must be a header name such as "Authorization".');
  }
  if (typeof scheme !== 'string') {
    throw new AuthError('INVALID_OPTIONS', 'scheme must be a string such as "Bearer" ("" sends the bare token).');
  }
  const prefix = scheme === '' ? '' : `${scheme} `;
  return { name: headerName.trim(), valueFor: (token) => prefix + token };
}

/** Checks the `queueTimeout` option every adapter takes: ms, positive, or absent. */
export function checkQueueTimeout(queueTimeout: unknown): number | undefined {
  if (queueTimeout === undefined) return undefined;
  if (typeof queueTimeout !== 'number' || !Number.isFinite(queueTimeout) || queueTimeout <= 0) {
    throw new AuthError('INVALID_OPTIONS', 'queueTimeout must be a positive number of milliseconds.');
  }
  return queueTimeout;
}
