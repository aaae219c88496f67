import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chaosConfig } from '../chaosConfig.js';
import { checkInvariants } from '../invariants.js';
import { runScenario } from '../runScenario.js';
import { addRun, emptySummary, formatSummary } from '../runSummary.js';
import { scenarioArbitrary } from '../scenarioArbitrary.js';

// Generated scenarios (tabs, bursts, expiries, refresh faults, logins, logouts, aborts, clock jumps)
// run against the real session, adapters and reference server; after each run the invariants of
// invariants.ts must hold. `pnpm test:chaos --seed N --path P` replays a failure, `--runs N` soaks.
const config = chaosConfig(process.env);

/** A run takes 1–5 s; shrinking a failure tries more runs, so it gets its own budget. */
const SHRINK_BUDGET_MS = 90_000;

describe('randomized fault runs', () => {
  it(
    `keep every invariant over ${config.runs} generated scenarios`,
    async () => {
      const summary = emptySummary();
      let lastViolations: string[] = [];
      const property = fc.asyncProperty(
        scenarioArbitrary({ afterRotationFaults: config.afterRotationFaults }),
        async (scenario) => {
          const record = await runScenario(scenario, {
            loginLogoutRaces: config.loginLogoutRaces,
            clockBackLogins: config.clockBackLogins,
          });
          addRun(summary, record);
          const violations = checkInvariants(record);
          if (violations.length > 0) {
            lastViolations = violations;
            throw new Error(violations.join('\n'));
          }
        },
      );
      const details = await fc.check(property, {
        numRuns: config.runs,
        ...(config.seed === undefined ? {} : { seed: config.seed }),
        ...(config.path === undefined ? {} : { path: config.path }),
        endOnFailure: !config.shrink,
        plugins: [fc.interruptAfterTimeLimit(config.runs * 20_000 + SHRINK_BUDGET_MS)],
      });
      console.log(formatSummary(summary));
      if (details.failed) {
        const replay = `pnpm test:chaos --seed ${details.seed} --path "${details.counterexamplePath}"${config.afterRotationFaults ? ' --after-rotation' : ''}${config.loginLogoutRaces ? '' : ' --no-login-logout-races'}${config.clockBackLogins ? '' : ' --no-clock-back-logins'}`;
        throw new Error(
          [
            `A generated scenario broke an invariant (after ${details.numRuns} runs, shrunk ${details.numShrinks} times).`,
            `Replay: ${replay}`,
            'Violations:',
            ...lastViolations.map((line) => `  ${line}`),
            `Scenario: ${JSON.stringify((details.counterexample as unknown[] | null)?.[0])}`,
          ].join('\n'),
        );
      }
      // The time limit must not have cut the runs short: a green result then says less than it claims.
      expect(details.interrupted).toBe(false);
    },
    config.runs * 25_000 + 2 * SHRINK_BUDGET_MS,
  );
});
