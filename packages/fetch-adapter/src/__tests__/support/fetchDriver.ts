import { type AuthFetchOptions, createAuthFetch, skipAuth as skipAuthHeaders } from '@authmachine/fetch';
import { type AdapterDriver, API_ORIGIN, type CallOutcome, type TransportProbe } from '@authmachine/test-kit';

/**
 * The shared suite's driver for `createAuthFetch`: fetch resolves with HTTP errors, which is the
 * outcome axios rejects with; a call rejected with its own signal's reason is an abort.
 */
export const fetchDriver: AdapterDriver = {
  name: 'fetch',
  connect(session, options = {}) {
    const fetchOptions: AuthFetchOptions = { allowedOrigins: options.allowedOrigins ?? [API_ORIGIN] };
    if (options.queueTimeout !== undefined) fetchOptions.queueTimeout = options.queueTimeout;
    if (options.transport) fetchOptions.fetch = probedFetch(options.transport);
    const authFetch = createAuthFetch(session, fetchOptions);
    const call = async (path: string, init: RequestInit, skipAuth: boolean | undefined): Promise<CallOutcome> => {
      const headers = skipAuth === true ? skipAuthHeaders(init.headers) : new Headers(init.headers);
      try {
        const response = await authFetch(new URL(path, API_ORIGIN), { ...init, headers });
        return { kind: 'response', ok: response.ok, status: response.status, data: await bodyOf(response) };
      } catch (error) {
        if (init.signal?.aborted === true && error === init.signal.reason) return { kind: 'aborted' };
        return { kind: 'failed', error };
      }
    };
    return {
      get: (path, { signal, skipAuth } = {}) => call(path, withSignal({ method: 'GET' }, signal), skipAuth),
      post: (path, body, { signal, skipAuth } = {}) =>
        call(
          path,
          withSignal(
            { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } },
            signal,
          ),
          skipAuth,
        ),
    };
  },
};

function withSignal(init: RequestInit, signal: AbortSignal | undefined): RequestInit {
  return signal === undefined ? init : { ...init, signal };
}

async function bodyOf(response: Response): Promise<unknown> {
  const text = await response.text();
  if (!response.headers.get('content-type')?.includes('json')) return text;
  return JSON.parse(text) as unknown;
}

/** The global fetch (msw answers it) behind the probe, which sees every call createAuthFetch sends. */
function probedFetch(probe: TransportProbe): typeof fetch {
  return (input, init) => {
    const call = probe.sent();
    const headers = new Headers(init?.headers ?? (input instanceof Request ? input.headers : undefined));
    for (const [name, value] of Object.entries(call.headers)) headers.set(name, value);
    return globalThis.fetch(input, { ...init, headers }).finally(call.settled);
  };
}
