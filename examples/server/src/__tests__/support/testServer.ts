import { afterEach } from 'vitest';
import { type AuthServerOptions, type RunningAuthServer, startAuthServer, type TokenResponse } from '../../index.js';

/** A clock the test moves by hand: expiry is tested without sleeping. */
export interface TestClock {
  now(): number;
  advance(seconds: number): void;
}

export function testClock(start = Date.UTC(2030, 0, 1)): TestClock {
  let current = start;
  return {
    now: () => current,
    advance(seconds) {
      current += seconds * 1000;
    },
  };
}

export interface TestServer extends RunningAuthServer {
  clock: TestClock;
  post(path: string, body: unknown, headers?: Record<string, string>): Promise<Response>;
  /** Sends `body` exactly as given, not JSON-encoded. */
  postRaw(path: string, body: string | Uint8Array<ArrayBuffer>, headers?: Record<string, string>): Promise<Response>;
  get(path: string, accessToken?: string, headers?: Record<string, string>): Promise<Response>;
  login(username?: string, password?: string): Promise<TokenResponse>;
}

const running = new Set<RunningAuthServer>();
afterEach(async () => {
  await Promise.all([...running].map((server) => server.close()));
  running.clear();
});

/** Starts a server on a free loopback port with a hand-moved clock; it is closed after the test. */
export async function startTestServer(options: AuthServerOptions = {}): Promise<TestServer> {
  const clock = testClock();
  const server = await startAuthServer({ now: clock.now, ...options });
  running.add(server);
  const postRaw = (path: string, body: string | Uint8Array<ArrayBuffer>, headers: Record<string, string> = {}) =>
    fetch(`${server.url}${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...headers },
      body,
    });
  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    postRaw(path, JSON.stringify(body), headers);
  return {
    ...server,
    clock,
    post,
    postRaw,
    get: (path, accessToken, headers = {}) =>
      fetch(`${server.url}${path}`, {
        headers: accessToken === undefined ? headers : { Authorization: `Bearer ${accessToken}`, ...headers },
      }),
    async login(username = 'ada', password = 'lovelace') {
      const response = await post('/auth/login', { username, password });
      if (response.status !== 200) throw new Error(`login failed with ${response.status}`);
      return (await response.json()) as TokenResponse;
    },
  };
}

/** The `error` parameter of a `WWW-Authenticate: Bearer ...` challenge, or null. */
export function bearerError(response: Response): string | null {
  return /\berror="([^"]*)"/.exec(response.headers.get('www-authenticate') ?? '')?.[1] ?? null;
}
