import { parseArgs } from 'node:util';
import { DEMO_CLIENT_KINDS, type DemoClientKind } from './demoHttp.js';

export interface DemoOptions {
  /** The adapter the scripted client's calls go through. */
  client: DemoClientKind;
  /** Concurrent requests in each burst. */
  requests: number;
  /** Access-token lifetime in seconds. */
  ttl: number;
  /** Bursts while the session lives; one more follows the revoke. */
  bursts: number;
  /** Keep the server up after the run. */
  serve: boolean;
  /** App tabs simulated in one process, sharing the session with `crossTab`; 1 is a plain client. */
  tabs: number;
  /** Server port; 0 picks a free one. */
  port: number;
  /** Origins allowed to call the server from a browser (CORS). */
  origins: string[];
}

export const DEFAULT_OPTIONS: DemoOptions = {
  client: 'axios',
  requests: 25,
  ttl: 2,
  bursts: 8,
  tabs: 1,
  serve: false,
  port: 0,
  origins: [],
};

/** Where `--serve` listens unless told otherwise, so that an app can be pointed at a fixed URL. */
export const SERVE_PORT = 4000;
/** Vite's dev-server origins: the React example's, when it runs beside `--serve`. */
export const SERVE_ORIGINS = ['http://localhost:5173', 'http://127.0.0.1:5173'];

export const HELP = `Usage: pnpm demo [options]

Starts the example auth server on a loopback port and runs a scripted client through
@authmachine/core and @authmachine/axios (or @authmachine/fetch with --client fetch): it logs
in, fires bursts of concurrent requests across several access-token expiries (one burst lands
exactly at expiry), then revokes the session through the admin API so that it ends. Exits 0
when everything went as expected, 1 otherwise.

Options:
  --client C     axios (default: an axios instance with attachAuth) or fetch (createAuthFetch
                 over Node's fetch); the same script, the same checked summary
  --requests N   concurrent requests per burst (default ${DEFAULT_OPTIONS.requests})
  --ttl S        access-token lifetime in seconds, fractions allowed (default ${DEFAULT_OPTIONS.ttl})
  --bursts N     bursts while the session lives (default ${DEFAULT_OPTIONS.bursts}); 0 skips them
  --tabs N       N tabs of the app (1-8, default 1), simulated in one process: each its own
                 session and client (with either --client), sharing the session with crossTab
                 over a real BroadcastChannel and an in-process lock; every tab sends each burst
  --serve        keep the server up after the run (Ctrl-C stops it), on --port or ${SERVE_PORT}
  --port P       server port (default: a free one; ${SERVE_PORT} with --serve)
  --origin URL   allow this browser origin (CORS); repeatable (with --serve default: Vite's
                 ${SERVE_ORIGINS.join(', ')})
  -h, --help     show this help
`;

export type ParsedArgs = { kind: 'run'; options: DemoOptions } | { kind: 'help' } | { kind: 'error'; message: string };

export function parseDemoArgs(argv: readonly string[]): ParsedArgs {
  let values: ReturnType<typeof parseFlags>;
  try {
    values = parseFlags(argv);
  } catch (error) {
    return { kind: 'error', message: error instanceof Error ? error.message : String(error) };
  }
  if (values.help) return { kind: 'help' };
  const problems: string[] = [];
  const number = (
    flag: string,
    raw: string | undefined,
    fallback: number,
    check: (n: number) => boolean,
    rule: string,
  ) => {
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (raw.trim() === '' || !check(value)) problems.push(`--${flag} ${raw}: ${rule}`);
    return value;
  };
  const serve = values.serve === true;
  const client = values.client ?? DEFAULT_OPTIONS.client;
  if (!isClientKind(client)) problems.push(`--client ${client}: ${DEMO_CLIENT_KINDS.join(' or ')}`);
  const options: DemoOptions = {
    client: isClientKind(client) ? client : DEFAULT_OPTIONS.client,
    requests: number('requests', values.requests, DEFAULT_OPTIONS.requests, isIntIn(1, 1000), 'a whole number 1-1000'),
    ttl: number('ttl', values.ttl, DEFAULT_OPTIONS.ttl, (n) => n >= 0.2 && n <= 60, 'seconds between 0.2 and 60'),
    bursts: number('bursts', values.bursts, DEFAULT_OPTIONS.bursts, isIntIn(0, 100), 'a whole number 0-100'),
    tabs: number('tabs', values.tabs, DEFAULT_OPTIONS.tabs, isIntIn(1, 8), 'a whole number 1-8'),
    serve,
    port: number('port', values.port, serve ? SERVE_PORT : 0, isIntIn(0, 65_535), 'a port number 0-65535'),
    origins: values.origin ?? (serve ? SERVE_ORIGINS : []),
  };
  for (const origin of options.origins) {
    if (!URL.canParse(origin) || new URL(origin).origin === 'null') {
      problems.push(`--origin ${origin}: write an origin such as http://localhost:5173`);
    }
  }
  if (problems.length > 0) return { kind: 'error', message: problems.join('\n') };
  return { kind: 'run', options };
}

function parseFlags(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: false,
    options: {
      client: { type: 'string' },
      requests: { type: 'string' },
      ttl: { type: 'string' },
      bursts: { type: 'string' },
      tabs: { type: 'string' },
      serve: { type: 'boolean' },
      port: { type: 'string' },
      origin: { type: 'string', multiple: true },
      help: { type: 'boolean', short: 'h' },
    },
  }).values;
}

function isClientKind(value: string): value is DemoClientKind {
  return (DEMO_CLIENT_KINDS as readonly string[]).includes(value);
}

function isIntIn(min: number, max: number): (value: number) => boolean {
  return (value) => Number.isInteger(value) && value >= min && value <= max;
}
