import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';

// The package's own README is what npm shows: run its example exactly as written. The core may not
// depend on the test kit (the kit depends on the core), so the block is extracted here, the way
// the test kit's writeReadmeExample does it.
const here = dirname(fileURLToPath(import.meta.url));
const readme = readFileSync(join(here, '../../README.md'), 'utf8');
const marker = '<!-- package-readme-example';

function extractExample(markdown: string): string {
  const start = markdown.indexOf(marker);
  const block = /```ts\n([\s\S]*?)```/.exec(markdown.slice(start));
  if (start === -1 || !block?.[1]) throw new Error('packages/core/README.md has no ```ts block after its marker');
  return block[1];
}

const refreshRequests: unknown[] = [];
const server = setupServer(
  http.post('https://auth.example.com/refresh', async ({ request }) => {
    refreshRequests.push({ contentType: request.headers.get('content-type'), body: await request.json() });
    return HttpResponse.json({ accessToken: 'access-2', refreshToken: 'refresh-2', expiresIn: 900 });
  }),
);

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterAll(() => server.close());

it("runs the package README's example: three 401s for one token, one refresh call, the new token", async () => {
  const generated = join(here, '.generated/packageReadmeExample.ts');
  mkdirSync(dirname(generated), { recursive: true });
  writeFileSync(generated, extractExample(readme));
  const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);

  await import(/* @vite-ignore */ generated);

  expect(refreshRequests).toEqual([{ contentType: 'application/json', body: { refreshToken: 'refresh-1' } }]);
  const sends = log.mock.calls.filter(([label]) => label === 'send:');
  expect(sends).toEqual([
    ['send:', 'access-1'],
    ['send:', 'access-2'],
  ]);
  const statuses = log.mock.calls.filter(([label]) => label === 'status:').map(([, status]) => status);
  // From the login on (the restore before it is the storage's business): one refresh, no other state.
  expect(statuses.slice(statuses.indexOf('authenticated'))).toEqual(['authenticated', 'refreshing', 'authenticated']);
  expect(log).not.toHaveBeenCalledWith('Session ended: please log in again');
});
