import { OTHER_ORIGIN } from '@authmachine/test-kit';
import { describe, expect, it } from 'vitest';
import { httpStatusOf } from './support/axiosErrors.js';
import { useFakeAuthServer } from './support/useFakeAuthServer.js';

const { start } = useFakeAuthServer();

// The retry leaves the response interceptor already carrying the token core retried it with (set
// over the rejected one, in place); our request interceptor then decides once more. These are the
// ways an app's own interceptor (registered after attachAuth, so it runs before ours) can change
// what the retry may carry between the two.
describe('the one retry after a refresh carries the token decided when it is sent', () => {
  it('goes out with the new token, never the rejected one', async () => {
    const { api, fake } = await start();
    fake.expireAccessToken();

    expect((await api.get('/api/items/1')).status).toBe(200);

    expect(fake.authorizationsSeen()).toEqual(['Bearer access-1', 'Bearer access-2']);
  });

  it('goes out with no token when the app logged out before it was sent: its 401 is the answer', async () => {
    const { api, session, fake } = await start();
    const attempts = new Map<string | undefined, number>();
    api.interceptors.request.use(async (config) => {
      attempts.set(config.url, (attempts.get(config.url) ?? 0) + 1);
      if (config.url === '/api/items/1' && attempts.get(config.url) === 2) await session.logout();
      return config;
    });
    fake.expireAccessToken();

    expect(httpStatusOf(await api.get('/api/items/1').catch((error: unknown) => error))).toBe(401);

    expect(fake.authorizationsSeen()).toEqual(['Bearer access-1', null]);
    expect(session.getSnapshot().status).toBe('anonymous');
  });

  it('goes out with no token when an app interceptor sends it to another origin, or marks it skipAuth', async () => {
    const { api, fake } = await start();
    const attempts = new Map<string | undefined, number>();
    let retries = 0;
    api.interceptors.request.use((config) => {
      attempts.set(config.url, (attempts.get(config.url) ?? 0) + 1);
      if (!config.url?.startsWith('/api/') || attempts.get(config.url) === 1) return config;
      retries += 1;
      if (config.url === '/api/moved') return { ...config, baseURL: OTHER_ORIGIN, url: '/elsewhere' };
      config.skipAuth = true;
      return config;
    });
    fake.expireAccessToken();

    const moved = await api.get('/api/moved').catch((error: unknown) => error);
    fake.expireAccessToken();
    const skipped = await api.get('/api/skipped').catch((error: unknown) => error);

    expect([httpStatusOf(moved), httpStatusOf(skipped)]).toEqual([401, 401]);
    expect(retries).toBe(2);
    expect(fake.otherOriginRequests.map((request) => request.authorization)).toEqual([null]);
    expect(fake.authorizationsSeen()).toEqual(['Bearer access-1', 'Bearer access-2', null]);
  });
});
