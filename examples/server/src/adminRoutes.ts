import { HttpError } from './httpError.js';
import { requireString } from './readJsonBody.js';
import { json, type Route, type RouteRequest } from './route.js';
import type { AuthServerStats } from './serverStats.js';
import { sameSecret } from './users.js';

export interface AdminRouteDeps {
  adminKey: string;
  stats: () => AuthServerStats;
  resetStats: () => void;
  revokeUser: (username: string) => number;
}

/** Test and operator routes: the counters, and revoking a user's sessions (admin key required). */
export function adminRoutes({ adminKey, stats, resetStats, revokeUser }: AdminRouteDeps): Route[] {
  const requireAdminKey = ({ raw }: RouteRequest): void => {
    const given = raw.headers['x-admin-key'];
    if (typeof given !== 'string' || !sameSecret(adminKey, given)) {
      throw new HttpError(403, 'forbidden', "This route needs the X-Admin-Key header set to the server's admin key.");
    }
  };
  return [
    {
      method: 'POST',
      path: /^\/admin\/revoke$/,
      async handle(request) {
        requireAdminKey(request);
        const username = requireString(await request.body(), 'username', 100);
        return json(200, { username, revoked: revokeUser(username) });
      },
    },
    { method: 'GET', path: /^\/stats$/, handle: () => json(200, stats()) },
    {
      method: 'POST',
      path: /^\/stats\/reset$/,
      handle(request) {
        requireAdminKey(request);
        resetStats();
        return json(204);
      },
    },
    { method: 'GET', path: /^\/health$/, handle: () => json(200, { ok: true }) },
  ];
}
