import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningAuthServer, startAuthServer, staticFiles } from '../index.js';

describe('staticFiles as the server fallback (how the React example is served)', () => {
  let server: RunningAuthServer;
  let secretOutside: string;

  beforeAll(async () => {
    const root = mkdtempSync(join(tmpdir(), 'static-files-'));
    const app = join(root, 'app');
    mkdirSync(app);
    writeFileSync(join(app, 'index.html'), '<p>app</p>');
    writeFileSync(join(app, 'main.js'), 'console.log(1)');
    secretOutside = 'outside-the-app-folder';
    writeFileSync(join(root, 'secret.txt'), secretOutside);
    server = await startAuthServer({ fallback: staticFiles(app) });
  });
  afterAll(() => server.close());

  it('serves index.html for / and for client-side routes, files with their content type', async () => {
    for (const path of ['/', '/profile/settings']) {
      const response = await fetch(`${server.url}${path}`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(await response.text()).toBe('<p>app</p>');
    }
    const script = await fetch(`${server.url}/main.js`);
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await script.text()).toBe('console.log(1)');
  });

  it('404 for a missing file, and no file outside the folder however the path is written', async () => {
    expect((await fetch(`${server.url}/missing.js`)).status).toBe(404);
    for (const path of ['/../secret.txt', '/%2e%2e/secret.txt', '/..%2fsecret.txt']) {
      const response = await fetch(`${server.url}${path}`);
      expect(await response.text()).not.toContain(secretOutside);
    }
  });

  it('API routes still win over the fallback', async () => {
    expect((await fetch(`${server.url}/api/me`)).status).toBe(401);
  });
});
