import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createTestModel } from 'xstate/graph';
import type { AdapterDriver } from '../adapterDriver.js';
import { type ModelSnapshot, machineGraph, modelMachine, refreshStartedBy, stateIdsOf, T0 } from './coreModel.js';
import { type Coverage, ModelRun } from './modelRun.js';
import {
  describeState,
  type ModelEvent,
  REFRESH_LEEWAY,
  REFRESH_RETRIES,
  REFRESH_TIMEOUT,
  variants,
} from './modelSteps.js';

/*
 * Model-based test of an HTTP adapter: `createTestModel` walks authMachine (as the core's model
 * test does) and generates paths that reach each of its states and take each transition an
 * adapter can reach. Every path drives a REAL session with the adapter's client on it (through
 * the driver), against the fake auth server in msw handlers: 401s come from the server after it
 * expires the access token, the refresh call goes through the client itself without the token to
 * the server, whose answer (ok, 401, invalid_grant, 500, network error, malformed) each step
 * decides when it releases the held call. In every state the test checks what users of the client
 * see: the session's status, the Authorization header the server got on each request, what each
 * caller got (data, SessionExpiredError, TokenRefreshError, the original 401, an abort) and how
 * many refresh calls the server saw (one per refresh call the machine made, never more). The last
 * test walks the machine itself and fails if the real session skipped any state or transition the
 * adapter can reach.
 *
 * Time is fake (timers and Date; msw answers over the real event loop, which stays real), so that
 * the refresh timeout, the backoff between retries and the proactive timer (also the one that only
 * re-arms, after 24.8 days) are driven exactly and the file runs in a few seconds.
 */

/**
 * Traversal steps allowed (this model takes about 1,150): a state key that lets the traversal run
 * away fails here at once instead of generating thousands of slow paths.
 */
const TRAVERSAL_LIMIT = 3_000;

/**
 * Transitions of authMachine that no app using the session and an HTTP adapter can take, with why.
 * The coverage test checks that each still exists in the machine, and that it was indeed not taken.
 */
const NOT_REACHABLE_THROUGH_AN_ADAPTER = new Map<string, string>([
  ...['auth.restoring on LOGIN #0', 'auth.restoring on LOGIN_START #0'].map((key): [string, string] => [
    key,
    'session.login() waits for the restore to end before it sends LOGIN or LOGIN_START, so neither an ' +
      'adapter nor an app using the session API sends them while restoring; only a raw ' +
      'session.actor.send() can, which the core model test drives.',
  ]),
  ...[
    'auth on LOGOUT #0',
    'auth.anonymous on TOKENS_SYNCED #0',
    'auth.authenticated on TOKENS_SYNCED #0',
    'auth.refreshing on TOKENS_SYNCED #0',
    'auth.expired on TOKENS_SYNCED #0',
    'auth.authenticated on SESSION_ENDED #0',
    'auth.refreshing on SESSION_ENDED #0',
  ].map((key): [string, string] => [
    key,
    "Cross-tab sync (the crossTab option): another tab's logout, tokens or session end arrive over its BroadcastChannel, " +
      'not through an HTTP client; the core model test drives them through a real channel, and an adapter ' +
      'sees them only as the states they lead to, which these paths cover.',
  ]),
]);

function generatePaths() {
  const model = createTestModel(modelMachine, {
    input: { refreshLeeway: REFRESH_LEEWAY, refreshTimeout: REFRESH_TIMEOUT, refreshRetries: REFRESH_RETRIES },
    events: (state: ModelSnapshot): ModelEvent[] =>
      variants.map((variant) => ({ type: variant.type, variant: variant.name, ...variant.payload?.(state) })),
    // Only events the machine takes in that state (a no-op says nothing about the adapter), and none
    // of the bare `{ type }` events createTestModel adds for event types no variant was offered for.
    filterEvents: (state: ModelSnapshot, event: ModelEvent) => typeof event.variant === 'string' && state.can(event),
    // A guard against a state key that lets the traversal run away.
    limit: TRAVERSAL_LIMIT,
    serializeEvent: (event: ModelEvent) => `${event.type} (${event.variant})`,
    // Around a refresh, also what started it: a 401 leaves requests waiting after their own 401, and
    // refresh() a caller waiting for its promise, so each way in meets each way out.
    serializeState: (state: ModelSnapshot, event: ModelEvent | undefined, previous?: ModelSnapshot) =>
      `${describeState(state)} via ${event?.variant ?? 'start'} from ${JSON.stringify(previous?.value ?? null)}` +
      (state.matches('refreshing') || previous?.matches('refreshing')
        ? ` (refresh started by ${refreshStartedBy(state)})`
        : ''),
  });
  return model.getShortestPaths();
}

type ModelPath = ReturnType<typeof generatePaths>[number];

function pathTitle(path: ModelPath): string {
  const steps = path.steps.slice(1).map((step) => String((step.event as ModelEvent).variant));
  return `reaches ${stateIdsOf(path.state.value).at(-1)}: ${steps.join(' → ')}`;
}

/**
 * Every generated path through authMachine, driven through the adapter's real client against msw,
 * then the coverage check: every state visited, every transition an adapter can reach taken.
 */
export function describeAdapterModel(driver: AdapterDriver): void {
  const paths = generatePaths();
  const coverage: Coverage = { states: new Set(), transitions: new Set() };
  const server = setupServer();
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  afterAll(() => server.close());

  describe(`${driver.name} model: every generated path, through real calls against msw`, () => {
    beforeEach(() => {
      vi.useFakeTimers({ now: T0, toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
    });
    afterEach(() => {
      vi.useRealTimers();
    });

    for (const path of paths) {
      it(pathTitle(path), async () => {
        const run = new ModelRun(driver, server, coverage, path.steps[0]?.state ?? path.state);
        try {
          await run.start();
          await path.test({ states: run.states(), events: run.eventRunners() });
        } finally {
          run.stop();
        }
      });
    }

    // Runs after the path tests above (vitest runs a file's tests in order); run the whole file.
    it('visited every state of authMachine and took every transition an adapter can reach', () => {
      const graph = machineGraph();
      const missedStates = graph.states.filter((id) => !coverage.states.has(id));
      const missedTransitions = [...graph.transitions]
        .filter(([key]) => !coverage.transitions.has(key) && !NOT_REACHABLE_THROUGH_AN_ADAPTER.has(key))
        .map(([, text]) => text);
      const excluded = [...NOT_REACHABLE_THROUGH_AN_ADAPTER.keys()];
      const covered = [...graph.transitions.keys()].filter((key) => coverage.transitions.has(key));

      console.log(
        `${driver.name} model: ${paths.length} generated paths (${paths.reduce((sum, path) => sum + path.steps.length - 1, 0)} steps); ` +
          `states ${graph.states.length - missedStates.length}/${graph.states.length}; ` +
          `transitions ${covered.length}/${graph.transitions.size} (${excluded.length} excluded as not reachable through an adapter: ${excluded.join(', ')})`,
      );
      // The exclusions name transitions that exist, and that the paths indeed never took.
      expect(excluded.filter((key) => !graph.transitions.has(key))).toEqual([]);
      expect(excluded.filter((key) => coverage.transitions.has(key))).toEqual([]);
      expect({ missedStates, missedTransitions }).toEqual({ missedStates: [], missedTransitions: [] });
    });
  });
}
