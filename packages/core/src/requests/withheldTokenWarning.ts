import type { OriginPolicy } from './originPolicy.js';

declare const process: { env: Record<string, string | undefined> };

/** Per allow-list (one per `attachAuth` / `createAuthFetch`), the origins already warned about. */
const warnedByPolicy = new WeakMap<OriginPolicy, Set<string>>();

/**
 * A request that got no token because its origin is not allowed, answered with a 401 while the user
 * is logged in: most often a mismatch such as `localhost` against `127.0.0.1`, where nothing else
 * would say why every call fails. Warns once per origin and allow-list, in development only.
 */
export function warnTokenWithheld(owner: string, requestUrl: string, policy: OriginPolicy): void {
  if (isProduction()) return;
  let origin: string;
  try {
    origin = new URL(requestUrl, (globalThis as { location?: { href?: string } }).location?.href).origin;
  } catch {
    return;
  }
  const warned = warnedByPolicy.get(policy) ?? new Set<string>();
  warnedByPolicy.set(policy, warned);
  if (warned.has(origin)) return;
  warned.add(origin);
  const allowed = policy.origins.map((entry) => `"${entry}"`);
  console.warn(
    `authmachine: ${origin} answered 401 to a request that carried no token: ${origin} is not among the origins allowed to receive it (${allowed.join(', ')}). ` +
      `If this API should get the token, allow it: ${owner}(…, { allowedOrigins: [${[...allowed, `"${origin}"`].join(', ')}] }).`,
  );
}

/** `process.env.NODE_ENV` as bundlers replace it; a browser without a bundler has no `process`. */
function isProduction(): boolean {
  try {
    return process.env.NODE_ENV === 'production';
  } catch {
    return false;
  }
}
