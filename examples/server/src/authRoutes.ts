import type { IncomingHttpHeaders } from 'node:http';
import type { AccessTokens } from './accessTokens.js';
import { authenticate, bearerTokenOf } from './bearerAuth.js';
import { stillConnectedAfter } from './clientConnection.js';
import { badRequest, HttpError } from './httpError.js';
import { requireString } from './readJsonBody.js';
import {
  checkRefreshFault,
  dropConnection,
  faultError,
  type RefreshFaultHook,
  untilDisconnected,
} from './refreshFault.js';
import { json, type Reply, type Route } from './route.js';
import type { AuthServerStats } from './serverStats.js';
import type { TokenFamilies } from './tokenFamilies.js';
import { checkCredentials, type DemoUser } from './users.js';

export interface AuthRouteDeps {
  users: readonly DemoUser[];
  accessTtl: number;
  /** Ms each refresh waits before it rotates anything. */
  refreshDelay: number;
  /** Injects a failure into chosen refreshes (tests only). */
  refreshFault: RefreshFaultHook | undefined;
  tokens: AccessTokens;
  families: TokenFamilies;
  stats: AuthServerStats;
}

/** What login and refresh answer: the fields `TokenSet` reads, as OAuth token endpoints name them in camelCase. */
export interface TokenResponse {
  accessToken: string;
  refreshToken: string;
  /** Seconds; may be fractional when the server runs with a fractional `accessTtl`. */
  expiresIn: number;
  tokenType: 'Bearer';
  scope: string;
}

/** `POST /auth/login`, `/auth/refresh`, `/auth/logout`. */
export function authRoutes({
  users,
  accessTtl,
  refreshDelay,
  refreshFault,
  tokens,
  families,
  stats,
}: AuthRouteDeps): Route[] {
  // Not a stat: a stats reset must not make a hook that counts refreshes fire twice.
  let refreshCount = 0;

  async function tokenReply(username: string, scope: string[], familyId: string, refreshToken: string): Promise<Reply> {
    const { token } = await tokens.sign({ username, scope, familyId });
    const body: TokenResponse = {
      accessToken: token,
      refreshToken,
      expiresIn: accessTtl,
      tokenType: 'Bearer',
      scope: scope.join(' '),
    };
    // RFC 6749 §5.1: token responses must not be cached.
    return json(200, body, { 'Cache-Control': 'no-store' });
  }

  return [
    {
      method: 'POST',
      path: /^\/auth\/login$/,
      async handle(request) {
        const body = await request.body();
        const username = requireString(body, 'username', 100);
        const password = requireString(body, 'password', 200);
        const user = checkCredentials(users, username, password);
        if (!user) {
          stats.loginFailures += 1;
          throw new HttpError(401, 'invalid_credentials', 'Unknown username or wrong password.', {
            'WWW-Authenticate': 'Bearer realm="authmachine-example"',
          });
        }
        const { familyId, refreshToken } = families.start(user.username, user.scope);
        stats.logins += 1;
        return tokenReply(user.username, user.scope, familyId, refreshToken);
      },
    },
    {
      method: 'POST',
      path: /^\/auth\/refresh$/,
      async handle(request) {
        const refreshToken = requireString(await request.body(), 'refreshToken', 200);
        stats.refreshRequests += 1;
        refreshCount += 1;
        const fault = refreshFault && checkRefreshFault(refreshFault({ refreshToken, count: refreshCount }));
        if (fault) stats.refreshFaults += 1;
        if (refreshDelay > 0 && !(await stillConnectedAfter(request.raw, refreshDelay))) {
          // Nothing rotated: the client's refresh token stays valid for whoever holds it.
          stats.refreshesAbandoned += 1;
          return CLIENT_CLOSED_REQUEST;
        }
        // Faults before the rotation: the refresh token stays valid.
        if (fault?.type === 'status' || fault?.type === 'invalidGrant') throw faultError(fault);
        if (fault?.type === 'drop') {
          dropConnection(request.raw);
          return CLIENT_CLOSED_REQUEST;
        }
        if (fault?.type === 'hang') {
          await untilDisconnected(request.raw);
          return CLIENT_CLOSED_REQUEST;
        }
        const outcome = families.rotate(refreshToken);
        if (outcome.ok) stats.refreshes += 1;
        else {
          stats.refreshFailures += 1;
          if (outcome.reused) stats.reuseDetections += 1;
        }
        // Faults after the rotation: the server has committed its answer, the client does not learn it (in time).
        if (fault?.type === 'dropAfterRotation') {
          dropConnection(request.raw);
          return CLIENT_CLOSED_REQUEST;
        }
        if (fault?.type === 'delayAfterRotation' && !(await stillConnectedAfter(request.raw, fault.ms))) {
          return CLIENT_CLOSED_REQUEST;
        }
        if (!outcome.ok) throw outcome.error;
        const { id, username, scope } = outcome.family;
        return tokenReply(username, scope, id, outcome.refreshToken);
      },
    },
    {
      method: 'POST',
      path: /^\/auth\/logout$/,
      async handle(request) {
        // Either the refresh token in the body, or the access token in the Authorization header.
        let familyId: string | null;
        if (hasRequestBody(request.raw.headers)) {
          familyId = families.familyOf(requireString(await request.body(), 'refreshToken', 200));
        } else if (bearerTokenOf(request.raw) !== null) {
          familyId = (await authenticate(request.raw, tokens, families)).familyId;
        } else {
          throw badRequest('Send {"refreshToken": "..."} or an Authorization: Bearer header to log out.');
        }
        // An unknown token is answered like a known one (RFC 7009 §2.2): logging out twice is fine.
        if (familyId !== null && families.revoke(familyId)) stats.logouts += 1;
        return json(204);
      },
    },
  ];
}

/** nginx's 499: the client went away before the answer. Nobody reads it; it only ends the exchange. */
const CLIENT_CLOSED_REQUEST: Reply = json(499, { error: 'client_closed_request' });

function hasRequestBody(headers: IncomingHttpHeaders): boolean {
  const length = headers['content-length'];
  return headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}
