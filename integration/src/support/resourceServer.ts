import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type Provider from 'oidc-provider';

export interface ResourceServer {
  readonly origin: string;
  /** Requests answered 200: the access token was one the provider holds as valid. */
  readonly accepted: string[];
  /** Requests answered 401 `invalid_token`, with the token they carried ('' for none). */
  readonly rejected: string[];
  /** Requests to anything but `GET /api/…`: the tests expect none. */
  readonly unexpected: string[];
  reset(): void;
  close(): Promise<void>;
}

/**
 * The API the client calls. It asks the provider itself whether an access token is valid
 * (`provider.AccessToken.find`: unknown, destroyed, revoked and expired tokens are all absent), as
 * a resource server sharing the provider's token store would; a rejected token gets the RFC 6750
 * answer, 401 with `WWW-Authenticate: Bearer error="invalid_token"`.
 */
export async function startResourceServer(provider: Provider): Promise<ResourceServer> {
  const accepted: string[] = [];
  const rejected: string[] = [];
  const unexpected: string[] = [];
  const server: Server = createServer((req, res) => {
    const path = req.url ?? '';
    if (req.method !== 'GET' || !path.startsWith('/api/')) {
      unexpected.push(`${req.method} ${path}`);
      res.writeHead(404).end();
      return;
    }
    const header = req.headers.authorization ?? '';
    const value = header.startsWith('Bearer ') ? header.slice('Bearer '.length) : '';
    const lookup = value === '' ? Promise.resolve(undefined) : provider.AccessToken.find(value);
    lookup.then(
      (token) => {
        if (token === undefined) {
          rejected.push(value);
          res
            .writeHead(401, { 'www-authenticate': 'Bearer error="invalid_token"', 'content-type': 'application/json' })
            .end('{"error":"invalid_token"}');
          return;
        }
        accepted.push(value);
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ sub: token.accountId, path }));
      },
      (error: unknown) => {
        unexpected.push(`${path}: ${String(error)}`);
        res.writeHead(500).end();
      },
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    accepted,
    rejected,
    unexpected,
    reset() {
      accepted.length = 0;
      rejected.length = 0;
      unexpected.length = 0;
    },
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}
