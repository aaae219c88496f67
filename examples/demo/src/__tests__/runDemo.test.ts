import { describe, expect, it } from 'vitest';
import { DEFAULT_OPTIONS, type DemoClientKind, type DemoOptions, runDemo } from '../index.js';

// A 1 s lifetime leaves half a second of slack to mid-life bursts on a loaded CI machine.
const FAST: DemoOptions = { ...DEFAULT_OPTIONS, ttl: 1, bursts: 4, requests: 10 };

// The same script and the same checked summary through either adapter.
const CLIENTS: { client: DemoClientKind; named: RegExp }[] = [
  { client: 'axios', named: /^client: @authmachine\/axios \(an axios instance with attachAuth\)$/m },
  { client: 'fetch', named: /^client: @authmachine\/fetch \(createAuthFetch over Node's fetch\)$/m },
];

describe.each(CLIENTS)('runDemo --client $client', ({ client: kind, named }) => {
  it('keeps the session alive across expiries with one refresh each, then ends it cleanly (exit 0)', async () => {
    const lines: string[] = [];
    const result = await runDemo({ ...FAST, client: kind, print: (line) => lines.push(line) });

    // The demo's own output says best what went wrong.
    if (result.problems.length > 0) console.log(lines.join('\n'));
    expect(result.problems).toEqual([]);
    expect(result.exitCode).toBe(0);
    expect(result.server).toBeNull();
    const { client, server, expiriesPlanned, expiriesCrossed } = result.figures ?? expect.unreachable();
    // Bursts: fresh, at expiry, mid-life, after expiry: two expiries planned. A loaded machine may
    // cross one more (a burst outliving its token); each expiry still costs exactly one refresh.
    expect(expiriesPlanned).toBe(2);
    expect(expiriesCrossed).toBeGreaterThanOrEqual(2);
    // The client knows the expiry: no burst sent a dead token, each waited for the one refresh.
    expect(server.expiredTokens).toBe(0);
    expect(server.refreshes).toBe(expiriesCrossed);
    expect(server.reuseDetections).toBe(0);
    expect(server.refreshFailures).toBe(1);
    expect(client).toEqual({
      sent: 50,
      succeeded: 40,
      sessionExpired: 10,
      otherFailures: 0,
      refreshCalls: server.refreshes + 1,
      refreshed: server.refreshes,
    });
    expect(server.apiSucceeded).toBe(40);
    // Only the burst after the revoke met 401s (its token was revoked): 10 of them, one refresh call.
    expect(server.unauthorized).toBe(10);

    const output = lines.join('\n');
    expect(output).toMatch(named);
    expect(output).toMatch(/burst 2\/4 \(at expiry\): 10 requests/);
    expect(output).toMatch(/session authenticated → refreshing/);
    expect(output).toMatch(/session refreshing → expired/);
    expect(output).toMatch(/refresh calls answered \(server\) +(\d+) {2}\1: one per expiry crossed +ok/);
    expect(output).toMatch(/reuse detections \(server\) +0 {2}0 +ok/);
    expect(output).toContain('The demo behaved as expected.');
    // Plain text for CI logs unless colours are asked for.
    expect(output).not.toContain('\u001b[');
    // About 2.5 s of scheduled bursts; the slack is for a loaded machine.
  }, 20_000);

  it('--tabs 3: three sessions sharing one with crossTab make one refresh per expiry, with no reuse', async () => {
    const lines: string[] = [];
    const result = await runDemo({ ...FAST, client: kind, tabs: 3, print: (line) => lines.push(line) });

    if (result.problems.length > 0) console.log(lines.join('\n'));
    expect(result.problems).toEqual([]);
    const { client, server, statusAtEnd, expiriesCrossed } = result.figures ?? expect.unreachable();
    expect(expiriesCrossed).toBeGreaterThanOrEqual(2);
    expect(server.expiredTokens).toBe(0);
    // Three tabs, each sending every burst: still one refresh call per expiry, from one of them.
    expect(server.refreshes).toBe(expiriesCrossed);
    expect(server.reuseDetections).toBe(0);
    // After the revoke one tab's refresh is refused; it tells the others, which end without a call.
    expect(server.refreshFailures).toBe(1);
    expect(client).toEqual({
      sent: 150,
      succeeded: 120,
      sessionExpired: 30,
      otherFailures: 0,
      refreshCalls: server.refreshes + 1,
      refreshed: server.refreshes * 3,
    });
    expect(statusAtEnd).toBe('expired');
    const output = lines.join('\n');
    expect(output).toMatch(named);
    expect(output).toMatch(/burst 2\/4 \(at expiry\): 10 requests from each of 3 tabs/);
    expect(output).toMatch(
      /tab [123]: session refreshing → authenticated \(token valid for [\d.]+ s, from another tab\)/,
    );
    expect(output).toMatch(/new tokens received \(client\) +(\d+) {2}\1: each refresh reaches all 3 tabs +ok/);
    expect(output).toContain('The demo behaved as expected.');
  }, 20_000);
});

describe('runDemo', () => {
  it('with serve, leaves the server running for an app to use', async () => {
    const result = await runDemo({ ...FAST, bursts: 0, requests: 2, serve: true, print: () => undefined });
    const { server } = result;
    try {
      expect(result.exitCode).toBe(0);
      expect(server).not.toBeNull();
      const login = await fetch(`${server?.url}/auth/login`, {
        method: 'POST',
        body: JSON.stringify({ username: 'grace', password: 'hopper' }),
      });
      expect(login.status).toBe(200);
    } finally {
      await server?.close();
    }
  });
});
