import { describe, expect, it } from 'vitest';
import {
  everyRequestSettles,
  INVARIANTS,
  noConcurrentRefreshInOneFamily,
  noRefreshTokenReuse,
  noTokenAfterLogout,
  noTokenToForeignOrigin,
  sessionAgreesWithServer,
  storageMatchesSession,
  tabsAgree,
} from '../invariants.js';
import type { RunRecord } from '../runRecord.js';

// The invariants judge every chaos run: each must flag what it is about and pass a clean run,
// or a green soak would prove nothing.

/** A JWT-shaped access token of family `sid` (only the payload is read). */
const tokenOf = (sid: string, n = 1): string => `h.${Buffer.from(JSON.stringify({ sid, n })).toString('base64url')}.s`;

function cleanRecord(): RunRecord {
  return {
    scenario: {
      tabs: ['axios'],
      accessTtl: 1,
      refreshTimeout: 500,
      refreshRetries: 0,
      refreshLeeway: false,
      queueTimeout: 2_000,
      revokeOnLogout: false,
      faults: [],
      steps: [],
    },
    sent: [{ tab: 0, at: 10, origin: 'api', path: '/api/items/1', token: tokenOf('a') }],
    refreshCalls: [
      { tab: 0, family: 'a', start: 0, end: 100, ok: true },
      { tab: 1, family: 'a', start: 150, end: 200, ok: true },
      { tab: 1, family: 'b', start: 50, end: 120, ok: true },
    ],
    outcomes: [{ tab: 0, label: 'api GET', startedAt: 0, deadline: 1_000, settledAt: 500, result: '200' }],
    logouts: [{ tab: 0, resolvedAt: 300, family: 'a' }],
    foreignAuthorization: [undefined],
    storageChecks: [
      {
        tab: 0,
        afterStep: 0,
        status: 'authenticated',
        stored: { accessToken: 'x', refreshToken: 'r' },
        held: { accessToken: 'x', refreshToken: 'r' },
      },
      { tab: 0, afterStep: 1, status: 'anonymous', stored: null, held: { accessToken: null, refreshToken: null } },
    ],
    finals: [
      { tab: 0, status: 'authenticated', probe: '200', serverVerdict: 'accepted' },
      { tab: 1, status: 'expired', probe: 'SessionExpiredError SESSION_EXPIRED', serverVerdict: null },
      { tab: 2, status: 'anonymous', probe: 'AxiosError 401', serverVerdict: null },
    ],
    resting: [
      { tab: 0, status: 'authenticated', accessToken: 'x' },
      { tab: 1, status: 'authenticated', accessToken: 'x' },
    ],
    unsettledTabs: [],
    stats: { reuseDetections: 0 } as RunRecord['stats'],
    theft: false,
  };
}

describe('the chaos invariants', () => {
  const invariants = Object.values(INVARIANTS);

  it('pass a run that behaved', () => {
    for (const invariant of invariants) expect(invariant(cleanRecord()), invariant.name).toEqual([]);
  });

  it('1: two refresh calls of one family overlapping, across tabs', () => {
    const record = cleanRecord();
    record.refreshCalls.push({ tab: 2, family: 'a', start: 90, end: 95, ok: false });
    expect(noConcurrentRefreshInOneFamily(record)).toHaveLength(1);
  });

  it('2: a reuse detection, unless the scenario stole a token', () => {
    const record = cleanRecord();
    record.stats.reuseDetections = 1;
    expect(noRefreshTokenReuse(record)).toHaveLength(1);
    expect(noRefreshTokenReuse({ ...record, theft: true })).toEqual([]);
  });

  it('3: the logged-out family sent by the same tab after logout() resolved; another family is fine', () => {
    const record = cleanRecord();
    record.sent.push(
      { tab: 0, at: 301, origin: 'api', path: '/api/me', token: tokenOf('a', 2) },
      { tab: 0, at: 302, origin: 'api', path: '/api/me', token: tokenOf('c') },
      { tab: 1, at: 303, origin: 'api', path: '/api/me', token: tokenOf('a', 3) },
    );
    expect(noTokenAfterLogout(record)).toHaveLength(1);
  });

  it('3: a token sent to, or received by, the foreign origin', () => {
    const sent = cleanRecord();
    sent.sent.push({ tab: 0, at: 5, origin: 'foreign', path: '/data/1', token: 'x' });
    expect(noTokenToForeignOrigin(sent)).toHaveLength(1);
    const received = cleanRecord();
    received.foreignAuthorization.push('Bearer x');
    expect(noTokenToForeignOrigin(received)).toHaveLength(1);
  });

  it('4: a call that never settled, or settled after its deadline', () => {
    const record = cleanRecord();
    record.outcomes.push(
      { tab: 0, label: 'api GET', startedAt: 0, deadline: 1_000, settledAt: null, result: 'pending' },
      { tab: 0, label: 'logout', startedAt: 0, deadline: 1_000, settledAt: 1_001, result: 'ok' },
    );
    expect(everyRequestSettles(record)).toHaveLength(2);
  });

  it('5: storage with other tokens than the session, or with tokens after the session ended', () => {
    const record = cleanRecord();
    record.storageChecks.push(
      {
        tab: 0,
        afterStep: 2,
        status: 'refreshing',
        stored: { accessToken: 'x', refreshToken: 'old' },
        held: { accessToken: 'x', refreshToken: 'r' },
      },
      { tab: 0, afterStep: 3, status: 'authenticated', stored: null, held: { accessToken: 'x', refreshToken: 'r' } },
      {
        tab: 0,
        afterStep: 4,
        status: 'expired',
        stored: { accessToken: 'x', refreshToken: 'r' },
        held: { accessToken: null, refreshToken: null },
      },
    );
    expect(storageMatchesSession(record)).toHaveLength(3);
  });

  it('6: a tab the server disagrees with, or one that never came to rest', () => {
    const record = cleanRecord();
    record.finals.push(
      { tab: 3, status: 'authenticated', probe: '200', serverVerdict: 'The access token was revoked.' },
      { tab: 4, status: 'authenticated', probe: 'TokenRefreshError REFRESH_FAILED', serverVerdict: 'accepted' },
      { tab: 5, status: 'anonymous', probe: '200', serverVerdict: null },
    );
    record.unsettledTabs.push(1);
    expect(sessionAgreesWithServer(record)).toHaveLength(4);
  });

  it('7: a tab at rest with another status or another token than the first', () => {
    const record = cleanRecord();
    record.resting.push(
      { tab: 2, status: 'authenticated', accessToken: 'old' },
      { tab: 3, status: 'expired', accessToken: null },
    );
    expect(tabsAgree(record)).toHaveLength(2);
  });
});
