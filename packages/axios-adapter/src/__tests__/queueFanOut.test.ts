import { type AuthSession, type AuthState, stateChangesOf } from '@authmachine/core';
import { FakeAuthApi } from '@authmachine/test-kit';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, expect, it, vi } from 'vitest';
import { type AttachedClient, attachedClient } from './support/attachedClient.js';

const fake = new FakeAuthApi();
const server = setupServer(...fake.handlers);
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterAll(() => server.close());

let client: AttachedClient | undefined;
afterEach(() => {
  client?.detach();
  client?.session.stop();
});

// XState keeps an actor's subscribers in a private Set; its size is what "the actor does not get
// N subscribers" means, and there is no public way to read it.
function actorSubscriberCount(session: AuthSession): number {
  return (session.actor as unknown as { observers: Set<unknown> }).observers.size;
}

it('1,000 requests queued behind one refresh: the actor has one subscriber for all of them, none after', async () => {
  // Queuing thousands of requests through msw takes longer than the default test refresh timeout.
  client = await attachedClient(fake, { session: { refreshTimeout: 20_000 } });
  const { api, session } = client;
  const N = 1_000;
  const idle = actorSubscriberCount(session);
  let releaseRefresh = (): void => undefined;
  fake.holdRefreshUntil(
    new Promise<void>((resolve) => {
      releaseRefresh = resolve;
    }),
  );
  const refreshed = session.refresh();
  await vi.waitFor(() => expect(fake.refreshCalls).toHaveLength(1));
  expect(session.getSnapshot().status).toBe('refreshing');

  const requests = Array.from({ length: N }, (_, i) => api.get(`/api/queued/${i}`));
  await new Promise((resolve) => setTimeout(resolve, 0));
  expect(actorSubscriberCount(session)).toBe(idle + 1);
  expect(fake.apiRequests).toHaveLength(0);

  releaseRefresh();
  await refreshed;
  const responses = await Promise.all(requests);

  expect(responses).toHaveLength(N);
  expect(fake.refreshCalls).toHaveLength(1);
  expect(new Set(fake.authorizationsSeen())).toEqual(new Set(['Bearer access-2']));
  expect(fake.apiRequests).toHaveLength(N);
  expect(actorSubscriberCount(session)).toBe(idle);
}, 30_000);

it('events the machine ignores do not reach the waiters: 1,000 late 401s during a refresh hand the 100 queued no value', async () => {
  client = await attachedClient(fake, { session: { refreshTimeout: 20_000 } });
  const { api, session } = client;
  // What the shared source hands to the waiters (this observer is one more of them): each value is
  // scanned by every waiter, so a value per ignored event would make N queued 401s cost O(N²).
  const handedToWaiters: AuthState[] = [];
  let releaseRefresh = (): void => undefined;
  fake.holdRefreshUntil(
    new Promise<void>((resolve) => {
      releaseRefresh = resolve;
    }),
  );
  const refreshed = session.refresh();
  await vi.waitFor(() => expect(fake.refreshCalls).toHaveLength(1));
  const requests = Array.from({ length: 100 }, (_, i) => api.get(`/api/queued/${i}`));
  await new Promise((resolve) => setTimeout(resolve, 0));
  const observer = stateChangesOf(session).subscribe({ next: (state) => handedToWaiters.push(state) });

  // Sent to the actor itself: tokenRejected() would not even pass on an event the machine ignores.
  for (let i = 0; i < 1_000; i += 1) session.actor.send({ type: 'TOKEN_REJECTED', accessToken: 'access-1' });
  expect(session.getSnapshot().status).toBe('refreshing');
  expect(handedToWaiters).toEqual([]);

  releaseRefresh();
  await refreshed;
  expect(await Promise.all(requests)).toHaveLength(100);
  // Then the one change they wait for: refreshing → authenticated with the new token.
  expect(handedToWaiters).toEqual([session.getSnapshot()]);
  expect(session.getSnapshot().status).toBe('authenticated');
  observer.unsubscribe();
});
