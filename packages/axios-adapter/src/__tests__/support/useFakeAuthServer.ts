import type { AttachAuthOptions } from '@authmachine/axios';
import type { AuthSessionOptions } from '@authmachine/core';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { type AttachedClient, attachedClient } from './attachedClient.js';
import { FakeAuthApi } from './fakeAuthApi.js';

export interface Scenario extends AttachedClient {
  fake: FakeAuthApi;
}

export interface FakeAuthServer {
  server: ReturnType<typeof setupServer>;
  /** A fresh fake API, and a session (logged in unless told otherwise) with an attached instance. */
  start(options?: {
    session?: Partial<AuthSessionOptions>;
    attach?: AttachAuthOptions;
    loggedIn?: boolean;
  }): Promise<Scenario>;
  /** Runs after the test, before the session is stopped (for extra instances or subscriptions). */
  cleanup(teardown: () => void): void;
}

/**
 * One msw server for the test file (unhandled requests fail the test) and a fresh fake auth API per
 * test; after each test the session is stopped and the attached instances are detached.
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
    async start(options = {}) {
      const fake = new FakeAuthApi();
      server.resetHandlers(...fake.handlers);
      const client = await attachedClient(fake, options);
      teardowns.push(() => {
        client.detach();
        client.session.stop();
      });
      return { ...client, fake };
    },
    cleanup(teardown) {
      teardowns.push(teardown);
    },
  };
}
