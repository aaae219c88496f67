import type { AccessTokens } from './accessTokens.js';
import { authenticate, requireScope } from './bearerAuth.js';
import { HttpError } from './httpError.js';
import { json, type Route } from './route.js';
import type { TokenFamilies } from './tokenFamilies.js';
import type { DemoUser } from './users.js';

export interface ApiRouteDeps {
  users: readonly DemoUser[];
  tokens: AccessTokens;
  families: TokenFamilies;
}

/** Items 1..ITEM_COUNT exist, so that clients can fire many distinct requests. */
const ITEM_COUNT = 1000;

/** The protected resources: each needs a valid access token, `/api/admin` the `admin` scope too. */
export function apiRoutes({ users, tokens, families }: ApiRouteDeps): Route[] {
  return [
    {
      method: 'GET',
      path: /^\/api\/me$/,
      async handle({ raw }) {
        const claims = await authenticate(raw, tokens, families);
        const user = users.find((candidate) => candidate.username === claims.username);
        return json(200, { username: claims.username, name: user?.name ?? claims.username, scope: claims.scope });
      },
    },
    {
      method: 'GET',
      path: /^\/api\/items$/,
      async handle({ raw }) {
        await authenticate(raw, tokens, families);
        return json(200, { items: Array.from({ length: 10 }, (_, index) => item(index + 1)), total: ITEM_COUNT });
      },
    },
    {
      method: 'GET',
      path: /^\/api\/items\/([^/]+)$/,
      async handle({ raw, params }) {
        await authenticate(raw, tokens, families);
        const id = params[0] ?? '';
        if (!/^[1-9]\d{0,3}$/.test(id) || Number(id) > ITEM_COUNT) {
          throw new HttpError(
            404,
            'not_found',
            `There is no item "${id.slice(0, 20)}": ids run from 1 to ${ITEM_COUNT}.`,
          );
        }
        return json(200, item(Number(id)));
      },
    },
    {
      method: 'GET',
      path: /^\/api\/admin$/,
      async handle({ raw }) {
        const claims = await authenticate(raw, tokens, families);
        requireScope(claims, 'admin');
        return json(200, { message: `Welcome to the admin area, ${claims.username}.` });
      },
    },
  ];
}

function item(id: number): { id: number; name: string } {
  return { id, name: `Item ${id}` };
}
