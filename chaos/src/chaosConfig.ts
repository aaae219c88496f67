/** How many scenarios to run and which: read from the environment `pnpm test:chaos` sets. */
export interface ChaosConfig {
  runs: number;
  /** fast-check's seed: the same seed generates the same scenarios. */
  seed: number | undefined;
  /** fast-check's replay path (`--path`): straight to one (shrunk) counterexample of a seed. */
  path: string | undefined;
  /** Also inject faults after the rotation (`dropAfterRotation`, `delayAfterRotation`). */
  afterRotationFaults: boolean;
  /** Let a logout cross a login of another tab on the channel (CHAOS_LOGIN_LOGOUT_RACES=0: not). */
  loginLogoutRaces: boolean;
  /** Keep logins made while the clock reads earlier than before, with several tabs (CHAOS_CLOCK_BACK_LOGINS=0: not). */
  clockBackLogins: boolean;
  /** Shrink a failure to a smaller scenario (each try is a real run of a few seconds). */
  shrink: boolean;
}

/** Runs in `pnpm test`: bounded so the suite stays well under a minute on two cores. */
export const CI_RUNS = 12;

/**
 * The seed CI replays (`CI` set, no `CHAOS_SEED`): a red CI is then the same scenarios on every
 * machine, replayable as printed. Local runs and soaks draw a new seed each time, to find new faults.
 */
export const CI_SEED = 20_261_207;

export function chaosConfig(env: Record<string, string | undefined>): ChaosConfig {
  const whole = (name: string): number | undefined => {
    const raw = env[name];
    if (raw === undefined || raw === '') return undefined;
    const value = Number(raw);
    if (!Number.isSafeInteger(value)) throw new TypeError(`${name} must be a whole number, not "${raw}".`);
    return value;
  };
  const runs = whole('CHAOS_RUNS') ?? CI_RUNS;
  if (runs < 1) throw new TypeError('CHAOS_RUNS must be at least 1.');
  return {
    runs,
    seed: whole('CHAOS_SEED') ?? (env.CI ? CI_SEED : undefined),
    path: env.CHAOS_PATH || undefined,
    afterRotationFaults: env.CHAOS_AFTER_ROTATION === '1',
    // On since cross-tab logins and logouts are ordered by a Lamport stamp (crossTab/sessionOrder.ts).
    loginLogoutRaces: env.CHAOS_LOGIN_LOGOUT_RACES !== '0',
    clockBackLogins: env.CHAOS_CLOCK_BACK_LOGINS !== '0',
    shrink: env.CHAOS_SHRINK !== '0',
  };
}
