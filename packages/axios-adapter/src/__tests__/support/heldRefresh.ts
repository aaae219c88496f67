import type { AxiosResponse } from 'axios';
import type { RefreshBehaviour } from './fakeAuthApi.js';
import { inParallel } from './results.js';
import type { Scenario } from './useFakeAuthServer.js';
import { countTokenRejections, deferred, until, untilStatus } from './waiting.js';

type Settled = Promise<PromiseSettledResult<AxiosResponse>[]>;

export interface HeldRefresh {
  /** The requests that met a 401 together and wait for the refresh they caused. */
  inFlight: Settled;
  /** The requests made during the refresh: queued before they are sent. */
  queued: Settled;
  /** Lets the server answer the refresh call. */
  release(): void;
}

/**
 * The scene the refresh-failure and session-end tests share: the access token expires, `inFlight`
 * requests (`/api/items/i`) meet 401s together and cause one refresh, which the fake server holds;
 * `queued` more (`/api/queued/i`) are made during it. Resolves once every in-flight request reported
 * its 401, so that none is still on the wire when `release()` lets the server answer with `answer`.
 */
export async function holdRefreshWithWaiters(
  { api, session, fake }: Scenario,
  { answer, inFlight, queued = 0 }: { answer?: RefreshBehaviour; inFlight: number; queued?: number },
): Promise<HeldRefresh> {
  const rejections = countTokenRejections(session);
  if (answer !== undefined) fake.refreshBehaviour = answer;
  const refreshGate = deferred();
  fake.holdRefreshUntil(refreshGate.promise);
  fake.expireAccessToken();
  fake.holdApiResponsesUntil(inFlight);

  const waiting = inParallel(inFlight, (i) => api.get(`/api/items/${i}`));
  let made: Settled = Promise.resolve([]);
  if (queued > 0) {
    await untilStatus(session, 'refreshing');
    made = inParallel(queued, (i) => api.get(`/api/queued/${i}`));
  }
  await until(() => rejections.count === inFlight, `${inFlight} requests reported their 401`);
  return { inFlight: waiting, queued: made, release: () => refreshGate.resolve() };
}
