import { type AttachAuthOptions, attachAuth } from '@authmachine/axios';
import { AuthError, type AuthSession, createAuthSession } from '@authmachine/core';
import { API_ORIGIN, FakeAuthApi, OTHER_ORIGIN } from '@authmachine/test-kit';
import axios, { type AxiosInstance, isAxiosError } from 'axios';
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { expectNoTokenIn, interceptorCounts, reasonOf } from './support/adapterProbes.js';

const FILES_ORIGIN = 'https://files.test';

/** A request that reached neither the fake API nor OTHER_ORIGIN, with every header it carried. */
interface SeenElsewhere {
  url: string;
  headers: Record<string, string>;
}

let fake = new FakeAuthApi();
let elsewhere: SeenElsewhere[] = [];
const server = setupServer();
const teardowns: Array<() => void> = [];

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterAll(() => server.close());
afterEach(() => {
  for (const teardown of teardowns.splice(0)) teardown();
  vi.unstubAllGlobals();
});

function startServer(): void {
  fake = new FakeAuthApi();
  elsewhere = [];
  // Last, so it only sees what the fake's own handlers do not answer: any other origin, recorded.
  const recordElsewhere = http.all('*', ({ request }) => {
    elsewhere.push({ url: request.url, headers: Object.fromEntries(request.headers) });
    if (new URL(request.url).origin === FILES_ORIGIN) return HttpResponse.json({ ok: true });
    return HttpResponse.json({ error: 'who are you' }, { status: 401 });
  });
  server.resetHandlers(...fake.handlers, recordElsewhere);
}

/** A logged-in session (refreshing through a plain, unattached axios) attached to `instance`. */
async function attachTo(instance: AxiosInstance, options?: AttachAuthOptions): Promise<AuthSession> {
  const session = createAuthSession({
    refresh: async ({ refreshToken, signal }) =>
      (await axios.post(`${API_ORIGIN}/auth/refresh`, { refreshToken }, { signal })).data,
    refreshLeeway: false,
    refreshRetries: 0,
  });
  const detach = attachAuth(instance, session, options);
  teardowns.push(() => {
    detach();
    session.stop();
  });
  await session.login(fake.issueTokens());
  return session;
}

/**
 * Sends requests where a browser would: relative and scheme-relative URLs resolve against the page.
 * Node's http adapter cannot place them. Registered before attachAuth, so it runs after it (axios
 * runs request interceptors last-added first): attachAuth sees the URL exactly as the app wrote it.
 */
function sendLikeABrowserOn(pageUrl: string, baseURL?: string): AxiosInstance {
  const instance = axios.create(baseURL === undefined ? {} : { baseURL });
  instance.interceptors.request.use((config) => {
    config.url = new URL(instance.getUri(config), pageUrl).href;
    delete config.baseURL;
    return config;
  });
  return instance;
}

function tokenIn(headers: Record<string, string>): boolean {
  return Object.values(headers).some((value) => value.includes('access-'));
}

describe('default: only the origin of the instance baseURL receives the token', () => {
  it('relative URLs resolve against baseURL and carry the token', async () => {
    startServer();
    const api = axios.create({ baseURL: API_ORIGIN });
    await attachTo(api);

    await api.get('/api/with-slash');
    await api.get('api/without-slash');
    await api.get(`${API_ORIGIN}/api/absolute-same-origin`);

    expect(fake.apiRequests.map(({ path, authorization }) => [path, authorization])).toEqual([
      ['/api/with-slash', 'Bearer access-1'],
      ['/api/without-slash', 'Bearer access-1'],
      ['/api/absolute-same-origin', 'Bearer access-1'],
    ]);
  });

  it('a baseURL with a path: its origin is what counts', async () => {
    startServer();
    const api = axios.create({ baseURL: `${API_ORIGIN}/api/v2/` });
    await attachTo(api);

    await api.get('items/1');
    await api.get(`${API_ORIGIN}/api/outside-the-base-path`);

    expect(fake.apiRequests.map(({ path, authorization }) => [path, authorization])).toEqual([
      ['/api/v2/items/1', 'Bearer access-1'],
      ['/api/outside-the-base-path', 'Bearer access-1'],
    ]);
  });

  it('an absolute URL to another origin carries no Authorization header, and its 401 starts no refresh', async () => {
    startServer();
    const api = axios.create({ baseURL: API_ORIGIN });
    const session = await attachTo(api);

    const error = await reasonOf(api.get(`${OTHER_ORIGIN}/profile`));

    expect(isAxiosError(error) && error.response?.status).toBe(401);
    expect(fake.otherOriginRequests).toHaveLength(1);
    expect(fake.otherOriginRequests[0]?.authorization).toBeNull();
    expect(fake.refreshCalls).toEqual([]);
    expect(session.getSnapshot()).toMatchObject({ status: 'authenticated', accessToken: 'access-1' });
    // The API still gets the same token: nothing was refreshed behind the app's back either.
    await api.get('/api/after');
    expect(fake.authorizationsSeen()).toEqual(['Bearer access-1']);
  });

  it("leaves the app's own Authorization header for another origin alone", async () => {
    startServer();
    const api = axios.create({ baseURL: API_ORIGIN });
    await attachTo(api);

    await reasonOf(api.get(`${OTHER_ORIGIN}/x`, { headers: { Authorization: 'Basic dGhpcmQ6cGFydHk=' } }));

    expect(fake.otherOriginRequests[0]?.authorization).toBe('Basic dGhpcmQ6cGFydHk=');
    expect(fake.refreshCalls).toEqual([]);
  });

  it('a per-request baseURL on another origin gets no token, and its 401 starts no refresh', async () => {
    startServer();
    const api = axios.create({ baseURL: API_ORIGIN });
    await attachTo(api);

    const error = await reasonOf(api.get('/profile', { baseURL: OTHER_ORIGIN }));

    expect(isAxiosError(error) && error.response?.status).toBe(401);
    expect(fake.otherOriginRequests.map(({ path, authorization }) => [path, authorization])).toEqual([
      ['/profile', null],
    ]);
    expect(fake.refreshCalls).toEqual([]);
  });

  it.each([
    ['another scheme', 'http://api.test/api/me'],
    ['another port', 'https://api.test:8443/api/me'],
    ['a suffix of the host', 'https://api.test.evil.test/api/me'],
    ['a subdomain', 'https://www.api.test/api/me'],
    ['userinfo that looks like the host', 'https://api.test@evil.test/api/me'],
  ])('%s (%s) is another origin: no token, no refresh', async (_, url) => {
    startServer();
    const api = axios.create({ baseURL: API_ORIGIN });
    await attachTo(api);

    const error = await reasonOf(api.get(url));

    expect(isAxiosError(error) && error.response?.status).toBe(401);
    expect(elsewhere).toHaveLength(1);
    expect(new URL(elsewhere[0]?.url ?? '').origin).toBe(new URL(url).origin);
    expect(tokenIn(elsewhere[0]?.headers ?? {})).toBe(false);
    expect(fake.refreshCalls).toEqual([]);
  });

  it('a scheme-relative URL (//evil.test/x) is absolute, as axios and browsers read it: baseURL does not apply, no token', async () => {
    startServer();
    const api = sendLikeABrowserOn(`${API_ORIGIN}/app/`, API_ORIGIN);
    await attachTo(api);

    const error = await reasonOf(api.get('//evil.test/x'));

    expect(isAxiosError(error) && error.response?.status).toBe(401);
    expect(elsewhere.map(({ url, headers }) => [url, tokenIn(headers)])).toEqual([['https://evil.test/x', false]]);
    expect(fake.refreshCalls).toEqual([]);
  });
});

describe('allowAbsoluteUrls: false (axios then joins even an absolute URL onto baseURL)', () => {
  it('per request: the request goes to baseURL, as axios 1.21 sends it, and carries the token there', async () => {
    startServer();
    const api = axios.create({ baseURL: `${API_ORIGIN}/api` });
    await attachTo(api);

    const response = await api.get(`${OTHER_ORIGIN}/steal`, { allowAbsoluteUrls: false });

    expect(response.status).toBe(200);
    expect(fake.otherOriginRequests).toEqual([]);
    expect(fake.apiRequests.map(({ path, authorization }) => [path, authorization])).toEqual([
      ['/api/https://third-party.test/steal', 'Bearer access-1'],
    ]);
  });

  it('as an instance default: the same', async () => {
    startServer();
    const api = axios.create({ baseURL: `${API_ORIGIN}/api`, allowAbsoluteUrls: false });
    await attachTo(api);

    await api.get(`${OTHER_ORIGIN}/steal`);

    expect(fake.otherOriginRequests).toEqual([]);
    expect(fake.authorizationsSeen()).toEqual(['Bearer access-1']);
  });

  it('without a baseURL axios sends the absolute URL as written: another origin gets no token', async () => {
    startServer();
    const api = axios.create({ allowAbsoluteUrls: false });
    await attachTo(api, { allowedOrigins: [API_ORIGIN] });

    await reasonOf(api.get(`${OTHER_ORIGIN}/x`));
    await api.get(`${API_ORIGIN}/api/me`);

    expect(fake.otherOriginRequests.map((request) => request.authorization)).toEqual([null]);
    expect(fake.authorizationsSeen()).toEqual(['Bearer access-1']);
    expect(fake.refreshCalls).toEqual([]);
  });
});

describe('allowedOrigins', () => {
  it('every listed origin receives the token; an entry with a path counts as its whole origin', async () => {
    startServer();
    const api = axios.create();
    await attachTo(api, { allowedOrigins: [API_ORIGIN, `${FILES_ORIGIN}/uploads/v2/?x=1#top`] });

    await api.get(`${API_ORIGIN}/api/me`);
    await api.get(`${FILES_ORIGIN}/somewhere/else/entirely`);
    await reasonOf(api.get(`${OTHER_ORIGIN}/x`));

    expect(fake.authorizationsSeen()).toEqual(['Bearer access-1']);
    expect(elsewhere.map(({ url, headers }) => [url, headers.authorization])).toEqual([
      [`${FILES_ORIGIN}/somewhere/else/entirely`, 'Bearer access-1'],
    ]);
    expect(fake.otherOriginRequests.map((request) => request.authorization)).toEqual([null]);
  });

  it("replaces the default: the baseURL's origin is no longer allowed unless listed", async () => {
    startServer();
    const api = axios.create({ baseURL: API_ORIGIN });
    await attachTo(api, { allowedOrigins: [FILES_ORIGIN] });

    const error = await reasonOf(api.get('/api/me'));

    expect(isAxiosError(error) && error.response?.status).toBe(401);
    expect(fake.authorizationsSeen()).toEqual([null]);
    // It carried none of our tokens, so its 401 says nothing about them.
    expect(fake.refreshCalls).toEqual([]);
  });

  it.each([
    ['a host without a scheme', 'api.test'],
    ['a path', '/api'],
    ['an empty string', ''],
    ['not a URL at all', 'not a url'],
    ['a URL without an origin (mailto:)', 'mailto:admin@api.test'],
    ['a URL without an origin (file:)', 'file:///etc/hosts'],
    ['a URL without an origin (javascript:)', 'javascript:alert(1)'],
  ])('an entry that is %s (%j) → AuthError INVALID_OPTIONS, nothing attached', (_, entry) => {
    const api = axios.create({ baseURL: API_ORIGIN });
    const session = createAuthSession({ refresh: async () => ({ accessToken: 'never-used' }) });
    teardowns.push(() => session.stop());
    const before = interceptorCounts(api);

    let thrown: unknown;
    try {
      attachAuth(api, session, { allowedOrigins: [API_ORIGIN, entry] });
    } catch (error) {
      thrown = error;
    }

    expect(thrown).toBeInstanceOf(AuthError);
    expect(thrown).toMatchObject({ code: 'INVALID_OPTIONS', message: expect.stringContaining('allowedOrigins') });
    expectNoTokenIn(thrown);
    expect(interceptorCounts(api)).toEqual(before);
  });
});

describe('allowedOrigins that is not an array (a JavaScript caller)', () => {
  it.each([
    ['a string', API_ORIGIN],
    ['an object', { origin: API_ORIGIN }],
  ])('%s → AuthError INVALID_OPTIONS, nothing attached', (_, allowedOrigins) => {
    const api = axios.create({ baseURL: API_ORIGIN });
    const session = createAuthSession({ refresh: async () => ({ accessToken: 'never-used' }) });
    teardowns.push(() => session.stop());

    let thrown: unknown;
    try {
      // What a JavaScript caller can pass: the types would not let TypeScript code do it.
      attachAuth(api, session, { allowedOrigins: allowedOrigins as unknown as string[] });
    } catch (error) {
      thrown = error;
    }

    expect(thrown).toBeInstanceOf(AuthError);
    expect(thrown).toMatchObject({ code: 'INVALID_OPTIONS', message: expect.stringContaining('allowedOrigins') });
    expect(interceptorCounts(api)).toEqual({ request: 0, response: 0 });
  });
});

describe('no baseURL', () => {
  function attachError(instance: AxiosInstance): unknown {
    const session = createAuthSession({ refresh: async () => ({ accessToken: 'never-used' }) });
    teardowns.push(() => session.stop());
    try {
      teardowns.push(attachAuth(instance, session));
    } catch (error) {
      return error;
    }
    return undefined;
  }

  it('and no page location (Node): attachAuth throws INVALID_OPTIONS asking for allowedOrigins', () => {
    expect(globalThis.location).toBeUndefined();
    const api = axios.create();

    const error = attachError(api);

    expect(error).toBeInstanceOf(AuthError);
    expect(error).toMatchObject({ code: 'INVALID_OPTIONS', message: expect.stringContaining('allowedOrigins') });
    expect(interceptorCounts(api)).toEqual({ request: 0, response: 0 });
  });

  it('a relative baseURL with no page to resolve it against throws the same', () => {
    const error = attachError(axios.create({ baseURL: '/api' }));

    expect(error).toMatchObject({ code: 'INVALID_OPTIONS', message: expect.stringContaining('allowedOrigins') });
  });

  it("a page whose origin is opaque ('null', as in a sandboxed iframe) is no origin: it throws", () => {
    vi.stubGlobal('location', { origin: 'null', href: 'about:srcdoc' });

    expect(attachError(axios.create())).toMatchObject({ code: 'INVALID_OPTIONS' });
  });

  it("in a browser (location stubbed), the page's origin receives the token and no other does", async () => {
    startServer();
    vi.stubGlobal('location', { origin: API_ORIGIN, href: `${API_ORIGIN}/app/` });
    const api = sendLikeABrowserOn(`${API_ORIGIN}/app/`);
    await attachTo(api);

    await api.get('/api/relative-to-the-page');
    await api.get(`${API_ORIGIN}/api/absolute`);
    await reasonOf(api.get(`${OTHER_ORIGIN}/x`));
    await reasonOf(api.get('//evil.test/x'));

    expect(fake.apiRequests.map(({ path, authorization }) => [path, authorization])).toEqual([
      ['/api/relative-to-the-page', 'Bearer access-1'],
      ['/api/absolute', 'Bearer access-1'],
    ]);
    expect(fake.otherOriginRequests.map((request) => request.authorization)).toEqual([null]);
    expect(elsewhere.map(({ url, headers }) => [url, tokenIn(headers)])).toEqual([['https://evil.test/x', false]]);
    expect(fake.refreshCalls).toEqual([]);
  });

  it('in a browser, a relative baseURL resolves against the page', async () => {
    startServer();
    vi.stubGlobal('location', { origin: API_ORIGIN, href: `${API_ORIGIN}/app/` });
    const api = sendLikeABrowserOn(`${API_ORIGIN}/app/`);
    api.defaults.baseURL = '/api';
    await attachTo(api);

    await api.get('me');
    await reasonOf(api.get(`${OTHER_ORIGIN}/x`));

    expect(fake.apiRequests.map(({ path, authorization }) => [path, authorization])).toEqual([
      ['/api/me', 'Bearer access-1'],
    ]);
    expect(fake.otherOriginRequests.map((request) => request.authorization)).toEqual([null]);
  });
});
