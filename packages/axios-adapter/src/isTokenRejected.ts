import { isTokenRejection } from '@authmachine/core';
import type { AxiosError } from 'axios';

/**
 * The default `shouldRefresh`: core's rule (`isTokenRejection`: 401, unless `WWW-Authenticate`
 * names an error other than `invalid_token`; never 403) read from an axios error.
 */
export function isTokenRejected(error: AxiosError): boolean {
  const { response } = error;
  return response !== undefined && isTokenRejection(response.status, headerOf(response.headers, 'www-authenticate'));
}

// Real responses carry `AxiosHeaders` (case-insensitive `get`); custom adapters may return a plain object.
function headerOf(headers: unknown, name: string): string | null {
  if (headers === null || typeof headers !== 'object') return null;
  const getter = (headers as { get?: unknown }).get;
  if (typeof getter === 'function') return stringOrNull((getter as (key: string) => unknown).call(headers, name));
  // Header names are case-insensitive, and a plain object keeps whatever case the adapter wrote.
  const key = Object.keys(headers).find((candidate) => candidate.toLowerCase() === name);
  return key === undefined ? null : stringOrNull((headers as Record<string, unknown>)[key]);
}

function stringOrNull(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}
