import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { staticFiles } from '@authmachine/example-server';

export interface AppServer {
  /** `http://127.0.0.1:PORT`: another origin than the auth server's, so the app's calls use CORS. */
  origin: string;
  close(): Promise<void>;
}

/** Serves a built app from its own free loopback port, as a static host would in production. */
export async function serveApp(folder: string): Promise<AppServer> {
  const server = createServer(staticFiles(folder));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
