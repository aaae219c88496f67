import type { RevokeContext } from '../types.js';
import { checkClientOptions, type OAuthClientOptions, postForm } from './oauthClient.js';

export interface OAuth2RevokeOptions extends OAuthClientOptions {
  /** The revocation endpoint (RFC 7009), e.g. Keycloak's `…/protocol/openid-connect/revoke`. */
  revocationEndpoint: string | URL;
}

/**
 * A `revoke` function for a standard revocation endpoint (RFC 7009): revokes the refresh token (which
 * ends the grant, and with it the access tokens on servers that tie them), else the access token.
 */
export function oauth2Revoke(options: OAuth2RevokeOptions): (ctx: RevokeContext) => Promise<void> {
  checkClientOptions('oauth2Revoke', 'revocationEndpoint', options?.revocationEndpoint, options);
  return async ({ refreshToken, accessToken, signal }) => {
    const token = refreshToken ?? accessToken;
    if (token === null) return;
    await postForm(
      options.revocationEndpoint,
      { token, token_type_hint: refreshToken === null ? 'access_token' : 'refresh_token' },
      options,
      signal,
    );
  };
}
