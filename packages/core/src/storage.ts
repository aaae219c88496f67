import { AuthError } from './errors.js';
import type { TokenSet, TokenStorage } from './types.js';

/**
 * The default storage: tokens live only in this JavaScript context, out of reach of other scripts'
 * `localStorage` reads. A reload logs the user out, which is the safe default.
 */
export function memoryStorage(): TokenStorage {
  let tokens: TokenSet | null = null;
  return {
    get: () => (tokens ? { ...tokens } : null),
    set: (next) => {
      tokens = { ...next };
    },
    clear: () => {
      tokens = null;
    },
  };
}

/** The part of the Web Storage API we use, so any `localStorage`/`sessionStorage`-like object fits. */
export interface WebStorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export const DEFAULT_STORAGE_KEY = 'authmachine.tokens';

/**
 * Keeps tokens in `localStorage` or `sessionStorage` under one key, so that they survive a reload.
 * Anything that can run script on the page can read them: prefer `memoryStorage()` when you can.
 */
export function webStorage(storage: WebStorageLike, key: string = DEFAULT_STORAGE_KEY): TokenStorage {
  return {
    get: () => {
      const raw = storage.getItem(key);
      if (raw === null) return null;
      try {
        return JSON.parse(raw) as TokenSet;
      } catch {
        // No cause: JSON.parse's SyntaxError quotes the stored text, which may be a token.
        throw new AuthError('STORAGE_FAILED', `The value stored under "${key}" is not JSON.`);
      }
    },
    set: (tokens) => storage.setItem(key, JSON.stringify(tokens)),
    clear: () => storage.removeItem(key),
  };
}
