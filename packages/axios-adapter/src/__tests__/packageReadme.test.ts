import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeReadmeExample } from '@authmachine/test-kit';
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';

// The package's own README is what npm shows: run its example exactly as written, against a server
// whose first access token has already expired.
const here = dirname(fileURLToPath(import.meta.url));
const readme = join(here, '../../README.md');

const seen = { logins: [] as unknown[], refreshes: [] as unknown[], api: [] as Array<string | null> };
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
    seen.api.push(authorization);
    return authorization === 'Bearer access-2'
      ? HttpResponse.json({ ok: true })
      : HttpResponse.json({ error: 'invalid_token' }, { status: 401 });
  }),
);

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterAll(() => server.close());

it("runs the package README's example: three 401s, one refresh call, three retries with the new token", async () => {
  const generated = writeReadmeExample(
    'package-readme-example',
    join(here, '.generated/packageReadmeExample.ts'),
    readme,
  );
  const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);

  await import(/* @vite-ignore */ generated);

  expect(seen.logins).toEqual([{ body: { username: 'ada', password: 'secret' }, authorization: null }]);
  expect(seen.refreshes).toEqual([{ body: { refreshToken: 'refresh-1' }, authorization: null }]);
  expect(seen.api).toEqual([...Array(3).fill('Bearer access-1'), ...Array(3).fill('Bearer access-2')]);
  expect(log).toHaveBeenCalledWith([200, 200, 200]);
});
