import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type AttachedClient, attachedClient } from './support/attachedClient.js';
import { FakeAuthApi } from './support/fakeAuthApi.js';

const fake = { current: new FakeAuthApi() };
const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterAll(() => server.close());

let client: AttachedClient | undefined;
async function start(): Promise<AttachedClient> {
  fake.current = new FakeAuthApi();
  server.resetHandlers(...fake.current.handlers);
  client = await attachedClient(fake.current);
  return client;
}
afterEach(() => {
  client?.detach();
  client?.session.stop();
});

describe('N requests in flight all answered 401', () => {
  it('500 concurrent 401s: one refresh call, every request retried exactly once with the new token', async () => {
    const { api } = await start();
    const N = 500;
    fake.current.expireAccessToken();
    fake.current.holdApiResponsesUntil(N);

    const responses = await Promise.all(Array.from({ length: N }, (_, i) => api.get(`/api/items/${i}`)));

    expect(fake.current.refreshCalls).toEqual([{ refreshToken: 'refresh-1', answered: 'ok' }]);
    expect(responses.every((response) => response.status === 200)).toBe(true);
    const seen = fake.current.apiRequests;
    expect(seen).toHaveLength(2 * N);
    // Each path went out twice: first with the expired token, then once with the new one.
    for (let i = 0; i < N; i += 1) {
      const forPath = seen.filter((request) => request.path === `/api/items/${i}`).map((r) => r.authorization);
      expect(forPath).toEqual(['Bearer access-1', 'Bearer access-2']);
    }
    // 1,000 requests through msw take seconds on a loaded 2-core CI machine: this is no timing test.
  }, 30_000);
});
