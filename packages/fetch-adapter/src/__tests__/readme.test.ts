import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { useReadmeApi, writeReadmeExample } from '@authmachine/test-kit';
import { afterEach, expect, it, vi } from 'vitest';

// The READMEs' fetch examples are what users copy (the repository's, and the package's that npm
// shows): run each exactly as written against a server whose first access token has already expired.
const here = dirname(fileURLToPath(import.meta.url));
const seen = useReadmeApi();
afterEach(() => vi.restoreAllMocks());

const first = ['/me', '/orders', '/invoices'].map((path) => ({ path, authorization: 'Bearer access-1' }));
const retried = first.map(({ path }) => ({ path, authorization: 'Bearer access-2' }));

it('runs the README fetch example: three 401s, one refresh call, three retries, then ky with the new token', async () => {
  const generated = writeReadmeExample('readme-fetch-example', join(here, '.generated/readmeFetchExample.ts'));
  const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);

  await import(/* @vite-ignore */ generated);

  expect(seen.logins).toEqual([{ body: { username: 'ada', password: 'secret' }, authorization: null }]);
  expect(seen.refreshes).toEqual([{ body: { refreshToken: 'refresh-1' }, authorization: null }]);
  expect(seen.api).toEqual([...first, ...retried, { path: '/me', authorization: 'Bearer access-2' }]);
  expect(log).toHaveBeenNthCalledWith(1, [200, 200, 200]);
  expect(log).toHaveBeenNthCalledWith(2, { path: '/me' });
});

it("runs the package README's example: three 401s, one refresh call, three retries with the new token", async () => {
  const generated = writeReadmeExample(
    'package-readme-example',
    join(here, '.generated/packageReadmeExample.ts'),
    join(here, '../../README.md'),
  );
  const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);

  await import(/* @vite-ignore */ generated);

  expect(seen.logins).toEqual([{ body: { username: 'ada', password: 'secret' }, authorization: null }]);
  expect(seen.refreshes).toEqual([{ body: { refreshToken: 'refresh-1' }, authorization: null }]);
  expect(seen.api).toEqual([...first, ...retried]);
  expect(log).toHaveBeenCalledWith([200, 200, 200]);
});
