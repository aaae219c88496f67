import type { RefreshFault } from '@authmachine/example-server';
import fc from 'fast-check';
import type { ChaosScenario, ChaosStep } from './scenario.js';

export interface ScenarioOptions {
  /**
   * Also inject `dropAfterRotation` and `delayAfterRotation`: the server rotates but the client
   * never learns (in time) of its new token. Off by default: a dropped answer leaves the session
   * the token the server already spent, and its next refresh sends it again (a reuse detection),
   * which no client can avoid without a server that tolerates it (seed 9009, see the report).
   */
  afterRotationFaults?: boolean;
}

/** What the token endpoint does to one refresh request: mostly nothing, else one of the faults. */
function faultArbitrary(afterRotationFaults: boolean): fc.Arbitrary<RefreshFault | null> {
  const faults: fc.WeightedArbitrary<RefreshFault | null>[] = [
    { weight: 8, arbitrary: fc.constant(null) },
    {
      weight: 3,
      arbitrary: fc.record({ type: fc.constant('status' as const), status: fc.constantFrom(429, 500, 502, 503) }),
    },
    { weight: 1, arbitrary: fc.constant({ type: 'invalidGrant' as const }) },
    { weight: 2, arbitrary: fc.constant({ type: 'drop' as const }) },
    { weight: 2, arbitrary: fc.constant({ type: 'hang' as const }) },
  ];
  if (afterRotationFaults) {
    faults.push(
      { weight: 2, arbitrary: fc.constant({ type: 'dropAfterRotation' as const }) },
      {
        weight: 2,
        arbitrary: fc.record({
          type: fc.constant('delayAfterRotation' as const),
          ms: fc.integer({ min: 0, max: 1_500 }),
        }),
      },
    );
  }
  return fc.oneof(...faults);
}

function stepArbitrary(tabCount: number): fc.Arbitrary<ChaosStep> {
  const tab = fc.integer({ min: 0, max: tabCount - 1 });
  const burst = fc
    .record({
      tab,
      size: fc.integer({ min: 1, max: 8 }),
      foreign: fc.integer({ min: 0, max: 2 }),
      aborted: fc.uniqueArray(fc.integer({ min: 0, max: 9 }), { maxLength: 3 }),
      abortAfterMs: fc.integer({ min: 0, max: 300 }),
      awaited: fc.boolean(),
    })
    .map((fields): ChaosStep => ({ type: 'burst', ...fields }));
  return fc.oneof(
    { weight: 8, arbitrary: burst },
    { weight: 6, arbitrary: fc.integer({ min: 0, max: 900 }).map((ms): ChaosStep => ({ type: 'wait', ms })) },
    { weight: 2, arbitrary: tab.map((index): ChaosStep => ({ type: 'login', tab: index })) },
    { weight: 1, arbitrary: tab.map((index): ChaosStep => ({ type: 'logout', tab: index })) },
    { weight: 2, arbitrary: tab.map((index): ChaosStep => ({ type: 'forceRefresh', tab: index })) },
    {
      weight: 2,
      arbitrary: fc
        .constantFrom(-600_000, -30_000, -2_000, 2_000, 30_000, 600_000)
        .map((ms): ChaosStep => ({ type: 'clockJump', ms })),
    },
    { weight: 1, arbitrary: fc.constant<ChaosStep>({ type: 'revoke' }) },
    { weight: 1, arbitrary: fc.constant<ChaosStep>({ type: 'theft' }) },
  );
}

/** A whole run: its configuration, the server's refresh answers and the steps. Each run starts with a login in tab 0. */
export function scenarioArbitrary({ afterRotationFaults = false }: ScenarioOptions = {}): fc.Arbitrary<ChaosScenario> {
  return fc.integer({ min: 1, max: 3 }).chain((tabCount) =>
    fc.record({
      tabs: fc.array(fc.constantFrom('axios' as const, 'fetch' as const), { minLength: tabCount, maxLength: tabCount }),
      accessTtl: fc.constantFrom(0.4, 0.6, 1, 1.5),
      refreshTimeout: fc.integer({ min: 300, max: 800 }),
      refreshRetries: fc.constantFrom(0, 0, 1, 1, 2),
      refreshLeeway: fc.constantFrom(false as const, 100, 250),
      queueTimeout: fc.integer({ min: 1_500, max: 3_000 }),
      revokeOnLogout: fc.boolean(),
      faults: fc.array(faultArbitrary(afterRotationFaults), { maxLength: 10, size: 'medium' }),
      steps: fc.array(stepArbitrary(tabCount), { minLength: 3, maxLength: 14, size: 'medium' }),
    }),
  );
}
