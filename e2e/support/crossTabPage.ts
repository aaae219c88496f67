import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, normalize } from 'node:path';
import type { FallbackHandler } from '@authmachine/example-server';

// A page with nothing but a crossTab session, served by the reference server itself (same origin,
// loopback: a secure context, so navigator.locks exists). No bundler: an import map points the
// bare specifiers at the built ESM files of @authmachine/core and xstate.
const require = createRequire(import.meta.url);
const CORE_DIST = join(dirname(require.resolve('@authmachine/core/package.json')), 'dist');
const XSTATE_DIST = join(dirname(require.resolve('xstate/package.json')), 'dist');

const PAGE = `<!doctype html>
<html><head><meta charset="utf-8"><title>crossTab</title>
<script type="importmap">{"imports":{"xstate":"/m/xstate/xstate.esm.js","@authmachine/core":"/m/core/index.js"}}</script>
</head><body><p id="status">restoring</p>
<script type="module">
import { createAuthSession } from '@authmachine/core';
const params = new URLSearchParams(location.search);
const handoff = params.get('handoff');
// ?refreshTimeout=, ?refreshRetries=, ?lockTimeout=: the lost-lock tests give each tab its own.
const number = (name) => (params.has(name) ? { [name]: Number(params.get(name)) } : {});
const json = (body) => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const session = createAuthSession({
  refresh: async ({ refreshToken, signal }) => {
    const response = await fetch('/auth/refresh', { ...json({ refreshToken }), signal });
    if (!response.ok) throw Object.assign(new Error('refresh failed'), { status: response.status });
    return response.json();
  },
  refreshLeeway: false,
  ...number('refreshTimeout'),
  ...number('refreshRetries'),
  // ?handoff=0: no delay before the lock passes on, so only the wait for pending messages orders them.
  crossTab: { ...(handoff === null ? {} : { handoffDelay: Number(handoff) }), ...number('lockTimeout') },
});
session.subscribe((state) => { document.getElementById('status').textContent = state.status; });
async function get(token) {
  return fetch('/api/me', { headers: token ? { authorization: 'Bearer ' + token } : {} });
}
// One request as an HTTP adapter makes it: a 401 reports the token and is retried once; when the
// session ends instead, the request fails with its 401.
async function request() {
  const token = await session.waitForAccessToken();
  const first = await get(token);
  if (first.status !== 401 || !token) return first.status;
  session.tokenRejected(token);
  const next = await session.waitForAccessToken().catch(() => null);
  return next === null ? first.status : (await get(next)).status;
}
// Each request's end as a user sees it: its status, or the name of the error it failed with.
const settled = (n) =>
  Promise.all(Array.from({ length: n }, () => request().catch((error) => error?.name ?? String(error))));
window.app = {
  burstSettled: settled,
  // A tab that took the refresh lock and stopped (frozen, paused) before it did anything with it.
  holdRefreshLock: () =>
    new Promise((granted) => {
      navigator.locks.request('authmachine:authmachine:refresh', () => {
        granted();
        return new Promise(() => {});
      });
    }),
  login: () => session.login(async () => (await fetch('/auth/login', json({ username: 'ada', password: 'lovelace' }))).json()),
  logout: () => session.logout(),
  burst: (n) => Promise.all(Array.from({ length: n }, request)),
  state: () => session.getSnapshot(),
};
</script></body></html>`;

export const crossTabPage: FallbackHandler = async (request, response) => {
  const path = new URL(request.url ?? '/', 'http://x').pathname;
  const serve = async (root: string, file: string, type: string) => {
    const full = normalize(join(root, file));
    if (!full.startsWith(root)) throw new Error('outside');
    response.writeHead(200, { 'content-type': type }).end(await readFile(full));
  };
  try {
    if (path === '/' || path === '/crossTab.html') {
      response.writeHead(200, { 'content-type': 'text/html' }).end(PAGE);
    } else if (path.startsWith('/m/core/')) await serve(CORE_DIST, path.slice(8), 'text/javascript');
    else if (path.startsWith('/m/xstate/')) await serve(XSTATE_DIST, path.slice(10), 'text/javascript');
    else response.writeHead(404).end();
  } catch {
    response.writeHead(404).end();
  }
};
