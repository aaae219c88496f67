import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The built package, as a Node script gets it (`pnpm test` builds before the unit tests run).
const entry = fileURLToPath(new URL('../../dist/index.js', import.meta.url));

/** Runs a Node script against the built package; whether it ended on its own within the limit. */
function runScript(body: string): { status: number | null; signal: NodeJS.Signals | null; stdout: string } {
  const script = `import { createAuthSession } from ${JSON.stringify(entry)};\n${body}`;
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    encoding: 'utf8',
    timeout: 15_000,
  });
  return { status: result.status, signal: result.signal, stdout: result.stdout };
}

describe('a session in a Node script', () => {
  it('a script that logged in and did its work exits, though a proactive refresh is scheduled', () => {
    const { status, signal, stdout } = runScript(`
      const session = createAuthSession({ refresh: async () => ({ accessToken: 'access-2' }) });
      await session.login({ accessToken: 'access-1', refreshToken: 'refresh-1', expiresIn: 3600 });
      console.log(JSON.stringify(session.actor.getSnapshot().value));
    `);
    expect(signal).toBeNull();
    expect(status).toBe(0);
    expect(JSON.parse(stdout)).toEqual({ authenticated: 'refreshScheduled' });
  });

  it('a request waiting through the backoff between refresh attempts keeps the script alive until it settles', () => {
    const { status, signal, stdout } = runScript(`
      let calls = 0;
      const session = createAuthSession({
        refresh: async () => {
          calls += 1;
          if (calls === 1) throw Object.assign(new Error('busy'), { status: 503 });
          return { accessToken: 'access-2' };
        },
      });
      await session.login({ accessToken: 'access-1', refreshToken: 'refresh-1', expiresIn: 3600 });
      console.log(await session.refresh(), calls);
    `);
    expect(signal).toBeNull();
    expect(status).toBe(0);
    expect(stdout.trim()).toBe('access-2 2');
  });
});
