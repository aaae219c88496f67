import { buildReactApp } from '@authmachine/example-react-app/build';
import { staticFiles } from '@authmachine/example-server';
import { HELP, parseDemoArgs } from './demoOptions.js';
import { runDemo } from './runDemo.js';

// `pnpm demo [options]`: exit 0 when the run behaved, 1 when it did not, 2 on a usage error.
const parsed = parseDemoArgs(process.argv.slice(2));
if (parsed.kind === 'help') {
  process.stdout.write(HELP);
} else if (parsed.kind === 'error') {
  process.stderr.write(`${parsed.message}\n\n${HELP}`);
  process.exitCode = 2;
} else {
  const color = process.stdout.isTTY === true && !process.env.NO_COLOR;
  // With --serve the server also serves the React example, built from source: same origin, no CORS.
  const app = parsed.options.serve ? staticFiles(await buildReactApp()) : undefined;
  const result = await runDemo({ ...parsed.options, color, ...(app ? { app } : {}) }).catch((error: unknown) => {
    // Only the server's start can throw here (a port in use); the run itself reports its problems.
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`The demo could not start the auth server: ${message}. Try --port 0 for a free port.\n`);
    return null;
  });
  process.exitCode = result?.exitCode ?? 1;
  const server = result?.server;
  if (server) {
    console.log('');
    console.log(
      `Serving the React example and its API on ${server.url} until Ctrl-C. Users: ada/lovelace (scopes read, admin), grace/hopper (read).`,
    );
    console.log(
      `Try ${server.url}/?storage=local (tokens survive a reload) or ${server.url}/?proactive=off (refresh on 401 only).`,
    );
    console.log(
      `Open ${server.url}/?crossTab=on in two tabs: they share one session (one refresh, logout everywhere).`,
    );
    console.log(`Open ${server.url}/?client=fetch for the same app on @authmachine/fetch instead of axios.`);
    console.log(`Admin key for POST /admin/revoke and POST /stats/reset (header X-Admin-Key): ${server.adminKey}`);
    if (parsed.options.origins.length > 0) console.log(`Browser origins allowed: ${parsed.options.origins.join(', ')}`);
    const stop = (): void => {
      void server.close().then(() => process.exit());
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  }
}
