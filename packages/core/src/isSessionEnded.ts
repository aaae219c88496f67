import { readServerAnswer } from './serverAnswer.js';

/**
 * RFC 6749 §5.2 codes that no retry with this refresh token can change: the grant is gone
 * (`invalid_grant`), or this client may not refresh at all (`invalid_client`, `unauthorized_client`,
 * `unsupported_grant_type`, `invalid_scope`). Only a new login helps; the message says which.
 */
const SESSION_ENDING_ERRORS = new Set([
  'invalid_grant',
  'invalid_client',
  'unauthorized_client',
  'unsupported_grant_type',
  'invalid_scope',
]);

/**
 * `invalid_request`: the refresh call itself was malformed (a missing parameter, a body the server
 * could not parse). That says nothing of the refresh token, which the server did not consume: the
 * tokens are kept, so that a fixed deploy or the next attempt goes on with the same session.
 */
const TRANSIENT_ERRORS = new Set(['invalid_request', 'temporarily_unavailable', 'server_error']);

/** HTTP statuses that end the session when the body names no OAuth error (custom token endpoints). */
const SESSION_ENDING_STATUSES = new Set([400, 401, 403]);

/**
 * The default answer to "did this refresh error end the session?". An OAuth error code decides
 * first; without one, HTTP 400/401/403 end the session (what most hand-written token endpoints send
 * for a rejected refresh token). Network errors, 5xx and timeouts are transient and keep it.
 */
export function isSessionEndedByDefault(error: unknown): boolean {
  const answer = readServerAnswer(error);
  if (answer.error !== undefined && SESSION_ENDING_ERRORS.has(answer.error)) return true;
  if (answer.error !== undefined && TRANSIENT_ERRORS.has(answer.error)) return false;
  return answer.status !== undefined && SESSION_ENDING_STATUSES.has(answer.status);
}
