/**
 * What a token endpoint answered, read from whatever a refresh function threw: the shapes of
 * axios (`response.status`, `response.data`), fetch wrappers (`status`, `data` / `body`), got
 * (`statusCode`) and ky (`response.status`). Used to decide whether the session ended and to say why
 * in the error messages.
 */
export interface ServerAnswer {
  status: number | undefined;
  /** The OAuth `error` code of an RFC 6749 §5.2 body. */
  error: string | undefined;
  /** Its `error_description`, trimmed and with anything that looks like a token masked. */
  description: string | undefined;
}

export function readServerAnswer(thrown: unknown): ServerAnswer {
  const answer: ServerAnswer = { status: undefined, error: undefined, description: undefined };
  if (typeof thrown !== 'object' || thrown === null) return answer;
  const statuses = [
    property(thrown, 'status'),
    property(thrown, 'statusCode'),
    property(property(thrown, 'response'), 'status'),
  ];
  answer.status = statuses.find((value): value is number => typeof value === 'number');
  const bodies = [property(property(thrown, 'response'), 'data'), property(thrown, 'data'), property(thrown, 'body')];
  const body = bodies.find((candidate) => typeof property(candidate, 'error') === 'string');
  if (body !== undefined) {
    answer.error = safeText(property(body, 'error') as string, 60);
    const description = property(body, 'error_description');
    if (typeof description === 'string') answer.description = safeText(description, 200);
  }
  return answer;
}

/** "HTTP 400, invalid_grant: Token is not active", or null when nothing was read. */
export function describeServerAnswer(answer: ServerAnswer): string | null {
  const parts: string[] = [];
  if (answer.status !== undefined) parts.push(`HTTP ${answer.status}`);
  if (answer.error !== undefined) {
    parts.push(answer.description === undefined ? answer.error : `${answer.error}: ${answer.description}`);
  }
  return parts.length === 0 ? null : parts.join(', ');
}

// A server that echoes a token (or a JWT) in its description must not put it into our messages,
// which end up in logs. A run of token characters with a digit from 20 on, or of any from 40 on, is
// no word of a sentence (an OAuth-style name like `refresh_token_reuse_detected` stays readable).
const TOKEN_CHARACTERS = /[A-Za-z0-9\-_.~+/=]{20,}/g;
const looksLikeToken = (run: string): boolean => run.length >= 40 || /\d/.test(run);
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it removes.
const CONTROL = /[\u0000-\u001f\u007f]+/g;

function safeText(text: string, maxLength: number): string {
  const cleaned = text
    .replace(CONTROL, ' ')
    .replace(TOKEN_CHARACTERS, (run) => (looksLikeToken(run) ? '…' : run))
    .trim();
  return cleaned.length > maxLength ? `${cleaned.slice(0, maxLength)}…` : cleaned;
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
