import { createAuthSession, oauth2Refresh, oauth2Revoke } from '@authmachine/core';

// Any RFC 6749 authorization server: its token endpoint, its RFC 7009 revocation endpoint and the
// id of your client. A browser app is a public client: no secret, the id goes in the form body.
const clientId = 'my-spa';

export const session = createAuthSession({
  refresh: oauth2Refresh({ tokenEndpoint: 'https://auth.example.com/oauth/token', clientId }),
  revoke: oauth2Revoke({ revocationEndpoint: 'https://auth.example.com/oauth/revoke', clientId }),
});

/** The token endpoint's answer to your login (authorization code with PKCE), RFC 6749 §5.1. */
export interface TokenResponse {
  access_token: string;
  refresh_token?: string;
  expires_in?: number;
}

// Your OAuth library (or your redirect page) does the login; the session takes over from there.
export async function startSession(tokens: TokenResponse): Promise<void> {
  await session.login({
    accessToken: tokens.access_token,
    refreshToken: tokens.refresh_token,
    expiresIn: tokens.expires_in,
  });
}
