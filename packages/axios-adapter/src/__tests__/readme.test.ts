import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { useReadmeApi, writeReadmeExample } from '@authmachine/test-kit';
import { afterEach, expect, it, vi } from 'vitest';

// The READMEs' axios examples are what users copy (the repository's, and the package's that npm
// shows): run each exactly as written against a server whose first access token has already expired.
const here = dirname(fileURLToPath(import.meta.url));
const seen = useReadmeApi();
afterEach(() => vi.restoreAllMocks());

it.each([
  ['the README axios example', 'readme-axios-example', undefined],
  ["the package README's example", 'package-readme-example', join(here, '../../README.md')],
])('runs %s: three 401s, one refresh call, three retries with the new token', async (_, marker, readme) => {
  const generated = writeReadmeExample(marker, join(here, `.generated/${marker}.ts`), readme);
  const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);

  await import(/* @vite-ignore */ generated);

  expect(seen.logins).toEqual([{ body: { username: 'ada', password: 'secret' }, authorization: null }]);
  expect(seen.refreshes).toEqual([{ body: { refreshToken: 'refresh-1' }, authorization: null }]);
  expect(seen.api.map(({ authorization }) => authorization)).toEqual([
    ...Array(3).fill('Bearer access-1'),
    ...Array(3).fill('Bearer access-2'),
  ]);
  expect(log).toHaveBeenCalledWith([200, 200, 200]);
});
