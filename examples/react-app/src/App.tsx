import { Authenticated } from '@authmachine/react';
import type { ReactElement } from 'react';
import { ClientLabel } from './ClientLabel.js';
import { LoginForm } from './LoginForm.js';
import { ProtectedPage } from './ProtectedPage.js';
import { StatusBadge } from './StatusBadge.js';
import { TokenExpiry } from './TokenExpiry.js';

export function App({ crossTab }: { crossTab: boolean }): ReactElement {
  return (
    <main style={{ fontFamily: 'system-ui, sans-serif', maxWidth: 640, margin: '2rem auto' }}>
      <header
        style={{
          display: 'flex',
          flexWrap: 'wrap',
          gap: '0.5rem',
          justifyContent: 'space-between',
          alignItems: 'center',
        }}
      >
        <h1 style={{ fontSize: '1.4rem' }}>authmachine · React example</h1>
        <span style={{ display: 'flex', gap: '0.6rem', alignItems: 'baseline' }}>
          <ClientLabel />
          <TokenExpiry />
          <StatusBadge />
        </span>
      </header>
      {crossTab && (
        <p data-testid="cross-tab" style={{ color: '#555', fontSize: '0.9rem' }}>
          Shared with this app's other tabs (<code>crossTab</code>): open this page in another tab; a login, a refresh
          or a logout here reaches it, and the tabs never refresh at the same time.
        </p>
      )}
      {/* The page stays mounted while a refresh runs: isAuthenticated is true in `refreshing`. */}
      <Authenticated fallback={<LoginForm />}>
        <ProtectedPage />
      </Authenticated>
    </main>
  );
}
