import { describe, expect, it } from 'vitest';
import { DEFAULT_OPTIONS, HELP, parseDemoArgs } from '../index.js';

describe('parseDemoArgs', () => {
  it('defaults to a short run on a free port', () => {
    expect(parseDemoArgs([])).toEqual({ kind: 'run', options: DEFAULT_OPTIONS });
    expect(DEFAULT_OPTIONS).toMatchObject({ client: 'axios', ttl: 2, bursts: 8, tabs: 1, port: 0, serve: false });
    expect(parseDemoArgs(['--tabs', '3'])).toMatchObject({ options: { tabs: 3 } });
  });

  it('--client picks the adapter, with --tabs too', () => {
    expect(parseDemoArgs(['--client', 'fetch'])).toMatchObject({ kind: 'run', options: { client: 'fetch' } });
    expect(parseDemoArgs(['--client=axios'])).toMatchObject({ kind: 'run', options: { client: 'axios' } });
    expect(parseDemoArgs(['--client', 'fetch', '--tabs', '3'])).toMatchObject({
      kind: 'run',
      options: { client: 'fetch', tabs: 3 },
    });
  });

  it('reads the flags', () => {
    const parsed = parseDemoArgs(['--requests', '5', '--ttl', '0.5', '--bursts=3', '--origin', 'http://a.test']);
    expect(parsed).toEqual({
      kind: 'run',
      options: {
        client: 'axios',
        requests: 5,
        ttl: 0.5,
        bursts: 3,
        tabs: 1,
        serve: false,
        port: 0,
        origins: ['http://a.test'],
      },
    });
  });

  it('--serve listens on port 4000 for Vite’s origins unless told otherwise', () => {
    expect(parseDemoArgs(['--serve'])).toMatchObject({
      options: { serve: true, port: 4000, origins: ['http://localhost:5173', 'http://127.0.0.1:5173'] },
    });
    expect(parseDemoArgs(['--serve', '--port', '0'])).toMatchObject({ options: { port: 0 } });
  });

  it('answers --help and -h, and the help names --client', () => {
    expect(parseDemoArgs(['--help'])).toEqual({ kind: 'help' });
    expect(parseDemoArgs(['-h'])).toEqual({ kind: 'help' });
    expect(HELP).toMatch(/--client C +axios \(default[^)]*\) or fetch \(createAuthFetch/);
  });

  it.each([
    [['--requests', '0'], '--requests 0: a whole number 1-1000'],
    [['--requests', '2.5'], '--requests 2.5: a whole number 1-1000'],
    [['--ttl', 'soon'], '--ttl soon: seconds between 0.2 and 60'],
    [['--ttl', '0.1'], '--ttl 0.1: seconds between 0.2 and 60'],
    [['--bursts', ''], '--bursts : a whole number 0-100'],
    [['--tabs', '0'], '--tabs 0: a whole number 1-8'],
    [['--tabs', '9'], '--tabs 9: a whole number 1-8'],
    [['--port', '99999'], '--port 99999: a port number 0-65535'],
    [['--origin', 'localhost'], '--origin localhost: write an origin such as http://localhost:5173'],
    [['--client', 'ky'], '--client ky: axios or fetch'],
    [['--client'], "Option '--client <value>' argument missing"],
    [['--what'], "Unknown option '--what'"],
    [['extra'], "Unexpected argument 'extra'"],
  ])('reports %o', (argv, message) => {
    const parsed = parseDemoArgs(argv);
    expect(parsed.kind).toBe('error');
    expect(parsed.kind === 'error' && parsed.message).toContain(message);
  });
});
