import { createHash, timingSafeEqual } from 'node:crypto';

export interface DemoUser {
  username: string;
  password: string;
  /** Shown by `GET /api/me`. */
  name: string;
  /** Scopes granted to the user's tokens; `admin` opens `GET /api/admin`. */
  scope: string[];
}

/** Two users are enough to show a granted and a missing scope. */
export const DEFAULT_USERS: readonly DemoUser[] = [
  { username: 'ada', password: 'lovelace', name: 'Ada Lovelace', scope: ['read', 'admin'] },
  { username: 'grace', password: 'hopper', name: 'Grace Hopper', scope: ['read'] },
];

/**
 * The user whose credentials these are, or null. Every comparison takes the same time whether the
 * username exists or not, so response times do not reveal which usernames exist.
 */
export function checkCredentials(users: readonly DemoUser[], username: string, password: string): DemoUser | null {
  let found: DemoUser | null = null;
  for (const user of users) {
    const sameName = sameSecret(user.username, username);
    const samePassword = sameSecret(user.password, password);
    if (sameName && samePassword) found = user;
  }
  return found;
}

/** Compares digests, so that inputs of any length take the same time. */
export function sameSecret(expected: string, given: string): boolean {
  return timingSafeEqual(digest(expected), digest(given));
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
