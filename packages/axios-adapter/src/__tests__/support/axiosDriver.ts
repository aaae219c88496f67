import { type AttachAuthOptions, attachAuth } from '@authmachine/axios';
import {
  type AdapterDriver,
  API_ORIGIN,
  type CallOptions,
  type CallOutcome,
  type TransportProbe,
} from '@authmachine/test-kit';
import axios, { type AxiosAdapter, type AxiosInstance, type AxiosRequestConfig, isAxiosError, isCancel } from 'axios';

/**
 * The shared suite's driver for `attachAuth` on an axios instance (baseURL `API_ORIGIN`): an HTTP
 * error, which axios rejects with, is the same outcome as the response fetch resolves with, and
 * axios' CanceledError is an abort.
 */
export const axiosDriver: AdapterDriver = {
  name: 'axios',
  connect(session, options = {}) {
    const api = axios.create({ baseURL: API_ORIGIN });
    if (options.transport) probeTransport(api, options.transport);
    const attach: AttachAuthOptions = {};
    if (options.allowedOrigins) attach.allowedOrigins = options.allowedOrigins;
    if (options.queueTimeout !== undefined) attach.queueTimeout = options.queueTimeout;
    const detach = attachAuth(api, session, attach);
    const call = (config: AxiosRequestConfig, { signal, skipAuth }: CallOptions): Promise<CallOutcome> =>
      api
        .request({ ...config, ...(signal ? { signal } : {}), skipAuth: skipAuth === true })
        .then(
          (response) => ({ kind: 'response', ok: true, status: response.status, data: response.data }),
          outcomeOfError,
        );
    return {
      get: (path, options = {}) => call({ method: 'get', url: path }, options),
      post: (path, body, options = {}) => call({ method: 'post', url: path, data: body }, options),
      detach,
    };
  },
};

function outcomeOfError(error: unknown): CallOutcome {
  if (isCancel(error)) return { kind: 'aborted' };
  if (isAxiosError(error) && error.response) {
    return { kind: 'response', ok: false, status: error.response.status, data: error.response.data };
  }
  return { kind: 'failed', error };
}

/** Every call the instance hands to its http adapter (msw still answers it) goes past the probe. */
function probeTransport(api: AxiosInstance, probe: TransportProbe): void {
  const http: AxiosAdapter = axios.getAdapter('http');
  api.defaults.adapter = (config) => {
    const call = probe.sent();
    for (const [name, value] of Object.entries(call.headers)) config.headers.set(name, value);
    return http(config).finally(call.settled);
  };
  // Node's own http transport instead of follow-redirects, which arms a 0 ms timer per request
  // (axios calls req.setTimeout(0)): sent from inside a fake-timer callback, that timer would stay
  // pending until the clock moves and blur the count of the session's own timers.
  api.defaults.maxRedirects = 0;
}
