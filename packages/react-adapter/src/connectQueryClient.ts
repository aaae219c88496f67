'use client';

import { type AuthSession, decodeJwtClaims } from '@authmachine/core';

/** The one method of TanStack Query's `QueryClient` this needs (also Vue, Solid and Svelte Query's). */
export interface QueryCacheOwner {
  clear(): void;
}

export interface ConnectQueryClientOptions {
  /**
   * Who an access token belongs to. Default: the JWT's `sub` claim; null (an opaque token) counts as
   * someone new, so every login clears.
   */
  userOf?: ((accessToken: string) => string | null) | undefined;
}

/**
 * Clears the query cache whenever the data in it may belong to someone else: on logout, when the
 * session ends, and when a login, or another tab's tokens, bring a different user. Otherwise the
 * next user of the device sees the previous user's cached data until each query refetches.
 * Returns the function that disconnects it.
 */
export function connectQueryClient(
  session: AuthSession,
  queryClient: QueryCacheOwner,
  { userOf = subjectOf }: ConnectQueryClientOptions = {},
): () => void {
  const currentUser = (): string | null => {
    const token = session.getAccessToken();
    return token === null ? null : userOf(token);
  };
  let user = currentUser();
  const clear = (): void => {
    user = null;
    queryClient.clear();
  };
  /** A login clears unless it is the same known user; `refreshed` only when the user changed. */
  const checkUser = (unknownUserIsNew: boolean): void => {
    const next = currentUser();
    if (next !== user || (next === null && unknownUserIsNew)) queryClient.clear();
    user = next;
  };
  const disconnect = [
    session.on('loggedOut', clear),
    session.on('sessionExpired', clear),
    session.on('loggedIn', () => checkUser(true)),
    // Another tab's login reaches a signed-in tab as new tokens: the user may have changed.
    session.on('refreshed', () => checkUser(false)),
  ];
  return () => {
    for (const off of disconnect) off();
  };
}

function subjectOf(accessToken: string): string | null {
  const { sub } = decodeJwtClaims(accessToken) ?? {};
  return typeof sub === 'string' ? sub : null;
}
