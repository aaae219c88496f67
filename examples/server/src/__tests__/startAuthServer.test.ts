import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it, vi } from 'vitest';
import { createAuthApp, startAuthServer } from '../index.js';

describe('startAuthServer', () => {
  it('listens on a free loopback port by default and closes cleanly, keep-alive connections included', async () => {
    const server = await startAuthServer();
    expect(server.host).toBe('127.0.0.1');
    expect(server.port).toBeGreaterThan(0);
    expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
    expect(await (await fetch(`${server.url}/health`)).json()).toEqual({ ok: true });

    await server.close();
    await server.close();
    await expect(fetch(`${server.url}/health`)).rejects.toThrow();
  });

  it('never logs the JWT secret or a token', async () => {
    const log = vi.spyOn(console, 'log');
    const error = vi.spyOn(console, 'error');
    const server = await startAuthServer();
    await fetch(`${server.url}/auth/login`, { method: 'POST', body: '{"username":"ada","password":"lovelace"}' });
    await server.close();
    expect(log).not.toHaveBeenCalled();
    expect(error).not.toHaveBeenCalled();
  });

  it.each([
    [{ accessTtl: 0 }, 'accessTtl must be a number of seconds > 0 (fractions allowed).'],
    [{ refreshTtl: Number.NaN }, 'refreshTtl must be a number of seconds > 0 (fractions allowed).'],
    [{ port: 70_000 }, 'port must be a whole number 0-65535.'],
    [{ refreshDelay: -1 }, 'refreshDelay must be a whole number of milliseconds 0-60000.'],
    [{ refreshDelay: 1.5 }, 'refreshDelay must be a whole number of milliseconds 0-60000.'],
    [{ adminKey: 'short' }, 'adminKey must be a string of at least 8 characters.'],
    [{ allowedOrigins: ['localhost:5173'] }, 'allowedOrigins holds "localhost:5173", which is not an origin'],
    [{ users: [{ username: 'x', password: '', name: 'X', scope: [] }] }, 'each user needs a non-empty username'],
  ])('rejects bad options with a message: %o', async (options, message) => {
    await expect(startAuthServer(options)).rejects.toThrow(message);
  });

  it('reports a port in use', async () => {
    const first = await startAuthServer();
    await expect(startAuthServer({ port: first.port })).rejects.toThrow(/EADDRINUSE/);
    await first.close();
  });

  it('hands unmatched requests to the fallback, e.g. an app’s files', async () => {
    const server = await startAuthServer({
      fallback: (_, response) => {
        response.writeHead(200, { 'Content-Type': 'text/html' }).end('<h1>app</h1>');
      },
    });
    expect(await (await fetch(`${server.url}/index.html`)).text()).toBe('<h1>app</h1>');
    expect((await fetch(`${server.url}/api/me`)).status).toBe(401);
    await server.close();
  });

  it('answers 500 for a failure of its own and keeps serving', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const server = await startAuthServer({
      fallback: () => {
        throw new Error('app broke');
      },
    });
    const response = await fetch(`${server.url}/broken`);
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({ error: 'server_error', message: 'The server failed.' });
    expect(error).toHaveBeenCalledWith('auth server: GET /broken failed: Error: app broke');
    expect((await fetch(`${server.url}/health`)).status).toBe(200);
    await server.close();
  });

  it('createAuthApp works as connect middleware: unmatched requests go to next()', async () => {
    const app = createAuthApp();
    const http = createServer((request, response) =>
      app.handle(request, response, () => response.writeHead(418).end()),
    );
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
    expect((await fetch(`${url}/elsewhere`)).status).toBe(418);
    expect((await fetch(`${url}/health`)).status).toBe(200);
    http.closeAllConnections();
    await new Promise((resolve) => http.close(resolve));
  });
});
