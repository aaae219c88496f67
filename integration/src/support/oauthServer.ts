import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider, { type InteractionResults, type KoaContextWithOIDC } from 'oidc-provider';

export const CLIENT_ID = 'integration-app';
const REDIRECT_URI = 'http://127.0.0.1/callback';
const ACCOUNT_ID = 'ada';
/** The provider's access-token lifetime: what its token endpoint sends as `expires_in`. */
export const ACCESS_TOKEN_TTL_S = 60;

/** One call the token endpoint handled, as the provider's `grant.success` / `grant.error` events report it. */
export interface GrantRecord {
  grantType: string;
  /** The refresh token the call presented (refresh_token grants only). */
  refreshToken: string | undefined;
  /** The RFC 6749 §5.2 error the provider answered with; undefined when it issued tokens. */
  error: string | undefined;
  /** The refresh token it issued in exchange (rotation), if any. */
  issuedRefreshToken: string | undefined;
}

/** The token endpoint's answer to an authorization_code grant (RFC 6749 §5.1). */
export interface TokenResponse {
  access_token: string;
  refresh_token: string;
  expires_in: number;
  token_type: string;
}

export interface OAuthServer {
  readonly provider: Provider;
  readonly issuer: string;
  readonly tokenEndpoint: string;
  readonly revocationEndpoint: string;
  /** Every token-endpoint call, in order. */
  readonly grants: GrantRecord[];
  /** Errors the provider hit while handling a call (`server_error`): none is expected. */
  readonly serverErrors: Error[];
  /** The refresh_token grants the provider handled (issued or refused). */
  refreshGrants(): GrantRecord[];
  /** Logs `ada` in through the authorization_code flow with PKCE; the tokens of a fresh grant. */
  login(): Promise<TokenResponse>;
  /** Stops answering: the listening socket and every open connection are closed; the port is kept. */
  goOffline(): Promise<void>;
  /** Listens again on the same port with the same provider (and so the same tokens and grants). */
  goOnline(): Promise<void>;
  close(): Promise<void>;
}

/**
 * oidc-provider on 127.0.0.1, with one public client allowed the refresh_token grant and refresh
 * tokens rotated on every use. Replaying a rotated (consumed) refresh token makes the provider
 * revoke the whole grant (its reuse detection, lib/actions/grants/refresh_token.js), which is what
 * scenario (c) relies on.
 */
export async function startOAuthServer(): Promise<OAuthServer> {
  // The issuer carries the port, so the server listens before the provider exists.
  let handle: (req: IncomingMessage, res: ServerResponse) => void = (_, res) => {
    res.writeHead(503).end();
  };
  const server = createServer((req, res) => handle(req, res));
  const port = await listen(server, 0);
  const issuer = `http://127.0.0.1:${port}`;

  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: CLIENT_ID,
        application_type: 'native',
        token_endpoint_auth_method: 'none',
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        redirect_uris: [REDIRECT_URI],
      },
    ],
    findAccount: (_, accountId) => ({ accountId, claims: () => ({ sub: accountId }) }),
    interactions: { url: (_, interaction) => `/interaction/${interaction.uid}` },
    features: {
      devInteractions: { enabled: false },
      // A client may revoke its own tokens only (the default policy, written out to silence its notice).
      revocation: { enabled: true, allowedPolicy: (_, client, token) => token.clientId === client.clientId },
    },
    rotateRefreshToken: true,
    ttl: {
      AccessToken: ACCESS_TOKEN_TTL_S,
      AuthorizationCode: 60,
      IdToken: ACCESS_TOKEN_TTL_S,
      RefreshToken: 24 * 60 * 60,
      Grant: 24 * 60 * 60,
      Session: 24 * 60 * 60,
      Interaction: 60 * 60,
    },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    jwks: { keys: [signingKey()] },
  });
  // The token-endpoint calls themselves are not trusted to a counter in the test: they are read
  // from what the provider says it did.
  const grants: GrantRecord[] = [];
  const record = (ctx: KoaContextWithOIDC, error: string | undefined): void => {
    const params = ctx.oidc.params ?? {};
    const issued = error === undefined ? (ctx.body as { refresh_token?: unknown }).refresh_token : undefined;
    grants.push({
      grantType: String(params.grant_type),
      refreshToken: typeof params.refresh_token === 'string' ? params.refresh_token : undefined,
      error,
      issuedRefreshToken: typeof issued === 'string' ? issued : undefined,
    });
  };
  provider.on('grant.success', (ctx) => record(ctx, undefined));
  provider.on('grant.error', (ctx, error) => record(ctx, error.error));
  const serverErrors: Error[] = [];
  provider.on('server_error', (_, error) => serverErrors.push(error));

  const providerCallback = provider.callback();
  handle = (req, res) => {
    if (req.url?.startsWith('/interaction/')) {
      finishInteraction(provider, req, res).catch((error: unknown) => {
        serverErrors.push(error as Error);
        res.writeHead(500).end();
      });
      return;
    }
    providerCallback(req, res);
  };

  const tokenEndpoint = `${issuer}/token`;
  return {
    provider,
    issuer,
    tokenEndpoint,
    revocationEndpoint: `${issuer}/token/revocation`,
    grants,
    serverErrors,
    refreshGrants: () => grants.filter((grant) => grant.grantType === 'refresh_token'),
    login: () => logInThroughAuthorizationCode(issuer, tokenEndpoint),
    async goOffline() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // Keep-alive connections would otherwise go on being served by the "stopped" server.
      server.closeAllConnections();
      await closed;
    },
    async goOnline() {
      await listen(server, port);
    },
    async close() {
      if (!server.listening) return;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}

/**
 * The login and consent pages of a real deployment, answered at once for `ada`: the provider's
 * interaction API decides what is missing (login first, then consent to `openid offline_access`,
 * which is what makes it issue a refresh token) and resumes the authorization request.
 */
async function finishInteraction(provider: Provider, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const { prompt, params, session } = await provider.interactionDetails(req, res);
  let result: InteractionResults;
  if (prompt.name === 'login') {
    result = { login: { accountId: ACCOUNT_ID } };
  } else {
    const grant = new provider.Grant({
      accountId: session?.accountId ?? ACCOUNT_ID,
      clientId: String(params.client_id),
    });
    grant.addOIDCScope(String(params.scope));
    result = { consent: { grantId: await grant.save() } };
  }
  await provider.interactionFinished(req, res, result, { mergeWithLastSubmission: false });
}

/**
 * The initial tokens come from a real authorization_code grant with PKCE, driven in code like a
 * browser would: follow the provider's redirects with its cookies, through the login and consent
 * interactions, to the redirect URI with the code, then exchange it at the token endpoint. Minting
 * a Grant and a RefreshToken with the provider's models would be shorter, but would skip what the
 * provider records during a real login (session, grant, scopes), which its refresh_token grant
 * then checks; this way every token in the tests is one the provider issued itself.
 */
async function logInThroughAuthorizationCode(issuer: string, tokenEndpoint: string): Promise<TokenResponse> {
  const verifier = randomBytes(32).toString('base64url');
  const authorization = new URL('/auth', issuer);
  authorization.search = new URLSearchParams({
    client_id: CLIENT_ID,
    response_type: 'code',
    redirect_uri: REDIRECT_URI,
    scope: 'openid offline_access',
    prompt: 'consent',
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
  }).toString();

  const cookies = new Map<string, string>();
  let url = authorization;
  for (let hop = 0; hop < 10; hop++) {
    const response = await fetch(url, {
      redirect: 'manual',
      headers: { cookie: [...cookies].map(([name, value]) => `${name}=${value}`).join('; ') },
    });
    for (const cookie of response.headers.getSetCookie()) {
      const [pair = ''] = cookie.split(';');
      const equals = pair.indexOf('=');
      cookies.set(pair.slice(0, equals), pair.slice(equals + 1));
    }
    await response.body?.cancel();
    const location = response.headers.get('location');
    if (location === null)
      throw new Error(`The authorization request stopped at ${url.pathname}: HTTP ${response.status}`);
    url = new URL(location, url);
    if (`${url.origin}${url.pathname}` === REDIRECT_URI) {
      const code = url.searchParams.get('code');
      if (code === null) throw new Error(`The provider redirected without a code: ${url.searchParams.get('error')}`);
      return exchangeCode(tokenEndpoint, code, verifier);
    }
  }
  throw new Error('The authorization request did not reach the redirect URI in 10 redirects');
}

async function exchangeCode(tokenEndpoint: string, code: string, verifier: string): Promise<TokenResponse> {
  const response = await fetch(tokenEndpoint, {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT_URI,
      client_id: CLIENT_ID,
      code_verifier: verifier,
    }),
  });
  const body = (await response.json()) as TokenResponse;
  if (!response.ok || typeof body.refresh_token !== 'string') {
    throw new Error(`The code exchange answered HTTP ${response.status} without a refresh token`);
  }
  return body;
}

function signingKey(): Record<string, unknown> & { kty: string } {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { ...(privateKey.export({ format: 'jwk' }) as { kty: string }), use: 'sig', alg: 'RS256', kid: 'integration' };
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}
