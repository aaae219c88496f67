import { Authenticated, AuthProvider, useAuth, useAuthSelector } from '@authmachine/react';
import type { ReactElement } from 'react';
import { logIn } from './attachAxios.js';
import { session } from './createSession.js';

function StatusBadge(): ReactElement {
  // Re-renders only when the status changes, not on every token refresh.
  const status = useAuthSelector((state) => state.status);
  return <span>{status}</span>;
}

function Account(): ReactElement {
  const { logout } = useAuth();
  return (
    <button type="button" onClick={() => logout()}>
      Log out
    </button>
  );
}

function LoginButton(): ReactElement {
  return (
    <button type="button" onClick={() => logIn('ada', 'lovelace')}>
      Log in
    </button>
  );
}

export function App(): ReactElement {
  return (
    <AuthProvider session={session}>
      <StatusBadge />
      {/* Stays mounted while a refresh runs: isAuthenticated is true in `refreshing`. */}
      <Authenticated fallback={<LoginButton />}>
        <Account />
      </Authenticated>
    </AuthProvider>
  );
}
