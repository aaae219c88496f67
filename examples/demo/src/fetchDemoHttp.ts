import type { AuthSession } from '@authmachine/core';
import { createAuthFetch, skipAuth } from '@authmachine/fetch';
import type { DemoHttp, DemoRequestOptions } from './demoHttp.js';
import { HttpStatusError } from './httpStatusError.js';

/**
 * What a fetch app does: `createAuthFetch` over Node's global fetch, `skipAuth()` headers for the
 * calls that must not carry the token. Node has no page origin, so the allowed one is named.
 */
export function fetchDemoHttp(baseURL: string, session: AuthSession): DemoHttp {
  const authFetch = createAuthFetch(session, { allowedOrigins: [new URL(baseURL).origin] });

  async function call<T>(method: string, path: string, body?: unknown, options: DemoRequestOptions = {}): Promise<T> {
    const headers = new Headers(body === undefined ? undefined : { 'content-type': 'application/json' });
    const init: RequestInit = { method, headers: options.skipAuth === true ? skipAuth(headers) : headers };
    if (body !== undefined) init.body = JSON.stringify(body);
    if (options.signal !== undefined) init.signal = options.signal;
    const response = await authFetch(new URL(path, baseURL), init);
    const data = await readBody(response);
    if (!response.ok) throw new HttpStatusError(response.status, method, path, data);
    return data as T;
  }

  return {
    post: (path, body, options) => call('POST', path, body, options),
    get: (path) => call('GET', path),
    // createAuthFetch keeps nothing between calls: there is nothing to detach.
    close: () => undefined,
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
