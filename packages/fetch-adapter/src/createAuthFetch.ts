import {
  AuthError,
  type AuthSession,
  beginWait,
  checkQueueTimeout,
  checkSession,
  createOriginPolicy,
  decideAfterRejection,
  decideBeforeSending,
  isHeld,
  isTokenRejection,
  toAuthHeaderFormat,
  waitUntilSettled,
  warnTokenWithheld,
  warnUnknownOptions,
} from '@authmachine/core';
import { copyHeaders } from './copyHeaders.js';
import { planReplay } from './replayableBody.js';
import { SKIP_AUTH_HEADER } from './skipAuth.js';
import type { AuthFetchOptions } from './types.js';

/**
 * A function with `fetch`'s signature that puts the session's token on calls to allowed origins
 * and turns their 401s into one refresh (shared with every adapter of the session) and one retry.
 * What a call gets at each point is core's decision; this file translates it into fetch's terms:
 * a header, a second `fetch`, a rejected promise, or the 401 `Response` itself.
 */
const OPTIONS = [
  'fetch',
  'allowedOrigins',
  'shouldRefresh',
  'headerName',
  'scheme',
  'queueTimeout',
] as const satisfies ReadonlyArray<keyof AuthFetchOptions>;

export function createAuthFetch(session: AuthSession, options: AuthFetchOptions = {}): typeof fetch {
  checkSession(session, 'createAuthFetch');
  warnUnknownOptions(options, OPTIONS, 'createAuthFetch');
  const queueTimeout = checkQueueTimeout(options.queueTimeout);
  const header = toAuthHeaderFormat(options.headerName, options.scheme);
  // A name or scheme fetch's Headers refuses would fail every call: say so now, naming the option.
  try {
    new Headers().set(header.name, header.valueFor('token'));
  } catch {
    throw new AuthError(
      'INVALID_OPTIONS',
      `headerName "${header.name}" or the scheme cannot form a header: use a name such as "Authorization" and a scheme without line breaks.`,
    );
  }
  const isAllowed = createOriginPolicy({
    allowedOrigins: options.allowedOrigins,
    owner: 'createAuthFetch',
    missingOriginHint: 'outside a browser page, pass allowedOrigins: ["https://api.example.com"].',
  });
  const { shouldRefresh } = options;
  const wrapped = options.fetch;
  const send = (input: RequestInfo | URL, init: RequestInit): Promise<Response> =>
    (wrapped ?? globalThis.fetch)(input, init);

  async function tokenForCall(signal: AbortSignal | undefined): Promise<string | null> {
    const state = session.stateForRequest();
    // Not held: decided at once, without the extra turn an awaited wait would cost every call.
    const wait = isHeld(state) ? await waitUntilSettled(session, { signal, timeout: queueTimeout }) : beginWait(state);
    const decision = decideBeforeSending(wait);
    if (decision.type === 'fail') throw decision.error;
    return decision.type === 'send' ? decision.token : null;
  }

  /** Says why a 401 carried no token, when that is the origin allow-list (see warnTokenWithheld). */
  function warnWhenWithheld(url: string, response: Response): Response {
    if (
      session.getAccessToken() !== null &&
      isTokenRejection(response.status, response.headers.get('www-authenticate'))
    ) {
      warnTokenWithheld('createAuthFetch', url, isAllowed);
    }
    return response;
  }

  function asksForRefresh(response: Response, url: string, method: string | undefined, headers: Headers): boolean {
    if (shouldRefresh === undefined) {
      return isTokenRejection(response.status, response.headers.get('www-authenticate'));
    }
    // An app predicate that throws must not turn one failed call into an unexplained one.
    try {
      // What was sent, without the body: that stays unread for the retry. Node's Request does not
      // resolve a relative URL against the page as a browser's does, so it is resolved here.
      const base = (globalThis as { location?: { href?: string } }).location?.href;
      const request = new Request(new URL(url, base), method === undefined ? { headers } : { method, headers });
      return shouldRefresh(response, request) === true;
    } catch {
      return false;
    }
  }

  const authFetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = input instanceof Request ? input : undefined;
    const url = urlOf(input);
    const headers = copyHeaders(init?.headers ?? request?.headers);
    // The mark is ours: removed before sending, whatever the origin, so no server ever sees it.
    if (headers.has(SKIP_AUTH_HEADER)) {
      headers.delete(SKIP_AUTH_HEADER);
      return send(input, { ...init, headers });
    }
    if (!isAllowed(url)) return warnWhenWithheld(url, await send(input, init ?? {}));
    const signal = init?.signal ?? request?.signal ?? undefined;
    const token = await tokenForCall(signal);
    if (token === null) return send(input, { ...init, headers });

    setAuthHeader(headers, header.name, header.valueFor(token));
    const plan = planReplay(input, { ...init, headers });
    const response = await send(plan.first.input, plan.first.init);
    if (!asksForRefresh(response, url, init?.method ?? request?.method, headers)) return response;

    session.tokenRejected(token);
    // A stream body was read by the first send: the call keeps its 401, the session still refreshes.
    if (plan.retry === null) return response;
    let decision: ReturnType<typeof decideAfterRejection>;
    try {
      decision = decideAfterRejection(await waitUntilSettled(session, { signal, timeout: queueTimeout }), token);
      if (decision.type === 'fail') throw decision.error;
    } catch (error) {
      // The 401's body is never read now: let its connection go.
      discardBody(response);
      throw error;
    }
    if (decision.type === 'keepResponse' || decision.token === null) return response;
    discardBody(response);
    const retryHeaders = copyHeaders(headers);
    setAuthHeader(retryHeaders, header.name, header.valueFor(decision.token));
    // The retry's 401 is final: it resolves like any HTTP error in fetch.
    return send(plan.retry.input, { ...plan.retry.init, headers: retryHeaders });
  };
  return authFetch as typeof fetch;
}

function urlOf(input: RequestInfo | URL): string {
  if (typeof input === 'string') return input;
  return input instanceof URL ? input.href : input.url;
}

function discardBody(response: Response): void {
  response.body?.cancel().catch(() => undefined);
}

function setAuthHeader(headers: Headers, name: string, value: string): void {
  try {
    headers.set(name, value);
  } catch {
    // The platform's message would quote the value, which is the token. The name and scheme were
    // checked when createAuthFetch was called, so the token itself is what the server issued wrong.
    throw new AuthError(
      'INVALID_TOKEN_RESPONSE',
      `The access token cannot be sent in the "${name}" header: it holds characters a header value may not (a line break or a control character). Log in again.`,
    );
  }
}
