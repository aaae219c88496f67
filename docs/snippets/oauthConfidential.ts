import { createAuthSession, oauth2Refresh, oauth2Revoke } from '@authmachine/core';

// A confidential client (a server, a backend-for-frontend, a CLI with a registered secret): the
// secret goes in an HTTP Basic header (RFC 6749 §2.3.1), or in the body for servers that want
// `client_secret_post`. Never ship a secret to a browser.
const client = {
  clientId: 'reporting-service',
  clientSecret: process.env.OAUTH_CLIENT_SECRET ?? '',
  clientAuthentication: 'basic',
} as const;

export const serviceSession = createAuthSession({
  refresh: oauth2Refresh({ ...client, tokenEndpoint: 'https://auth.example.com/oauth/token' }),
  revoke: oauth2Revoke({ ...client, revocationEndpoint: 'https://auth.example.com/oauth/revoke' }),
});
