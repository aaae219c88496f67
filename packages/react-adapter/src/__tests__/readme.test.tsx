import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AuthSession } from '@authmachine/core';
import { writeReadmeExample } from '@authmachine/test-kit';
import { act, fireEvent, screen } from '@testing-library/react';
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, expect, it } from 'vitest';

// The README's React example is what users copy: run it as written, against a fake auth server.
const here = dirname(fileURLToPath(import.meta.url));

/** What the fake server answers to the next refresh: new tokens, or 401 (the session ended). */
const auth = { refreshAnswer: 'tokens' as 'tokens' | '401', refreshes: 0, logins: [] as unknown[] };
const server = setupServer(
  http.post('https://auth.example.com/login', async ({ request }) => {
    auth.logins.push(await request.json());
    return HttpResponse.json({ accessToken: 'access-1', refreshToken: 'refresh-1', expiresIn: 900 });
  }),
  http.post('https://auth.example.com/refresh', () => {
    auth.refreshes += 1;
    if (auth.refreshAnswer === '401') return HttpResponse.json({ error: 'invalid_grant' }, { status: 401 });
    return HttpResponse.json({ accessToken: `access-${auth.refreshes + 1}`, expiresIn: 900 });
  }),
);

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterAll(() => server.close());

it('runs the README React example: log in, a refresh keeps the account mounted, an ended session asks to log in', async () => {
  const generated = writeReadmeExample('readme-react-example', join(here, '.generated/readmeReactExample.tsx'));
  const root = document.createElement('div');
  root.id = 'root';
  document.body.append(root);

  const { session } = (await act(() => import(/* @vite-ignore */ generated))) as { session: AuthSession };
  try {
    fireEvent.click(await screen.findByRole('button', { name: 'Log in' }));
    const account = await screen.findByText(/Signed in \(authenticated\)/);
    expect(auth.logins).toEqual([{ username: 'ada', password: 'secret' }]);

    await act(() => session.refresh());
    expect(auth.refreshes).toBe(1);
    expect(screen.getByText(/Signed in \(authenticated\)/)).toBe(account);

    auth.refreshAnswer = '401';
    await act(() => session.refresh().catch(() => undefined));
    expect(await screen.findByRole('button', { name: 'Your session ended: log in again' })).toBeTruthy();
    expect(account.isConnected).toBe(false);

    fireEvent.click(screen.getByRole('button', { name: 'Your session ended: log in again' }));
    fireEvent.click(await screen.findByRole('button', { name: 'Log out' }));
    expect(await screen.findByRole('button', { name: 'Log in' })).toBeTruthy();
  } finally {
    session.stop();
  }
  // The first import transforms the example on the fly: allow for a busy machine.
}, 20_000);
