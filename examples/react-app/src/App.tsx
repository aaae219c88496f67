import { Authenticated } from '@authmachine/react';
import type { ReactElement } from 'react';
import { LoginForm } from './LoginForm.js';
import { ProtectedPage } from './ProtectedPage.js';
import { StatusBadge } from './StatusBadge.js';
import { TokenExpiry } from './TokenExpiry.js';

export function App(): ReactElement {
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
          <TokenExpiry />
          <StatusBadge />
        </span>
      </header>
      {/* The page stays mounted while a refresh runs: isAuthenticated is true in `refreshing`. */}
      <Authenticated fallback={<LoginForm />}>
        <ProtectedPage />
      </Authenticated>
    </main>
  );
}
