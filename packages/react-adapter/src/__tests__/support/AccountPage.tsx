import { Authenticated, useAuth, useAuthSelector, useAuthSession, useAuthState } from '@authmachine/react';
import type { ReactElement } from 'react';

/** A page that uses every hook and `<Authenticated>`: what server rendering and hydration render. */
export function AccountPage(): ReactElement {
  const session = useAuthSession();
  const { status } = useAuthState();
  const token = useAuthSelector((state) => state.accessToken);
  const { isAuthenticated, logout } = useAuth();
  return (
    <main>
      <p>status: {status}</p>
      <p>token: {token ?? 'none'}</p>
      <p>{isAuthenticated ? 'signed in' : 'signed out'}</p>
      <Authenticated fallback={<p>Please log in</p>}>
        <p>Welcome back</p>
        <button type="button" onClick={() => void logout()}>
          Log out
        </button>
        <button type="button" onClick={() => void session.refresh()}>
          Refresh now
        </button>
      </Authenticated>
    </main>
  );
}
