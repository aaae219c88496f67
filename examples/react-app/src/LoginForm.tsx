import type { TokenSet } from '@authmachine/core';
import { useAuth } from '@authmachine/react';
import { type FormEvent, type ReactElement, useState } from 'react';
import { useApi } from './authClientContext.js';

/** Shown while nobody is logged in, and after the session ended. */
export function LoginForm(): ReactElement {
  const { status, login } = useAuth();
  const api = useApi();
  const [error, setError] = useState<string | null>(null);

  async function submit(event: FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setError(null);
    try {
      const body = { username: form.get('username'), password: form.get('password') };
      // skipAuth: the login call carries no old token and its 401 means bad credentials, not a refresh.
      await login(await api.post<TokenSet>('/auth/login', body, { skipAuth: true }));
    } catch {
      setError('Wrong username or password.');
    }
  }

  if (status === 'restoring') return <p data-testid="restoring">Restoring your session…</p>;
  return (
    <form onSubmit={submit} style={{ display: 'grid', gap: '0.5rem', maxWidth: 280 }}>
      {status === 'expired' && (
        <p data-testid="expired" role="alert" style={{ color: '#c62828' }}>
          Your session expired, please log in again.
        </p>
      )}
      <input name="username" autoComplete="username" placeholder="username" defaultValue="ada" aria-label="username" />
      <input
        name="password"
        type="password"
        autoComplete="current-password"
        placeholder="password"
        aria-label="password"
      />
      <button type="submit">Log in</button>
      {error && (
        <p role="alert" data-testid="login-error">
          {error}
        </p>
      )}
    </form>
  );
}
