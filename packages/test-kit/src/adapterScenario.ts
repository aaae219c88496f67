import { type AuthSession, type AuthSessionOptions, createAuthSession } from '@authmachine/core';
import type { AdapterClient, AdapterDriver, ConnectOptions } from './adapterDriver.js';
import { tokensOf } from './callErrors.js';
import type { FakeAuthApi } from './fakeAuthApi.js';
import type { FakeAuthServer } from './useFakeAuthServer.js';

export interface AdapterScenario {
  fake: FakeAuthApi;
  session: AuthSession;
  client: AdapterClient;
  /** Another client of the same adapter on this session, as an app's second API client would be. */
  connectAnother(options?: ConnectOptions): AdapterClient;
}

export interface ScenarioOptions {
  session?: Partial<AuthSessionOptions>;
  connect?: ConnectOptions;
  /** Default true: logged in with tokens the fake server issued. */
  loggedIn?: boolean;
}

/**
 * A fresh fake auth API, a session whose refresh calls the fake token endpoint through the
 * connected client itself without the token (as apps do), and that client; stopped after the test.
 */
export async function startScenario(
  driver: AdapterDriver,
  { fakeApi, cleanup }: Pick<FakeAuthServer, 'fakeApi' | 'cleanup'>,
  options: ScenarioOptions = {},
): Promise<AdapterScenario> {
  const fake = fakeApi();
  const clients: AdapterClient[] = [];
  const session = createAuthSession({
    refresh: async ({ refreshToken, signal }) =>
      tokensOf(await client.post('/auth/refresh', { refreshToken }, { signal, skipAuth: true })),
    refreshLeeway: false,
    refreshRetries: 0,
    // Long enough that a refresh a test holds open does not time out under it.
    refreshTimeout: 5_000,
    ...options.session,
  });
  const connect = (connectOptions?: ConnectOptions): AdapterClient => {
    const connected = driver.connect(session, connectOptions);
    clients.push(connected);
    return connected;
  };
  const client = connect(options.connect);
  cleanup(() => {
    for (const connected of clients) connected.detach?.();
    session.stop();
  });
  if (options.loggedIn !== false) await session.login(fake.issueTokens());
  return { fake, session, client, connectAnother: connect };
}
