import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AuthSession } from '@authmachine/core';
import { writeReadmeExample } from '@authmachine/test-kit';
import { act, fireEvent, screen } from '@testing-library/react';
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, expect, it } from 'vitest';

// The package's own README is what npm shows: run its example as written, against a fake auth server.
const here = dirname(fileURLToPath(import.meta.url));
const readme = join(here, '../../README.md');

const auth = { logins: [] as unknown[], refreshes: [] as unknown[] };
const server = setupServer(
  http.post('https://auth.example.com/login', async ({ request }) => {
    auth.logins.push(await request.json());
    return HttpResponse.json({ accessToken: 'access-1', refreshToken: 'refresh-1', expiresIn: 900 });
  }),
  http.post('https://auth.example.com/refresh', async ({ request }) => {
    auth.refreshes.push(await request.json());
    return HttpResponse.json({ accessToken: 'access-2', refreshToken: 'refresh-2', expiresIn: 900 });
  }),
);

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterAll(() => server.close());

it("runs the package README's example: log in, the account stays mounted through a refresh, log out", async () => {
  const generated = writeReadmeExample(
    'package-readme-example',
    join(here, '.generated/packageReadmeExample.tsx'),
    readme,
  );
  const root = document.createElement('div');
  root.id = 'root';
  document.body.append(root);

  const { session } = (await act(() => import(/* @vite-ignore */ generated))) as { session: AuthSession };
  try {
    fireEvent.click(await screen.findByRole('button', { name: 'Log in' }));
    const account = await screen.findByRole('button', { name: 'Log out (authenticated)' });
    expect(auth.logins).toEqual([{ username: 'ada', password: 'secret' }]);

    await act(() => session.refresh());
    expect(auth.refreshes).toEqual([{ refreshToken: 'refresh-1' }]);
    expect(screen.getByRole('button', { name: 'Log out (authenticated)' })).toBe(account);

    fireEvent.click(account);
    expect(await screen.findByRole('button', { name: 'Log in' })).toBeTruthy();
    expect(account.isConnected).toBe(false);
  } finally {
    session.stop();
    root.remove();
  }
  // The first import transforms the example on the fly: allow for a busy machine.
}, 20_000);
