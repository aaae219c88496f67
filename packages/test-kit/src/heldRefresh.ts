import type { AuthSession } from '@authmachine/core';
import { deferred } from './deferred.js';
import type { FakeAuthApi, RefreshBehaviour } from './fakeAuthApi.js';
import { inParallel } from './results.js';
import { untilStatus } from './untilStatus.js';
import { countTokenRejections, until } from './waiting.js';

export interface HeldRefresh<T> {
  /** The requests that met a 401 together and wait for the refresh they caused. */
  inFlight: Promise<PromiseSettledResult<T>[]>;
  /** The requests made during the refresh: queued before they are sent. */
  queued: Promise<PromiseSettledResult<T>[]>;
  /** Lets the server answer the refresh call. */
  release(): void;
}

/**
 * The scene the refresh-failure and session-end tests share: the access token expires, `inFlight`
 * requests (`/api/items/i`) meet 401s together and cause one refresh, which the fake server holds;
 * `queued` more (`/api/queued/i`) are made during it. Resolves once every in-flight request reported
 * its 401, so that none is still on the wire when `release()` lets the server answer with `answer`.
 */
export async function holdRefreshWithWaiters<T>(
  { session, fake, get }: { session: AuthSession; fake: FakeAuthApi; get: (path: string) => Promise<T> },
  { answer, inFlight, queued = 0 }: { answer?: RefreshBehaviour; inFlight: number; queued?: number },
): Promise<HeldRefresh<T>> {
  const rejections = countTokenRejections(session);
  if (answer !== undefined) fake.refreshBehaviour = answer;
  const refreshGate = deferred();
  fake.holdRefreshUntil(refreshGate.promise);
  fake.expireAccessToken();
  fake.holdApiResponsesUntil(inFlight);

  const waiting = inParallel(inFlight, (i) => get(`/api/items/${i}`));
  let made: Promise<PromiseSettledResult<T>[]> = Promise.resolve([]);
  if (queued > 0) {
    await untilStatus(session, 'refreshing');
    made = inParallel(queued, (i) => get(`/api/queued/${i}`));
  }
  await until(() => rejections.count === inFlight, `${inFlight} requests reported their 401`);
  return { inFlight: waiting, queued: made, release: () => refreshGate.resolve() };
}
