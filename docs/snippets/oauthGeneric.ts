import { createAuthSession, type OAuthTokenResponse, oauth2Refresh, oauth2Revoke } from '@authmachine/core';

// Any RFC 6749 authorization server: its token endpoint, its RFC 7009 revocation endpoint and the
// id of your client. A browser app is a public client: no secret, the id goes in the form body.
const clientId = 'my-spa';

export const session = createAuthSession({
  refresh: oauth2Refresh({ tokenEndpoint: 'https://auth.example.com/oauth/token', clientId }),
  revoke: oauth2Revoke({ revocationEndpoint: 'https://auth.example.com/oauth/revoke', clientId }),
});

// Your OAuth library (or your redirect page) does the login (authorization code with PKCE); the
// token endpoint's answer (RFC 6749 §5.1) goes to the session as it came, no renaming.
export async function startSession(tokens: OAuthTokenResponse): Promise<void> {
  await session.login(tokens);
}
