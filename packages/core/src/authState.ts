import type { SnapshotFrom } from 'xstate';
import type { authMachine } from './authMachine.js';
import type { AuthState, AuthStatus, ServerAuthState } from './types.js';

export type AuthSnapshot = SnapshotFrom<typeof authMachine>;

/** The top-level state: `authenticated.refreshScheduled` is `authenticated` to users. */
export function statusOf(snapshot: AuthSnapshot): AuthStatus {
  const { value } = snapshot;
  return (typeof value === 'string' ? value : Object.keys(value)[0]) as AuthStatus;
}

/**
 * What users see of a machine snapshot. Exported for adapters that observe `session.actor` directly
 * (the axios adapter's queue is an RxJS stream over it) and need the same view as `getSnapshot()`.
 */
export function toAuthState(snapshot: AuthSnapshot): AuthState {
  const status = statusOf(snapshot);
  const { context } = snapshot;
  return {
    status,
    isAuthenticated: status === 'authenticated' || status === 'refreshing',
    accessToken: context.accessToken,
    expiresAt: context.expiresAt,
    error: context.error ?? null,
  };
}

/** Whether two states look the same to users: then the old object is kept, so React does not re-render. */
export function isSameAuthState(a: AuthState, b: AuthState): boolean {
  return a.status === b.status && a.accessToken === b.accessToken && a.expiresAt === b.expiresAt && a.error === b.error;
}

/**
 * The part of a state that may travel in a server-rendered page: no access token (props and state
 * sent with the HTML are serialised into it, where any script or cache can read them) and no error
 * object (not serialisable, and it may name the failed call).
 */
export function toServerAuthState(state: AuthState): ServerAuthState {
  return { status: state.status, isAuthenticated: state.isAuthenticated, expiresAt: state.expiresAt };
}
