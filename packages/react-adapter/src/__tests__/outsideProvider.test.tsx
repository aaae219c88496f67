import { Authenticated, useAuth, useAuthSelector, useAuthSession, useAuthState } from '@authmachine/react';
import { cleanup, render } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { quietRenderErrors, reactModes } from './support/reactTestKit.js';

afterEach(cleanup);

const hooks: [string, () => unknown][] = [
  ['useAuthSession()', useAuthSession],
  ['useAuthState()', useAuthState],
  ['useAuthSelector()', () => useAuthSelector((state) => state.status)],
  ['useAuth()', useAuth],
];

function HookCaller({ hook }: { hook: () => unknown }): null {
  hook();
  return null;
}

describe.each(reactModes)('outside <AuthProvider> (%s)', (_, Mode) => {
  it.each(hooks)('%s throws an error that says to wrap the tree in <AuthProvider>', (name, hook) => {
    quietRenderErrors();
    expect(() =>
      render(
        <Mode>
          <HookCaller hook={hook} />
        </Mode>,
      ),
    ).toThrow(
      `${name} was used outside <AuthProvider>. Wrap the component tree in <AuthProvider session={session}>, ` +
        'passing the session you created with createAuthSession().',
    );
  });

  it('<Authenticated> throws the same advice under its own name', () => {
    quietRenderErrors();
    expect(() =>
      render(
        <Mode>
          <Authenticated fallback="Please log in">Private</Authenticated>
        </Mode>,
      ),
    ).toThrow(/^<Authenticated> was used outside <AuthProvider>\. Wrap the component tree/);
  });
});
