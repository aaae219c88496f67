import { HttpResponse, http, type RequestHandler } from 'msw';
import { deferred } from './deferred.js';
import { API_ORIGIN, type FakeAuthApi } from './fakeAuthApi.js';

export interface HeldEndpoint {
  /** Put it in front of the fake's handlers with `server.use(endpoint.handler)`. */
  handler: RequestHandler;
  /** Lets every held answer go (later requests are answered at once). */
  release(): void;
  /** Resolves once `count` requests have reached this endpoint. */
  untilArrived(count: number): Promise<void>;
}

/**
 * Paths under `prefix` on the fake API whose answers wait for `release()`. The request reaches the
 * server (and `fake.apiRequests`) at once, but is answered only when released, judged against the
 * token that is valid *then*: a request sent with a token that was replaced meanwhile gets a late
 * 401. With `alwaysUnauthorized`, every answer is a 401, whatever the token; but a third request
 * for one path gets 508 Loop Detected, so that a client retrying in a loop fails the test at once
 * instead of hanging it.
 */
export function heldEndpoint(
  fake: FakeAuthApi,
  prefix: string,
  options: { alwaysUnauthorized?: boolean } = {},
): HeldEndpoint {
  const gate = deferred();
  let arrived = 0;
  const requestsPerPath = new Map<string, number>();
  const waiters: Array<{ count: number; resolve: () => void }> = [];
  const handler = http.all(`${API_ORIGIN}${prefix}/*`, async ({ request }) => {
    const path = new URL(request.url).pathname;
    const authorization = request.headers.get('authorization');
    fake.apiRequests.push({
      method: request.method,
      path,
      authorization,
      contentType: request.headers.get('content-type'),
      body: await request.text(),
    });
    arrived += 1;
    const sameRequests = (requestsPerPath.get(path) ?? 0) + 1;
    requestsPerPath.set(path, sameRequests);
    for (const waiter of waiters.filter((w) => w.count <= arrived)) waiter.resolve();
    await gate.promise;
    if (options.alwaysUnauthorized === true && sameRequests > 2) {
      return HttpResponse.json({ error: 'loop_detected' }, { status: 508 });
    }
    const valid = fake.currentAccessToken;
    if (options.alwaysUnauthorized !== true && valid !== null && authorization === `Bearer ${valid}`) {
      return HttpResponse.json({ path });
    }
    return HttpResponse.json(
      { error: 'invalid_token' },
      { status: 401, headers: { 'WWW-Authenticate': 'Bearer error="invalid_token"' } },
    );
  });
  return {
    handler,
    release: () => gate.resolve(),
    untilArrived: (count) =>
      count <= arrived ? Promise.resolve() : new Promise((resolve) => waiters.push({ count, resolve })),
  };
}
