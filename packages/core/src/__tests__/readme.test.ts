import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';

// The README's usage example is the first code a user copies: run it exactly as written.
const here = dirname(fileURLToPath(import.meta.url));
const readme = readFileSync(join(here, '../../../../README.md'), 'utf8');
const marker = '<!-- readme-example';

function extractExample(markdown: string): string {
  const start = markdown.indexOf(marker);
  const block = /```ts\n([\s\S]*?)```/.exec(markdown.slice(start));
  if (start === -1 || !block?.[1]) throw new Error('README.md has no ```ts block after the readme-example marker');
  return block[1];
}

const refreshRequests: unknown[] = [];
const server = setupServer(
  http.post('https://auth.example.com/refresh', async ({ request }) => {
    // As an Express server with express.json() does: without the JSON content type, no body.
    if (!request.headers.get('content-type')?.startsWith('application/json')) {
      return HttpResponse.json(
        { error: 'invalid_request', error_description: 'refreshToken missing' },
        { status: 400 },
      );
    }
    refreshRequests.push(JSON.parse(await request.text()));
    return HttpResponse.json({ accessToken: 'access-2', refreshToken: 'refresh-2', expiresIn: 900 });
  }),
);

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterAll(() => server.close());

it('runs the README usage example: three 401s, one refresh call, the new token', async () => {
  const generated = join(here, '.generated/readmeExample.ts');
  mkdirSync(dirname(generated), { recursive: true });
  writeFileSync(generated, extractExample(readme));
  const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);

  await import(/* @vite-ignore */ generated);

  expect(refreshRequests).toEqual([{ refreshToken: 'refresh-1' }]);
  expect(log).toHaveBeenCalledWith('new token:', 'access-2');
  expect(log).not.toHaveBeenCalledWith('Session ended: please log in again');
});
