import { AuthError, createAuthSession } from '@authmachine/core';
import { describe, expect, it } from 'vitest';
import type { InspectionEvent } from 'xstate';
import { controllableRefresh, flush, useFakeClock } from './support/testKit.js';

useFakeClock();

const TOKENS = ['access-secret-1', 'refresh-secret-1', 'access-secret-2', 'refresh-secret-2'];

/** Logs in, meets a 401, refreshes: the inspector sees events with tokens in many places. */
async function inspectedRun(options: { inspectTokens?: boolean; observer?: boolean } = {}) {
  const received: InspectionEvent[] = [];
  const refresh = controllableRefresh();
  const collect = (event: InspectionEvent): void => {
    received.push(event);
  };
  const session = createAuthSession({
    refresh: refresh.fn,
    inspect: options.observer ? { next: collect } : collect,
    ...(options.inspectTokens === undefined ? {} : { inspectTokens: options.inspectTokens }),
  });
  await session.login({ accessToken: 'access-secret-1', refreshToken: 'refresh-secret-1', expiresIn: 3600 });
  session.tokenRejected('access-secret-1');
  await flush();
  refresh.last().resolve({ accessToken: 'access-secret-2', refreshToken: 'refresh-secret-2', expiresIn: 3600 });
  await expect(session.waitForAccessToken()).resolves.toBe('access-secret-2');
  session.stop();
  return received;
}

/** Everything an inspector can read of an event: the event, snapshots, action params, and actors' own snapshots. */
function whatInspectorSees(event: InspectionEvent): string {
  const snapshotJson = (snapshot: unknown): unknown => {
    const value = snapshot as { toJSON?: () => unknown; context?: unknown; input?: unknown; output?: unknown } | null;
    if (typeof value?.toJSON === 'function') return value.toJSON();
    return { context: value?.context, input: value?.input, output: value?.output };
  };
  const parts: unknown[] = [snapshotJson(event.actorRef.getSnapshot())];
  if ('event' in event) parts.push(event.event);
  if ('snapshot' in event) parts.push(snapshotJson(event.snapshot));
  if ('action' in event) parts.push(event.action);
  return JSON.stringify(parts, (_key, value: unknown) => (typeof value === 'function' ? undefined : value));
}

describe('createAuthSession({ inspect })', () => {
  it('passes the actor system to an XState inspector: events, snapshots and actors reach it', async () => {
    const received = await inspectedRun();
    const types = new Set(received.map((event) => event.type));
    expect(types).toEqual(
      new Set(['@xstate.actor', '@xstate.event', '@xstate.snapshot', '@xstate.microstep', '@xstate.action']),
    );
    const events = received.flatMap((event) => (event.type === '@xstate.event' ? [event.event.type] : []));
    expect(events).toEqual(
      expect.arrayContaining(['LOGIN', 'TOKEN_REJECTED', 'xstate.done.actor.0.auth.refreshing.calling']),
    );
    const states = received.flatMap((event) =>
      event.type === '@xstate.snapshot' && event.actorRef === received[0]?.actorRef
        ? [JSON.stringify((event.snapshot as { value?: unknown }).value)]
        : [],
    );
    expect(states).toEqual(
      expect.arrayContaining(['{"refreshing":"calling"}', '{"authenticated":"refreshScheduled"}']),
    );
  });

  it('redacts every token value by default, for a function and for an observer { next }', async () => {
    for (const observer of [false, true]) {
      const received = await inspectedRun({ observer });
      const seen = received.map(whatInspectorSees).join('\n');
      for (const token of TOKENS) expect(seen).not.toContain(token);
      expect(seen).toContain('[redacted]');
    }
  });

  it('shows the tokens only to an app that opts in with inspectTokens: true', async () => {
    const seen = (await inspectedRun({ inspectTokens: true })).map(whatInspectorSees).join('\n');
    for (const token of TOKENS) expect(seen).toContain(token);
  });

  it('rejects an inspector that is neither a function nor an observer', () => {
    expect(() => createAuthSession({ refresh: async () => ({ accessToken: 'a' }), inspect: {} as never })).toThrow(
      AuthError,
    );
  });
});
