import { type AuthMachineConfig, DEFAULT_CONFIG } from './authMachine.js';
import { AuthError } from './errors.js';
import type { AuthSessionOptions } from './types.js';

/** Checks options up front, so that a typo fails at startup with a message, not at the first 401. */
export function toMachineConfig(options: AuthSessionOptions): AuthMachineConfig {
  if (typeof options?.refresh !== 'function') {
    throw invalid('refresh must be a function ({ refreshToken, signal }) => Promise<TokenSet>.');
  }
  const { storage, refreshLeeway, refreshTimeout, refreshRetries } = options;
  if (
    storage !== undefined &&
    !['get', 'set', 'clear'].every((method) => typeof storage?.[method as 'get'] === 'function')
  ) {
    throw invalid('storage must have get(), set(tokens) and clear() methods.');
  }
  if (refreshLeeway !== undefined && refreshLeeway !== false && !isNonNegativeNumber(refreshLeeway)) {
    throw invalid('refreshLeeway must be a number of milliseconds >= 0, or false.');
  }
  if (refreshTimeout !== undefined && !(isNonNegativeNumber(refreshTimeout) && refreshTimeout > 0)) {
    throw invalid('refreshTimeout must be a number of milliseconds > 0.');
  }
  if (refreshRetries !== undefined && !(Number.isInteger(refreshRetries) && refreshRetries >= 0)) {
    throw invalid('refreshRetries must be a whole number >= 0.');
  }
  return {
    refreshLeeway: refreshLeeway ?? DEFAULT_CONFIG.refreshLeeway,
    refreshTimeout: refreshTimeout ?? DEFAULT_CONFIG.refreshTimeout,
    refreshRetries: refreshRetries ?? DEFAULT_CONFIG.refreshRetries,
  };
}

function isNonNegativeNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}

function invalid(message: string): AuthError {
  return new AuthError('INVALID_OPTIONS', `createAuthSession: ${message}`);
}
