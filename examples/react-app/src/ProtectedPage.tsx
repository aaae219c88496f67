import { useAuth, useAuthSession } from '@authmachine/react';
import { type ReactElement, useEffect, useState } from 'react';
import { useApi } from './authClientContext.js';
import { BurstPanel } from './BurstPanel.js';

/** What only a logged-in user sees: their account, loaded with the session's token. */
export function ProtectedPage(): ReactElement {
  const api = useApi();
  const session = useAuthSession();
  const { logout } = useAuth();
  const [me, setMe] = useState<{ username: string } | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    api
      .get('/api/me', { signal: controller.signal })
      .then((response) => setMe(response.data))
      .catch(() => undefined);
    return () => controller.abort();
  }, [api]);

  async function logOutEverywhere(): Promise<void> {
    const refreshToken = session.actor.getSnapshot().context.refreshToken;
    // Revoke the token family on the server, then forget the tokens here.
    await api.post('/auth/logout', { refreshToken }, { skipAuth: true }).catch(() => undefined);
    await logout();
  }

  return (
    <section>
      <p data-testid="me">{me ? `Logged in as ${me.username}` : 'Loading your account…'}</p>
      <BurstPanel />
      <button type="button" onClick={logOutEverywhere}>
        Log out
      </button>
    </section>
  );
}
