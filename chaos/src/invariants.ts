import type { FinalCheck, RunRecord } from './runRecord.js';
import { familyOfAccessToken } from './tokenFamilies.js';

/** What a run must never show. Each check returns its violations, in words, without tokens. */
export type Invariant = (record: RunRecord) => string[];

const ms = (value: number): string => `${Math.round(value)} ms`;

/**
 * 1. One refresh at a time per token family. The refresh token rotates: two calls in flight with
 * one family race, and the loser presents a token the winner already spent (a reuse detection that
 * revokes the whole session). Within a tab the machine runs one refresh; across tabs the lock must.
 */
export function noConcurrentRefreshInOneFamily(record: RunRecord): string[] {
  const violations: string[] = [];
  const byFamily = new Map<string, RunRecord['refreshCalls']>();
  for (const call of record.refreshCalls) {
    if (call.family === null) continue;
    byFamily.set(call.family, [...(byFamily.get(call.family) ?? []), call]);
  }
  for (const calls of byFamily.values()) {
    const sorted = [...calls].sort((a, b) => a.start - b.start);
    let running = sorted[0];
    for (const call of sorted.slice(1)) {
      if (running && call.start < running.end) {
        violations.push(
          `two refresh calls of one family in flight at once: tab ${running.tab} (${ms(running.start)}–${ms(running.end)}) and tab ${call.tab} (from ${ms(call.start)})`,
        );
      }
      if (!running || call.end > running.end) running = call;
    }
  }
  return violations;
}

/**
 * 2. No refresh token presented twice. The server counts reuse as theft and revokes the session:
 * a client that causes it logs its own user out. Only a scenario that stole a token on purpose
 * may see one.
 */
export function noRefreshTokenReuse(record: RunRecord): string[] {
  if (record.theft || record.stats.reuseDetections === 0) return [];
  return [`the server detected ${record.stats.reuseDetections} refresh-token reuse(s) without any theft`];
}

/**
 * 3a. A logout is final for the tab that did it: once `logout()` resolved, nothing it sends carries
 * a token of the session it ended (a later login's tokens are fine). A late refresh answer or a
 * queued request that resurrects the old token would leak a session the user ended.
 */
export function noTokenAfterLogout(record: RunRecord): string[] {
  const violations: string[] = [];
  for (const logout of record.logouts) {
    if (logout.family === null) continue;
    const leaks = record.sent.filter(
      (sent) =>
        sent.tab === logout.tab && sent.at > logout.resolvedAt && familyOfAccessToken(sent.token) === logout.family,
    );
    for (const leak of leaks) {
      violations.push(
        `tab ${logout.tab} sent ${leak.path} with the logged-out session's token ${ms(leak.at - logout.resolvedAt)} after logout() resolved`,
      );
    }
  }
  return violations;
}

/**
 * 3b. The token goes only to allowed origins. A second loopback origin, not in `allowedOrigins`,
 * receives some of every scenario's calls: it must never see an Authorization header.
 */
export function noTokenToForeignOrigin(record: RunRecord): string[] {
  const received = record.foreignAuthorization.filter((header) => header !== undefined).length;
  const sent = record.sent.filter((request) => request.origin === 'foreign' && request.token !== null).length;
  if (received === 0 && sent === 0) return [];
  return [`the token went to an origin outside allowedOrigins: ${received} received, ${sent} sent`];
}

/**
 * 4. Every call settles (resolves or rejects) by its deadline: an app's request must never hang,
 * whatever the token endpoint does (hang, drop, fail); aborted requests settle right after their abort.
 */
export function everyRequestSettles(record: RunRecord): string[] {
  return record.outcomes
    .filter((outcome) => outcome.settledAt === null || outcome.settledAt > outcome.deadline)
    .map(
      (outcome) =>
        `tab ${outcome.tab}: ${outcome.label} started at ${ms(outcome.startedAt)} ${
          outcome.settledAt === null
            ? 'never settled'
            : `settled ${ms(outcome.settledAt - outcome.deadline)} after its deadline (${outcome.result})`
        }`,
    );
}

/**
 * 5. Storage holds exactly the session's tokens, or nothing once it ended. Stale tokens in storage
 * come back at the next reload: a logged-out user logged in again, or a spent refresh token sent.
 */
export function storageMatchesSession(record: RunRecord): string[] {
  const violations: string[] = [];
  for (const check of record.storageChecks) {
    const where = `tab ${check.tab} after step ${check.afterStep} (${check.status})`;
    if (check.status === 'anonymous' || check.status === 'expired') {
      if (check.stored !== null) violations.push(`${where}: storage still holds tokens`);
      continue;
    }
    if (check.stored === null) {
      violations.push(`${where}: storage is empty`);
    } else if (check.stored.accessToken !== check.held.accessToken) {
      violations.push(`${where}: storage holds another access token than the session`);
    } else if (check.stored.refreshToken !== check.held.refreshToken) {
      violations.push(`${where}: storage holds another refresh token than the session`);
    }
  }
  return violations;
}

/**
 * 6. Once the server behaves again, each tab comes to rest in a state the server agrees with: an
 * `authenticated` tab gets its request through with a token whose session the server has not
 * revoked; a tab whose session the server ended is `expired` (its request rejected) or `anonymous`
 * (its request sent without a token) after that request. A tab stuck `refreshing` fails this too.
 */
export function sessionAgreesWithServer(record: RunRecord): string[] {
  const violations = record.unsettledTabs.map((tab) => `tab ${tab} never came to rest (still busy at the end)`);
  for (const final of record.finals) {
    if (finalAgrees(final)) continue;
    violations.push(
      `tab ${final.tab} (${final.status}, probe ${final.probe}, server: ${final.serverVerdict ?? 'no token'}): the session disagrees with the server`,
    );
  }
  return violations;
}

/** Whether a tab's state, its probe's outcome and the server's verdict on its token agree (invariant 6). */
export function finalAgrees(final: FinalCheck): boolean {
  const verdictFine = final.serverVerdict === 'accepted' || final.serverVerdict === 'expired';
  return (
    (final.status === 'authenticated' && final.probe === '200' && verdictFine) ||
    (final.status === 'expired' && final.probe.startsWith('SessionExpiredError') && final.serverVerdict === null) ||
    (final.status === 'anonymous' &&
      (final.probe === '401' || final.probe === 'AxiosError 401') &&
      final.serverVerdict === null)
  );
}

/**
 * 7. Tabs that share a session agree once they are at rest: the same status and the same access
 * token. A tab left behind (old tokens, a session the others ended or replaced) fails its user's
 * requests, or later sends a refresh token the others already spent.
 */
export function tabsAgree(record: RunRecord): string[] {
  const [first, ...others] = record.resting;
  if (!first) return [];
  return others
    .filter((tab) => tab.status !== first.status || tab.accessToken !== first.accessToken)
    .map(
      (tab) =>
        `tab ${tab.tab} rests ${tab.status}${tab.accessToken === first.accessToken ? '' : ' with another token'} while tab ${first.tab} rests ${first.status}`,
    );
}

export const INVARIANTS: Record<string, Invariant> = {
  noConcurrentRefreshInOneFamily,
  noRefreshTokenReuse,
  noTokenAfterLogout,
  noTokenToForeignOrigin,
  everyRequestSettles,
  storageMatchesSession,
  sessionAgreesWithServer,
  tabsAgree,
};

/** Every violation of every invariant, each prefixed with the invariant's name. */
export function checkInvariants(record: RunRecord): string[] {
  return Object.entries(INVARIANTS).flatMap(([name, invariant]) => invariant(record).map((text) => `${name}: ${text}`));
}
