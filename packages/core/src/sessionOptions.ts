import { type AuthMachineConfig, DEFAULT_CONFIG } from './authMachine.js';
import { AuthError } from './errors.js';
import { warnUnknownOptions } from './optionChecks.js';
import type { AuthSessionOptions } from './types.js';

const SESSION_OPTIONS = [
  'refresh',
  'storage',
  'refreshLeeway',
  'refreshTimeout',
  'refreshRetries',
  'isSessionEnded',
  'now',
  'crossTab',
  'revoke',
  'inspect',
  'inspectTokens',
] as const satisfies ReadonlyArray<keyof AuthSessionOptions>;

/** Checks options up front, so that a typo fails at startup with a message, not at the first 401. */
export function toMachineConfig(options: AuthSessionOptions): AuthMachineConfig {
  if (typeof options?.refresh !== 'function') {
    throw invalid('refresh must be a function ({ refreshToken, signal }) => Promise<TokenSet>.');
  }
  warnUnknownOptions(options, SESSION_OPTIONS, 'createAuthSession');
  const { storage, refreshLeeway, refreshTimeout, refreshRetries, revoke } = options;
  if (revoke !== undefined && typeof revoke !== 'function') {
    throw invalid(
      'revoke must be a function ({ refreshToken, accessToken, signal }) => Promise<void>, e.g. oauth2Revoke(...).',
    );
  }
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
  const { inspect } = options;
  if (inspect !== undefined && typeof inspect !== 'function' && typeof inspect?.next !== 'function') {
    throw invalid('inspect must be an XState inspector: a function (event) => void or an observer { next }.');
  }
  checkCrossTab(options.crossTab);
  return {
    refreshLeeway: refreshLeeway ?? DEFAULT_CONFIG.refreshLeeway,
    refreshTimeout: refreshTimeout ?? DEFAULT_CONFIG.refreshTimeout,
    refreshRetries: refreshRetries ?? DEFAULT_CONFIG.refreshRetries,
  };
}

function checkCrossTab(crossTab: AuthSessionOptions['crossTab']): void {
  if (crossTab === undefined || typeof crossTab === 'boolean') return;
  if (typeof crossTab !== 'object' || crossTab === null) {
    throw invalid('crossTab must be true, false or { name?, locks?, channel?, handoffDelay?, lockTimeout? }.');
  }
  const { name, locks, channel, handoffDelay, lockTimeout } = crossTab;
  if (name !== undefined && !(typeof name === 'string' && name.length > 0)) {
    throw invalid('crossTab.name must be a non-empty string.');
  }
  if (locks !== undefined && locks !== null && typeof locks?.request !== 'function') {
    throw invalid('crossTab.locks must be a Web Locks manager (navigator.locks), inProcessLocks() or null.');
  }
  if (channel !== undefined && typeof channel !== 'function') {
    throw invalid('crossTab.channel must be a function (name) => BroadcastChannel.');
  }
  if (handoffDelay !== undefined && !isNonNegativeNumber(handoffDelay)) {
    throw invalid('crossTab.handoffDelay must be a number of milliseconds >= 0.');
  }
  if (lockTimeout !== undefined && !isNonNegativeNumber(lockTimeout)) {
    throw invalid('crossTab.lockTimeout must be a number of milliseconds >= 0.');
  }
}

function isNonNegativeNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}

function invalid(message: string): AuthError {
  return new AuthError('INVALID_OPTIONS', `createAuthSession: ${message}`);
}
