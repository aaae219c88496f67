import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createAuthApp } from '@authmachine/example-server';
import {
  emptySessionCounts,
  type LoadServerMessage,
  type LoadServerRequest,
  SESSION_HEADER,
  type ServerSessionCounts,
} from './loadServerProtocol.js';

// The child process of `startLoadServer` (loadServerProcess.ts): the reference server's app on a
// free loopback port, so that the bench process's heap holds the clients alone. The listener only
// adds per-session counters (read from `SESSION_HEADER`) to the server's own global ones.

const accessTtl = Number(process.argv[2]);
const app = createAuthApp({ accessTtl });
const sessions = new Map<string, ServerSessionCounts>();
// A server that stalls (a busy machine) reads requests late: a token issued just before can have
// expired by the time the request carrying it is read. The run reports how late it got.
const delay = monitorEventLoopDelay({ resolution: 10 });
delay.enable();

function count(session: string, path: string, status: number): void {
  let counts = sessions.get(session);
  if (!counts) {
    counts = emptySessionCounts();
    sessions.set(session, counts);
  }
  if (path === '/auth/refresh') {
    if (status === 200) counts.refreshes += 1;
    else counts.refreshFailures += 1;
  } else if (path.startsWith('/api/')) {
    if (status === 200) counts.apiOk += 1;
    else if (status === 401) counts.apiUnauthorized += 1;
    else counts.apiOther += 1;
  }
}

const server = createServer((request, response) => {
  const session = request.headers[SESSION_HEADER];
  if (typeof session === 'string') {
    const path = (request.url ?? '/').split('?')[0] ?? '/';
    response.once('finish', () => count(session, path, response.statusCode));
  }
  app.handle(request, response);
});

function send(message: LoadServerMessage): void {
  process.send?.(message);
}

server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  send({ kind: 'ready', url: `http://127.0.0.1:${port}` });
});

process.on('message', (message: LoadServerRequest) => {
  if (message === 'stats') {
    const eventLoopDelay = { p99Ms: delay.percentile(99) / 1e6, maxMs: delay.max / 1e6 };
    send({ kind: 'stats', stats: { server: app.stats(), eventLoopDelay, sessions: Object.fromEntries(sessions) } });
  }
  if (message === 'reset') {
    app.resetStats();
    sessions.clear();
    delay.reset();
    send({ kind: 'reset' });
  }
});

// The parent went away (done, or crashed): stop serving so that this process ends too.
process.on('disconnect', () => {
  server.close();
  server.closeAllConnections();
});
