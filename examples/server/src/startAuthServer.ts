import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAuthApp } from './createAuthApp.js';
import type { AuthServerOptions } from './serverOptions.js';
import type { AuthServerStats } from './serverStats.js';

export interface RunningAuthServer {
  /** `http://127.0.0.1:PORT`, no trailing slash. */
  url: string;
  host: string;
  port: number;
  /** Send as `X-Admin-Key` to `POST /admin/revoke` and `POST /stats/reset`. */
  adminKey: string;
  /** The counters `GET /stats` answers, read in-process. */
  stats(): AuthServerStats;
  resetStats(): void;
  /** Revokes every session of the user; returns how many were active. */
  revokeUser(username: string): number;
  /** Stops listening and closes open connections, keep-alive ones included. */
  close(): Promise<void>;
}

/**
 * Starts the reference auth server on loopback (a free port unless `port` is given). A new JWT
 * secret is made at each start and never logged. See the package README for the routes.
 */
export async function startAuthServer(options: AuthServerOptions = {}): Promise<RunningAuthServer> {
  const app = createAuthApp(options);
  const host = options.host ?? '127.0.0.1';
  const server = createServer((request, response) => app.handle(request, response));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    host,
    port,
    adminKey: app.adminKey,
    stats: app.stats,
    resetStats: app.resetStats,
    revokeUser: app.revokeUser,
    close() {
      closing ??= new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
