import { AuthError } from './errors.js';

/**
 * Checks that a JavaScript caller (no compiler to catch it) passed a session made by
 * `createAuthSession`, before an adapter relies on it: otherwise the first request fails deep
 * inside with someone else's error ("You provided 'undefined' where a stream was expected").
 */
export function checkSession(session: unknown, owner: string): void {
  const candidate = session as Record<string, unknown> | null;
  const isSession =
    typeof candidate === 'object' &&
    candidate !== null &&
    ['getSnapshot', 'tokenRejected', 'subscribe'].every((method) => typeof candidate[method] === 'function') &&
    typeof candidate.actor === 'object';
  if (!isSession) {
    throw new AuthError(
      'INVALID_OPTIONS',
      `${owner} needs the session from createAuthSession(...) as its second argument, got ${describe(session)}.`,
    );
  }
}

const warned = new Set<string>();

/**
 * Warns once per name about an option nobody reads: a typo (`refreshLeway`) in JavaScript would
 * otherwise change nothing, silently. A warning, not an error: an option of a newer version passed
 * to an older one must not break an app.
 */
export function warnUnknownOptions(options: unknown, known: readonly string[], owner: string): void {
  if (typeof options !== 'object' || options === null) return;
  for (const name of Object.keys(options)) {
    const key = `${owner}:${name}`;
    if (known.includes(name) || warned.has(key)) continue;
    warned.add(key);
    console.warn(`authmachine: ${owner} has no option "${name}" (it is ignored). Its options: ${known.join(', ')}.`);
  }
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object that is not a session' : typeof value;
}
