import { createAuthSession, oauth2Refresh, oauth2Revoke } from '@authmachine/core';

// An Auth0 tenant (or its custom domain) and a Single Page Application's client id.
const tenant = 'https://acme.eu.auth0.com';
const clientId = 'YOUR_AUTH0_CLIENT_ID';

export const session = createAuthSession({
  refresh: oauth2Refresh({ tokenEndpoint: `${tenant}/oauth/token`, clientId }),
  revoke: oauth2Revoke({ revocationEndpoint: `${tenant}/oauth/revoke`, clientId }),
  // Refresh Token Rotation is on for SPAs: tabs share one session, so they never race a rotation.
  crossTab: true,
});
