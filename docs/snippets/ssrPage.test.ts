import { describe, expect, it } from 'vitest';
import { renderAccountPage } from './ssrPage.js';

const ACCESS_TOKEN = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhZGEifQ.c2lnbmF0dXJl';

describe('the server-rendering snippet', () => {
  it('renders a signed-in page whose HTML and serialised props carry no token', async () => {
    const { html, props } = await renderAccountPage({ cookies: new Map([['access_token', ACCESS_TOKEN]]) });
    expect(html).toContain('status: <!-- -->authenticated');
    expect(html).toContain('Welcome back');
    expect(JSON.parse(props)).toEqual({
      serverState: { status: 'authenticated', isAuthenticated: true, expiresAt: null },
    });
    for (const part of ACCESS_TOKEN.split('.')) {
      expect(html).not.toContain(part);
      expect(props).not.toContain(part);
    }
  });

  it('renders a signed-out page without a cookie', async () => {
    const { html, props } = await renderAccountPage({ cookies: new Map() });
    expect(html).toContain('Log in');
    expect(JSON.parse(props)).toMatchObject({ serverState: { status: 'anonymous', isAuthenticated: false } });
  });
});
