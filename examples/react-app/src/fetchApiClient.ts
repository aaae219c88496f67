import type { AuthSession } from '@authmachine/core';
import { createAuthFetch, skipAuth } from '@authmachine/fetch';
import type { ApiClient, ApiRequestOptions } from './apiClient.js';
import { HttpStatusError } from './httpStatusError.js';

/**
 * `createAuthFetch` over the browser's fetch. The server may be on another origin than the page
 * (`?server=`), so its origin is the one allowed to receive the token, not the page's default.
 */
export function fetchApiClient(serverUrl: string, session: AuthSession): ApiClient {
  const authFetch = createAuthFetch(session, { allowedOrigins: [new URL(serverUrl).origin] });

  async function call<T>(method: string, path: string, body?: unknown, options: ApiRequestOptions = {}): Promise<T> {
    const headers = new Headers(body === undefined ? undefined : { 'content-type': 'application/json' });
    const init: RequestInit = { method, headers: options.skipAuth === true ? skipAuth(headers) : headers };
    if (body !== undefined) init.body = JSON.stringify(body);
    if (options.signal !== undefined) init.signal = options.signal;
    const response = await authFetch(new URL(path, serverUrl), init);
    const data = await readBody(response);
    if (!response.ok) throw new HttpStatusError(response.status, method, path, data);
    return data as T;
  }

  return {
    kind: 'fetch',
    label: 'fetch + createAuthFetch',
    get: (path, options) => call('GET', path, undefined, options),
    post: (path, body, options) => call('POST', path, body, options),
  };
}

async function readBody(response: Response): Promise<unknown> {
  const text = await response.text();
  if (text === '') return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
