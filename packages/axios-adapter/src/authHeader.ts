import { toAuthHeaderFormat } from '@authmachine/core';
import { AxiosHeaders, type InternalAxiosRequestConfig } from 'axios';

/** The header this library writes: its name, and how a token becomes its value. */
export interface AuthHeader {
  set(config: InternalAxiosRequestConfig, token: string): void;
  /** Takes ours off the request's headers: a retry that may no longer carry a token. */
  remove(config: InternalAxiosRequestConfig): void;
}

// axios' own test of a header name that `AxiosHeaders.set` takes as a name (not as raw header lines).
const HEADER_NAME = /^[-_a-zA-Z0-9^`|~,!#$%&'*+.]+$/;
// Visible ASCII, spaces only inside: what `AxiosHeaders.set` would pass through its sanitizer unchanged.
const PLAIN_HEADER_VALUE = /^[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?$/;

export function createAuthHeader(name?: string, scheme?: string): AuthHeader {
  const format = toAuthHeaderFormat(name, scheme);
  const headerName = format.name;
  const lowerName = headerName.toLowerCase();
  const canWriteDirectly = HEADER_NAME.test(headerName) && lowerName !== '__proto__';
  // The value of the last token, and whether it is plain: checked once per token, not per request.
  let checkedValue = '';
  let checkedIsPlain = false;

  return {
    set(config, token) {
      const value = format.valueFor(token);
      if (value !== checkedValue) {
        checkedValue = value;
        checkedIsPlain = PLAIN_HEADER_VALUE.test(value);
      }
      const { headers } = config;
      if (canWriteDirectly && checkedIsPlain && headers instanceof AxiosHeaders) {
        writeHeader(headers, headerName, lowerName, value);
      } else {
        headers.set(headerName, value);
      }
    },
    remove(config) {
      // In place, key by key as writeHeader does; a `false` the app set (never send it) stays.
      const target = config.headers as unknown as Record<string, unknown>;
      for (const key of Object.keys(target)) {
        if (key.toLowerCase() === lowerName && target[key] !== false) delete target[key];
      }
    },
  };
}

/**
 * What `headers.set(name, value)` does with a plain value and a plain name: it replaces the header
 * whatever its case (the key keeps the app's casing), except where the app set it to `false` for this
 * request. `set()` would also sanitize the value, two regular-expression passes over the whole token
 * on every request: a third of the adapter's cost on the happy path, for a value known to be clean.
 */
function writeHeader(headers: AxiosHeaders, name: string, lowerName: string, value: string): void {
  const target = headers as unknown as Record<string, unknown>;
  let existing: string | undefined;
  for (const key of Object.keys(target)) {
    if (key.toLowerCase() === lowerName) existing = key;
  }
  if (existing !== undefined && target[existing] === false) return;
  target[existing ?? name] = value;
}
