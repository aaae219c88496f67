import type { AttachAuthOptions } from '@authmachine/axios';
import type { AuthSessionOptions } from '@authmachine/core';
import {
  type FakeAuthApi,
  type FakeAuthServer as SharedFakeAuthServer,
  useFakeAuthServer as useShared,
} from '@authmachine/test-kit';
import { type AttachedClient, attachedClient } from './attachedClient.js';

export interface Scenario extends AttachedClient {
  fake: FakeAuthApi;
}

export interface FakeAuthServer {
  server: SharedFakeAuthServer['server'];
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
 * The test-kit's msw server and fake auth API per test, with an axios instance attached to a
 * session; after each test the session is stopped and the attached instances are detached.
 */
export function useFakeAuthServer(): FakeAuthServer {
  const shared = useShared();
  return {
    server: shared.server,
    async start(options = {}) {
      const fake = shared.fakeApi();
      const client = await attachedClient(fake, options);
      shared.cleanup(() => {
        client.detach();
        client.session.stop();
      });
      return { ...client, fake };
    },
    cleanup: shared.cleanup,
  };
}
