import type { OAuthTokenResponse, RefreshContext } from '../types.js';
import { checkClientOptions, type OAuthClientOptions, postForm } from './oauthClient.js';

export interface OAuth2RefreshOptions extends OAuthClientOptions {
  /** The token endpoint, e.g. Keycloak's `…/realms/<realm>/protocol/openid-connect/token`. */
  tokenEndpoint: string | URL;
  /** Asks for a narrower scope than the grant's (RFC 6749 §6); default: the grant's. */
  scope?: string | undefined;
}

/**
 * A `refresh` function for a standard token endpoint (RFC 6749 §6): `grant_type=refresh_token`,
 * form-encoded, with the client's id (and secret, for a confidential client). It returns the
 * server's body as it is, which the session reads; a non-2xx answer throws an `OAuthResponseError`
 * with its status and OAuth error, which the default `isSessionEnded` classifies.
 */
export function oauth2Refresh(options: OAuth2RefreshOptions): (ctx: RefreshContext) => Promise<OAuthTokenResponse> {
  checkClientOptions('oauth2Refresh', 'tokenEndpoint', options?.tokenEndpoint, options);
  return async ({ refreshToken, signal }) =>
    (await postForm(
      options.tokenEndpoint,
      { grant_type: 'refresh_token', refresh_token: refreshToken, scope: options.scope },
      options,
      signal,
    )) as OAuthTokenResponse;
}
