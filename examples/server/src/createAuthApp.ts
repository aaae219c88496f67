import type { IncomingMessage, ServerResponse } from 'node:http';
import { type AccessTokens, createAccessTokens } from './accessTokens.js';
import { adminRoutes } from './adminRoutes.js';
import { apiRoutes } from './apiRoutes.js';
import { authRoutes } from './authRoutes.js';
import { applyCors, isPreflight, PREFLIGHT_HEADERS } from './cors.js';
import { HttpError } from './httpError.js';
import { readJsonBody, requireObject } from './readJsonBody.js';
import type { Reply, Route } from './route.js';
import { type AuthServerOptions, resolveOptions } from './serverOptions.js';
import { type AuthServerStats, emptyStats } from './serverStats.js';
import { TokenFamilies } from './tokenFamilies.js';

export interface AuthApp {
  /** Guards `POST /admin/revoke` and `POST /stats/reset` (header `X-Admin-Key`). */
  readonly adminKey: string;
  /**
   * A Node request listener, also usable as connect middleware (a Vite dev server's
   * `server.middlewares.use(app.handle)`): requests no route matches go to `next`, else to the
   * `fallback` option, else get a 404.
   */
  handle(request: IncomingMessage, response: ServerResponse, next?: () => void): void;
  /** A copy of the counters. */
  stats(): AuthServerStats;
  resetStats(): void;
  /** Revokes every session of the user, as `POST /admin/revoke` does; returns how many were active. */
  revokeUser(username: string): number;
}

/** The auth server's routes and state, without a listening socket (see `startAuthServer`). */
export function createAuthApp(options: AuthServerOptions = {}): AuthApp {
  const config = resolveOptions(options);
  const { now, users, accessTtl, refreshTtl, refreshDelay, refreshFault, allowedOrigins, maxBodyBytes, adminKey } =
    config;
  // Routes hold this object: a reset zeroes it in place.
  const stats = emptyStats();
  const tokens = countingExpiries(createAccessTokens({ ttlSeconds: accessTtl, now }), stats);
  const families = new TokenFamilies(refreshTtl * 1000, accessTtl * 1000, now);
  const revokeUser = (username: string): number => {
    const revoked = families.revokeUser(username);
    stats.adminRevocations += revoked;
    return revoked;
  };

  const routes: Route[] = [
    ...authRoutes({ users, accessTtl, refreshDelay, refreshFault, tokens, families, stats }),
    ...apiRoutes({ users, tokens, families }),
    ...adminRoutes({ adminKey, stats: () => ({ ...stats }), resetStats, revokeUser }),
  ];

  function resetStats(): void {
    Object.assign(stats, emptyStats());
    tokens.forgetExpiries();
  }

  /** `apiPath`: an `/api/...` request that is not a CORS preflight, the ones the API counters count. */
  function send(response: ServerResponse, apiPath: boolean, reply: Reply): void {
    if (reply.status === 401) stats.unauthorized += 1;
    if (reply.status === 403) stats.forbidden += 1;
    if (apiPath && reply.status >= 200 && reply.status < 300) stats.apiSucceeded += 1;
    const headers: Record<string, string> = { 'Cache-Control': 'no-store', ...reply.headers };
    if (reply.body === undefined) {
      response.writeHead(reply.status, headers).end();
      return;
    }
    headers['Content-Type'] = 'application/json; charset=utf-8';
    response.writeHead(reply.status, headers).end(JSON.stringify(reply.body));
  }

  async function serve(request: IncomingMessage, response: ServerResponse, next: (() => void) | undefined) {
    const path = (request.url ?? '/').split('?')[0] ?? '/';
    if (path !== '/stats' && path !== '/stats/reset') stats.requests += 1;
    // A browser's preflight before a cross-origin call is not an API call of the app.
    const apiPath = path.startsWith('/api/') && !isPreflight(request);
    if (apiPath) stats.apiRequests += 1;
    const originAllowed = applyCors(request, response, allowedOrigins);
    let reply: Reply | null;
    try {
      reply = await route(request, path, originAllowed, next);
    } catch (error) {
      if (!(error instanceof HttpError)) throw error;
      reply = errorReply(error);
    }
    if (reply !== null) send(response, apiPath, reply);
  }

  // The reply, or null when `next` took the request over.
  async function route(
    request: IncomingMessage,
    path: string,
    originAllowed: boolean,
    next: (() => void) | undefined,
  ): Promise<Reply | null> {
    if (isPreflight(request)) {
      if (originAllowed) return { status: 204, headers: PREFLIGHT_HEADERS };
      throw new HttpError(403, 'origin_not_allowed', 'This origin may not call the server: add it to allowedOrigins.');
    }
    const onPath = routes.filter((candidate) => candidate.path.test(path));
    if (onPath.length === 0) {
      if (!next) throw new HttpError(404, 'not_found', `There is no route ${path.slice(0, 100)}.`);
      next();
      return null;
    }
    const allow = [...new Set(onPath.map((candidate) => candidate.method)), 'OPTIONS'].join(', ');
    const matched = onPath.find((candidate) => candidate.method === request.method);
    if (!matched) {
      if (request.method === 'OPTIONS') return { status: 204, headers: { Allow: allow } };
      throw new HttpError(405, 'method_not_allowed', `Use ${allow} on ${path}.`, { Allow: allow });
    }
    return matched.handle({
      raw: request,
      params: matched.path.exec(path)?.slice(1) ?? [],
      body: async () => requireObject(await readJsonBody(request, maxBodyBytes)),
    });
  }

  return {
    adminKey,
    handle(request, response, next = fallbackOf(config.fallback, request, response)) {
      serve(request, response, next).catch((error: unknown) => {
        // A bug of ours: answer 500 and keep serving. Only the error's name and message are logged.
        const { name, message } = error instanceof Error ? error : new Error(String(error));
        console.error(`auth server: ${request.method} ${request.url} failed: ${name}: ${message}`);
        if (response.headersSent) {
          response.destroy();
          return;
        }
        send(response, false, errorReply(new HttpError(500, 'server_error', 'The server failed.')));
      });
    },
    stats: () => ({ ...stats }),
    resetStats,
    revokeUser,
  };
}

/** Counts each expired token once in `stats.expiredTokens`, however many requests carried it. */
function countingExpiries(tokens: AccessTokens, stats: AuthServerStats): AccessTokens & { forgetExpiries(): void } {
  const seen = new Set<string>();
  return {
    sign: tokens.sign,
    async verify(token) {
      const verdict = await tokens.verify(token);
      if (!verdict.ok && verdict.expiredTokenId !== undefined && !seen.has(verdict.expiredTokenId)) {
        seen.add(verdict.expiredTokenId);
        stats.expiredTokens += 1;
      }
      return verdict;
    },
    forgetExpiries: () => seen.clear(),
  };
}

function errorReply(error: HttpError): Reply {
  return { status: error.status, body: { error: error.error, message: error.message }, headers: error.headers };
}

function fallbackOf(
  fallback: AuthServerOptions['fallback'],
  request: IncomingMessage,
  response: ServerResponse,
): (() => void) | undefined {
  if (!fallback) return undefined;
  return () => {
    Promise.resolve(fallback(request, response)).catch(() => {
      if (!response.headersSent) response.writeHead(500).end();
    });
  };
}
