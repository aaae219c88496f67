import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ForeignOrigin {
  /** `http://127.0.0.1:PORT`: another origin than the auth server's, never in `allowedOrigins`. */
  url: string;
  close(): Promise<void>;
}

/**
 * A second loopback server, standing for a third-party API the app also calls: it answers 200 to
 * everything and notes the Authorization header each request carried. The session's token must
 * never reach it.
 */
export async function startForeignOrigin(received: (string | undefined)[]): Promise<ForeignOrigin> {
  const server = createServer((request, response) => {
    received.push(request.headers.authorization);
    response.writeHead(200, { 'Content-Type': 'application/json' }).end('{"ok":true}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
