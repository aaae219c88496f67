import { useAuthSession } from '@authmachine/react';
import { type ReactElement, useEffect, useState } from 'react';
import { useApi } from './authClientContext.js';
import { BurstPanel } from './BurstPanel.js';

/** What only a logged-in user sees: their account, loaded with the session's token. */
export function ProtectedPage(): ReactElement {
  const api = useApi();
  const session = useAuthSession(); // not useAuth(): this page need not re-render on every state
  const [me, setMe] = useState<{ username: string } | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    api
      .get<{ username: string }>('/api/me', { signal: controller.signal })
      .then(setMe)
      .catch(() => undefined);
    return () => controller.abort();
  }, [api]);

  async function logOut(): Promise<void> {
    // The session forgets the tokens here at once and revokes them on the server (its `revoke` option).
    await session.logout();
  }

  return (
    <section>
      <p data-testid="me">{me ? `Logged in as ${me.username}` : 'Loading your account…'}</p>
      <BurstPanel />
      <button type="button" onClick={logOut}>
        Log out
      </button>
    </section>
  );
}
