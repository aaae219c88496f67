import { createAuthSession, oauth2Refresh, oauth2Revoke } from '@authmachine/core';

// One realm of a Keycloak server; `acme-spa` is a client with "Client authentication" off (public).
const realm = 'https://sso.example.com/realms/acme';
const clientId = 'acme-spa';

export const session = createAuthSession({
  refresh: oauth2Refresh({ tokenEndpoint: `${realm}/protocol/openid-connect/token`, clientId }),
  revoke: oauth2Revoke({ revocationEndpoint: `${realm}/protocol/openid-connect/revoke`, clientId }),
  // With "Revoke Refresh Token" on, every tab must share one session: see the cross-tab guide.
  crossTab: true,
});
