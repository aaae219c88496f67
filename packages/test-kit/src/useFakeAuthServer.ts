import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { FakeAuthApi } from './fakeAuthApi.js';

export interface FakeAuthServer {
  server: ReturnType<typeof setupServer>;
  /** A fresh fake auth API; its handlers are the server's from now on. */
  fakeApi(): FakeAuthApi;
  /** Runs after the test, latest first (detach clients, stop sessions, release held answers). */
  cleanup(teardown: () => void): void;
}

/**
 * One msw server for the test file (an unhandled request fails the test) and a fresh fake auth
 * API per test; after each test the registered teardowns run and the handlers are reset.
 */
export function useFakeAuthServer(): FakeAuthServer {
  const server = setupServer();
  const teardowns: Array<() => void> = [];
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  afterEach(() => {
    for (const teardown of teardowns.splice(0).reverse()) teardown();
    server.events.removeAllListeners();
    server.resetHandlers();
  });
  afterAll(() => server.close());

  return {
    server,
    fakeApi() {
      const fake = new FakeAuthApi();
      server.resetHandlers(...fake.handlers);
      return fake;
    },
    cleanup(teardown) {
      teardowns.push(teardown);
    },
  };
}
