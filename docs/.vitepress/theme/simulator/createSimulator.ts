import { attachAuth } from '@authmachine/axios';
import { type AuthSession, createAuthSession } from '@authmachine/core';
import { createAuthFetch } from '@authmachine/fetch';
import axios, { type AxiosInstance } from 'axios';
import type { InspectionEvent } from 'xstate';
import { diagramTransitionsOf, type MachineGraph, transitionKeyOf } from '../../../scripts/machineDiagram';
import { type AdapterName, RequestTracker, type TrackedRequest } from './requestTracker.js';
import { SIMULATED_API, SimulatedServer } from './simulatedServer.js';

/** One step of the machine as the page shows it: the states before and after, and what was taken. */
export interface MachineStep {
  at: number;
  from: string;
  to: string;
  event: string;
  /** Indexes in the diagram's transitions of every transition of this step (an `always` included). */
  taken: number[];
  labels: string[];
}

export interface Simulator {
  server: SimulatedServer;
  session: AuthSession;
  tracker: RequestTracker;
  /** The top-level state, and the nested one (`refreshing.calling`). */
  statePath(): string;
  sendRequest(adapter: AdapterName, storm?: boolean): TrackedRequest;
  login(): Promise<void>;
  logout(): Promise<void>;
  stop(): void;
}

export interface SimulatorHooks {
  log(text: string): void;
  step(step: MachineStep): void;
  requestsChanged(): void;
  now(): number;
}

/**
 * The real `createAuthSession`, with the real axios adapter (`attachAuth`) and fetch adapter
 * (`createAuthFetch`) on the same session, and a server that lives in the page. Each transition the
 * machine takes is read from the session's `inspect` option, so the diagram shows the one taken.
 */
export function createSimulator(graph: MachineGraph, hooks: SimulatorHooks): Simulator {
  const server = new SimulatedServer();
  const tracker = new RequestTracker(hooks.requestsChanged);
  server.onAttempt = (attempt) => tracker.attempt(attempt);
  const api: AxiosInstance = axios.create({ baseURL: SIMULATED_API, adapter: server.axiosAdapter });
  const session = createAuthSession({
    // The public inspection option, as an app passes Stately's inspector (tokens redacted).
    inspect: stepsOf(graph, hooks),
    refresh: async ({ refreshToken, signal }) =>
      (await api.post('/auth/refresh', { refreshToken }, { signal, skipAuth: true })).data,
    // No proactive timer: time passes when the reader says so. One retry, so that a failing
    // refresh shows `refreshing.backingOff` (a backoff of 0.5 to 1 s) before it gives up.
    refreshLeeway: false,
    refreshRetries: 1,
    refreshTimeout: 10_000,
  });
  const detach = attachAuth(api, session);
  const authFetch = createAuthFetch(session, { fetch: server.fetch, allowedOrigins: [SIMULATED_API] });

  const statePath = (): string => pathOf(session.actor.getSnapshot().value);
  const offExpired = session.on('sessionExpired', () => hooks.log('event: sessionExpired'));
  const offRefreshed = session.on('refreshed', () => hooks.log('event: refreshed (new tokens stored)'));
  const offFailed = session.on('refreshFailed', () => hooks.log('event: refreshFailed (tokens kept)'));

  function sendRequest(adapter: AdapterName, storm = false): TrackedRequest {
    const request = tracker.start(adapter, storm, hooks.now());
    const url = `${SIMULATED_API}/api/data/${request.id}`;
    const call =
      adapter === 'axios'
        ? api.get(url).then((response) => response.data as { answeredWith: string })
        : authFetch(url).then(async (response) => {
            if (!response.ok)
              throw Object.assign(new Error(`HTTP ${response.status}`), {
                name: 'HTTPError',
                code: `HTTP_${response.status}`,
              });
            return (await response.json()) as { answeredWith: string };
          });
    call.then(
      (data) => tracker.settle(request, { ok: true, answeredWith: data.answeredWith }),
      (error: unknown) => tracker.settle(request, { ok: false, ...describe(error) }),
    );
    return request;
  }

  return {
    server,
    session,
    tracker,
    statePath,
    sendRequest,
    async login() {
      await session.login(server.login());
    },
    async logout() {
      await session.logout();
    },
    stop() {
      offExpired();
      offRefreshed();
      offFailed();
      detach();
      session.stop();
    },
  };
}

/**
 * An inspector that turns XState's inspection of the session's actor into the page's steps: the
 * event, then each microstep with the transitions it took (an `always` after it included); the
 * snapshot that follows closes the step.
 */
function stepsOf(graph: MachineGraph, hooks: SimulatorHooks): (inspected: InspectionEvent) => void {
  const indexOf = new Map(graph.transitions.map((transition, index) => [transitionKeyOf(transition), index]));
  let from: string | null = null;
  let event = '';
  let taken: number[] = [];
  let labels: string[] = [];
  return (inspected) => {
    // The session's own actor only, not the promises it invokes.
    if (inspected.actorRef.sessionId !== inspected.rootId) return;
    if (inspected.type === '@xstate.event') {
      event = inspected.event.type;
      taken = [];
      labels = [];
    } else if (inspected.type === '@xstate.microstep') {
      for (const transition of inspected._transitions.flatMap(diagramTransitionsOf)) {
        const index = indexOf.get(transitionKeyOf(transition));
        if (index !== undefined) taken.push(index);
        labels.push(transition.guard ? `${transition.event} [${transition.guard}]` : transition.event);
      }
    } else if (inspected.type === '@xstate.snapshot') {
      const to = pathOf((inspected.snapshot as { value: string | Record<string, unknown> }).value);
      if (from !== null && (taken.length > 0 || to !== from))
        hooks.step({ at: hooks.now(), from, to, event, taken, labels });
      from = to;
      taken = [];
      labels = [];
    }
  };
}

function pathOf(value: string | Record<string, unknown>): string {
  if (typeof value === 'string') return value;
  const [parent, child] = Object.entries(value)[0] ?? ['', ''];
  return typeof child === 'string' ? `${parent}.${child}` : parent;
}

/** The error's class and its code: AuthError's `code`, axios's `ERR_BAD_REQUEST`, or the HTTP status. */
function describe(error: unknown): { error: string; code: string | null } {
  if (!(error instanceof Error)) return { error: String(error), code: null };
  const { code, response } = error as { code?: unknown; response?: { status?: number } };
  const status = response?.status ? ` HTTP ${response.status}` : '';
  return { error: error.name, code: typeof code === 'string' ? `${code}${status}` : status.trim() || null };
}
