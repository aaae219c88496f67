import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, beforeEach } from 'vitest';

export interface ReadmeApiSeen {
  logins: unknown[];
  refreshes: unknown[];
  api: Array<{ path: string; authorization: string | null }>;
}

/**
 * The API the README examples talk to (https://api.example.com): a login that hands out an access
 * token the API already rejects, a refresh that hands out the one it accepts. What each endpoint
 * saw is recorded in `seen`, emptied before each test, so that one file can run several examples.
 */
export function useReadmeApi(): ReadmeApiSeen {
  const seen: ReadmeApiSeen = { logins: [], refreshes: [], api: [] };
  const server = setupServer(
    http.post('https://api.example.com/auth/login', async ({ request }) => {
      seen.logins.push({ body: await request.json(), authorization: request.headers.get('authorization') });
      return HttpResponse.json({ accessToken: 'access-1', refreshToken: 'refresh-1', expiresIn: 900 });
    }),
    http.post('https://api.example.com/auth/refresh', async ({ request }) => {
      seen.refreshes.push({ body: await request.json(), authorization: request.headers.get('authorization') });
      return HttpResponse.json({ accessToken: 'access-2', refreshToken: 'refresh-2', expiresIn: 900 });
    }),
    http.get('https://api.example.com/*', ({ request }) => {
      const authorization = request.headers.get('authorization');
      const path = new URL(request.url).pathname;
      seen.api.push({ path, authorization });
      return authorization === 'Bearer access-2'
        ? HttpResponse.json({ path })
        : HttpResponse.json({ error: 'invalid_token' }, { status: 401 });
    }),
  );
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  beforeEach(() => {
    seen.logins.length = 0;
    seen.refreshes.length = 0;
    seen.api.length = 0;
  });
  afterAll(() => server.close());
  return seen;
}
