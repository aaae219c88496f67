/**
 * How an OAuth client talks to its authorization server: RFC 6749 §2.3.1 client authentication and
 * a form-encoded POST, shared by the refresh and the revocation helpers. It takes a `fetch` (the
 * global one by default), so the core imports no HTTP client.
 */
export interface OAuthClientOptions {
  clientId: string;
  /** For confidential clients only: a browser app is a public client and has none. */
  clientSecret?: string | undefined;
  /** How the secret is sent: HTTP Basic (the RFC's default) or in the form body. Default `'basic'`. */
  clientAuthentication?: 'basic' | 'body' | undefined;
  /** Default the global `fetch`. */
  fetch?: typeof fetch | undefined;
}

/** The RFC 6749 §5.2 fields of an error body: the only ones an `OAuthResponseError` keeps. */
export interface OAuthErrorBody {
  error?: string | undefined;
  error_description?: string | undefined;
}

/** What a token or revocation endpoint answered other than 2xx: its status and OAuth error, no tokens. */
export class OAuthResponseError extends Error {
  override name = 'OAuthResponseError';
  readonly status: number;
  /** Only the RFC 6749 §5.2 fields of the body: `error` and `error_description`. */
  readonly body: OAuthErrorBody;

  constructor(endpoint: string, status: number, body: OAuthErrorBody) {
    super(`${endpoint} answered HTTP ${status}${body.error === undefined ? '' : ` (${body.error})`}`);
    this.status = status;
    this.body = body;
  }
}

export function checkClientOptions(
  owner: string,
  endpointName: string,
  endpoint: unknown,
  options: OAuthClientOptions,
): void {
  if (!(typeof endpoint === 'string' || endpoint instanceof URL) || !URL.canParse(String(endpoint))) {
    throw new TypeError(
      `${owner}: ${endpointName} must be an absolute URL, e.g. "https://auth.example.com/oauth/token".`,
    );
  }
  if (typeof options.clientId !== 'string' || options.clientId === '') {
    throw new TypeError(`${owner}: clientId must be a non-empty string.`);
  }
  const { clientAuthentication } = options;
  if (clientAuthentication !== undefined && clientAuthentication !== 'basic' && clientAuthentication !== 'body') {
    throw new TypeError(`${owner}: clientAuthentication must be 'basic' or 'body'.`);
  }
}

/** POSTs `fields` form-encoded with the client's authentication; the parsed JSON body of a 2xx. */
export async function postForm(
  endpoint: string | URL,
  fields: Record<string, string | undefined>,
  options: OAuthClientOptions,
  signal: AbortSignal | undefined,
): Promise<unknown> {
  const form = new URLSearchParams();
  const headers: Record<string, string> = {
    'content-type': 'application/x-www-form-urlencoded',
    accept: 'application/json',
  };
  const { clientId, clientSecret } = options;
  if (clientSecret !== undefined && (options.clientAuthentication ?? 'basic') === 'basic') {
    // RFC 6749 §2.3.1: both parts form-encoded before Basic encoding.
    const credentials = `${formEncode(clientId)}:${formEncode(clientSecret)}`;
    headers.authorization = `Basic ${btoa(String.fromCharCode(...new TextEncoder().encode(credentials)))}`;
  } else {
    form.set('client_id', clientId);
    if (clientSecret !== undefined) form.set('client_secret', clientSecret);
  }
  for (const [name, value] of Object.entries(fields)) if (value !== undefined) form.set(name, value);

  const response = await (options.fetch ?? fetch)(endpoint, {
    method: 'POST',
    headers,
    body: form,
    ...(signal === undefined ? {} : { signal }),
  });
  const body: unknown = await response.json().catch(() => undefined);
  if (!response.ok) throw new OAuthResponseError(new URL(endpoint).pathname, response.status, errorFields(body));
  return body;
}

function formEncode(value: string): string {
  return new URLSearchParams({ v: value }).toString().slice(2);
}

function errorFields(body: unknown): OAuthErrorBody {
  const fields: OAuthErrorBody = {};
  if (typeof body !== 'object' || body === null) return fields;
  const { error, error_description } = body as Record<string, unknown>;
  if (typeof error === 'string') fields.error = error;
  if (typeof error_description === 'string') fields.error_description = error_description;
  return fields;
}
