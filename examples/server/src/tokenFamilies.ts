import { createHash, randomBytes } from 'node:crypto';
import { invalidGrant } from './httpError.js';

interface Family {
  id: string;
  username: string;
  scope: string[];
  revoked: boolean;
  /** Epoch ms after which nothing of the family can be used any more: then it is forgotten. */
  lastUseBy: number;
}

interface RefreshRecord {
  familyId: string;
  expiresAt: number;
  /** Exchanged once already: presenting it again is reuse. */
  rotated: boolean;
}

export type RefreshOutcome =
  | { ok: true; family: { id: string; username: string; scope: string[] }; refreshToken: string }
  | { ok: false; reused: boolean; error: Error };

const PRUNE_INTERVAL_MS = 10_000;

/**
 * Refresh tokens grouped in families, one per login (RFC 9700 §4.14.2): each refresh rotates the
 * token; a rotated token presented again revokes the whole family, the thief's newer token and the
 * access tokens issued in it included. Tokens are kept as SHA-256 digests, never as they were sent.
 */
export class TokenFamilies {
  private readonly families = new Map<string, Family>();
  private readonly records = new Map<string, RefreshRecord>();
  private lastPrune = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly refreshTtlMs: number,
    private readonly accessTtlMs: number,
    private readonly now: () => number,
  ) {}

  /** A new family for a login, with its first refresh token. */
  start(username: string, scope: string[]): { familyId: string; refreshToken: string } {
    this.prune();
    const family: Family = {
      id: randomBytes(12).toString('base64url'),
      username,
      scope,
      revoked: false,
      lastUseBy: 0,
    };
    this.families.set(family.id, family);
    return { familyId: family.id, refreshToken: this.issue(family) };
  }

  /** Exchanges a refresh token for the next one of its family. Synchronous: no await between check and rotation. */
  rotate(refreshToken: string): RefreshOutcome {
    const outcome = this.exchange(refreshToken);
    // After the lookup, so that a token which just expired is reported as expired, not unknown.
    this.prune();
    return outcome;
  }

  private exchange(refreshToken: string): RefreshOutcome {
    const record = this.records.get(digest(refreshToken));
    const family = record && this.families.get(record.familyId);
    if (!record || !family) return refused('The refresh token is unknown.');
    if (family.revoked) return refused('The refresh token was revoked: log in again.');
    if (record.rotated) {
      family.revoked = true;
      return {
        ok: false,
        reused: true,
        error: invalidGrant('The refresh token was already used: its session is revoked.'),
      };
    }
    if (record.expiresAt <= this.now()) return refused('The refresh token expired: log in again.');
    record.rotated = true;
    const { id, username, scope } = family;
    return { ok: true, family: { id, username, scope }, refreshToken: this.issue(family) };
  }

  /** Whether access tokens of this family are still honoured. */
  isActive(familyId: string): boolean {
    const family = this.families.get(familyId);
    return family !== undefined && !family.revoked;
  }

  /** The family a refresh token belongs to, used or not. */
  familyOf(refreshToken: string): string | null {
    return this.records.get(digest(refreshToken))?.familyId ?? null;
  }

  /** Revokes one family; true when it was active. */
  revoke(familyId: string): boolean {
    const family = this.families.get(familyId);
    if (!family || family.revoked) return false;
    family.revoked = true;
    return true;
  }

  /** Revokes every active family of a user; returns how many. */
  revokeUser(username: string): number {
    let count = 0;
    for (const family of this.families.values()) {
      if (family.username === username && this.revoke(family.id)) count += 1;
    }
    return count;
  }

  private issue(family: Family): string {
    const token = randomBytes(32).toString('base64url');
    const now = this.now();
    const expiresAt = now + this.refreshTtlMs;
    this.records.set(digest(token), { familyId: family.id, expiresAt, rotated: false });
    // Its access tokens and refresh tokens must all have expired before the family can be forgotten.
    family.lastUseBy = Math.max(family.lastUseBy, expiresAt, now + this.accessTtlMs);
    return token;
  }

  // Forgets what can no longer be presented, at most every 10 s, so that a long run stays small.
  private prune(): void {
    const now = this.now();
    if (now - this.lastPrune < PRUNE_INTERVAL_MS) return;
    this.lastPrune = now;
    for (const [key, record] of this.records) if (record.expiresAt <= now) this.records.delete(key);
    for (const [id, family] of this.families) if (family.lastUseBy <= now) this.families.delete(id);
  }
}

function refused(message: string): RefreshOutcome {
  return { ok: false, reused: false, error: invalidGrant(message) };
}

function digest(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}
