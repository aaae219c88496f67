import {
  type AuthSession,
  type AuthSessionOptions,
  createAuthSession,
  type RefreshContext,
  type TokenSet,
} from '@authmachine/core';
import { untilStatus } from '@authmachine/test-kit';
import { onTestFinished, vi } from 'vitest';

/**
 * A REAL session (`createAuthSession`) whose refresh function waits until the test settles each
 * call by hand: no fake session, no sleeping.
 */

export const LOGIN_TOKENS: TokenSet = { accessToken: 'access-1', refreshToken: 'refresh-1' };

export interface RefreshCall {
  readonly ctx: RefreshContext;
  resolve(tokens: TokenSet): void;
  reject(error: unknown): void;
}

export interface TestSession {
  session: AuthSession;
  refresh: ReturnType<typeof vi.fn<(ctx: RefreshContext) => Promise<TokenSet>>>;
  /** The refresh call made last; throws when there was none. */
  lastRefresh(): RefreshCall;
}

/** A real session on a refresh double, stopped when the test ends. */
export function createTestSession(options: Partial<AuthSessionOptions> = {}): TestSession {
  const calls: RefreshCall[] = [];
  const refresh = vi.fn(
    (ctx: RefreshContext) =>
      new Promise<TokenSet>((resolve, reject) => {
        calls.push({ ctx, resolve, reject });
      }),
  );
  const session = createAuthSession({ refreshLeeway: false, ...options, refresh });
  onTestFinished(() => session.stop());
  return {
    session,
    refresh,
    lastRefresh() {
      const call = calls.at(-1);
      if (call === undefined) throw new Error('The refresh function was not called.');
      return call;
    },
  };
}

/** `createTestSession`, once its restore from the (empty) storage is over: the session is anonymous. */
export async function createRestoredSession(options: Partial<AuthSessionOptions> = {}): Promise<TestSession> {
  const testSession = createTestSession(options);
  await untilStatus(testSession.session, 'anonymous');
  return testSession;
}

// Shared with the core's and axios adapter's tests.
export { untilStatus };
