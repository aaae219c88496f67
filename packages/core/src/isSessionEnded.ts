const SESSION_ENDING_STATUSES = new Set([400, 401, 403]);

/**
 * The default answer to "did this refresh error end the session?": the token endpoint said no
 * (HTTP 400/401/403, or an OAuth `invalid_grant` body). Network errors, 5xx and timeouts are
 * transient and keep the session. Reads the shapes that axios, fetch wrappers and ky throw.
 */
export function isSessionEndedByDefault(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const status = readStatus(error);
  if (status !== undefined && SESSION_ENDING_STATUSES.has(status)) return true;
  return readOAuthError(error) === 'invalid_grant';
}

function readStatus(error: object): number | undefined {
  const candidates = [
    property(error, 'status'),
    property(error, 'statusCode'),
    property(property(error, 'response'), 'status'),
  ];
  return candidates.find((value): value is number => typeof value === 'number');
}

function readOAuthError(error: object): unknown {
  const bodies = [property(property(error, 'response'), 'data'), property(error, 'data'), property(error, 'body')];
  for (const body of bodies) {
    const code = property(body, 'error');
    if (typeof code === 'string') return code;
  }
  return undefined;
}

function property(value: unknown, key: string): unknown {
  if (typeof value !== 'object' || value === null) return undefined;
  try {
    return (value as Record<string, unknown>)[key];
  } catch {
    // A getter that throws (a consumed fetch Response, a revoked Proxy) tells us nothing.
    return undefined;
  }
}
