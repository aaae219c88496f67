import {
  type AuthSession,
  type AuthState,
  type AuthStatus,
  type ServerAuthState,
  type TokenResult,
  toServerAuthState,
} from '@authmachine/core';
import {
  Authenticated,
  type AuthenticatedProps,
  AuthProvider,
  type AuthProviderProps,
  type UseAuthResult,
  useAuth,
  useAuthSelector,
  useAuthSession,
  useAuthState,
} from '@authmachine/react';
import type { ReactElement, ReactNode } from 'react';
import { describe, expectTypeOf, it } from 'vitest';

declare const session: AuthSession;

describe('useAuthSelector', () => {
  it('infers the selected type from the selector', () => {
    expectTypeOf(useAuthSelector((state) => state.status)).toEqualTypeOf<AuthStatus>();
    expectTypeOf(useAuthSelector((state) => state.accessToken)).toEqualTypeOf<string | null>();
    expectTypeOf(useAuthSelector((state) => ({ signedIn: state.isAuthenticated }))).toEqualTypeOf<{
      signedIn: boolean;
    }>();
  });

  it('gives the selector an AuthState, and isEqual two values of the selected type', () => {
    useAuthSelector(
      (state) => {
        expectTypeOf(state).toEqualTypeOf<AuthState>();
        return state.expiresAt;
      },
      (a, b) => {
        expectTypeOf(a).toEqualTypeOf<number | null>();
        expectTypeOf(b).toEqualTypeOf<number | null>();
        return a === b;
      },
    );
  });

  it('rejects an isEqual for another type, and a selector for another state', () => {
    const sameNumber = (a: number, b: number): boolean => a === b;
    // @ts-expect-error isEqual compares what the selector returns (a status), not numbers
    useAuthSelector((state) => state.status, sameNumber);
    const selectUser = (state: { user: string }): string => state.user;
    // @ts-expect-error the selector receives an AuthState, which has no user
    useAuthSelector(selectUser);
  });
});

describe('the other hooks', () => {
  it('useAuthState returns the AuthState and useAuthSession the AuthSession', () => {
    expectTypeOf(useAuthState()).toEqualTypeOf<AuthState>();
    expectTypeOf(useAuthSession()).toEqualTypeOf<AuthSession>();
  });

  it('useAuth returns the state with the session’s login and logout', () => {
    expectTypeOf(useAuth()).toEqualTypeOf<UseAuthResult>();
    expectTypeOf(useAuth()).toExtend<AuthState>();
    expectTypeOf(useAuth().status).toEqualTypeOf<AuthStatus>();
    expectTypeOf(useAuth().login).toEqualTypeOf<AuthSession['login']>();
    expectTypeOf(useAuth().login).parameter(0).toEqualTypeOf<TokenResult | (() => Promise<TokenResult>)>();
    expectTypeOf(useAuth().logout).returns.toEqualTypeOf<Promise<void>>();
  });
});

describe('components', () => {
  it('AuthProvider needs a session; serverState and children are optional', () => {
    expectTypeOf(AuthProvider).parameter(0).toEqualTypeOf<AuthProviderProps>();
    expectTypeOf(AuthProvider).returns.toEqualTypeOf<ReactElement>();
    expectTypeOf({ session }).toExtend<AuthProviderProps>();
    expectTypeOf({
      session,
      serverState: toServerAuthState(session.getSnapshot()),
      children: 'x',
    }).toExtend<AuthProviderProps>();
    // A full AuthState carries the access token into the serialised page: it does not compile.
    expectTypeOf({ session, serverState: session.getSnapshot() }).not.toExtend<AuthProviderProps>();
    expectTypeOf<{ children: ReactNode }>().not.toExtend<AuthProviderProps>();
    expectTypeOf<{ session: AuthSession; serverState: { status: 'x' } }>().not.toExtend<AuthProviderProps>();
  });

  it('AuthProvider takes a serverState held as `ServerAuthState | undefined` as it is (exactOptionalPropertyTypes)', () => {
    expectTypeOf<AuthProviderProps['serverState']>().toEqualTypeOf<ServerAuthState | undefined>();
    // What a framework hands a page: the state the server rendered with, when there was one.
    const page: { authState?: ServerAuthState | undefined } = {};
    expectTypeOf({ session, serverState: page.authState }).toExtend<AuthProviderProps>();
    expectTypeOf(AuthProvider).toBeCallableWith({ session, serverState: page.authState, children: 'x' });
    expectTypeOf(AuthProvider).toBeCallableWith({ session, serverState: undefined });
    const fallback: ReactNode | undefined = undefined;
    expectTypeOf(Authenticated).toBeCallableWith({ fallback, children: undefined });
    // @ts-expect-error null is not a state: leave serverState out, or pass undefined
    expectTypeOf(AuthProvider).toBeCallableWith({ session, serverState: null });
  });

  it('Authenticated takes an optional fallback node and children', () => {
    expectTypeOf(Authenticated).parameter(0).toEqualTypeOf<AuthenticatedProps>();
    expectTypeOf({}).toExtend<AuthenticatedProps>();
    expectTypeOf<AuthenticatedProps['fallback']>().toEqualTypeOf<ReactNode>();
    expectTypeOf<AuthenticatedProps['children']>().toEqualTypeOf<ReactNode>();
  });
});
