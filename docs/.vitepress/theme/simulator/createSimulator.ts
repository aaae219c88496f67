import { attachAuth } from '@authmachine/axios';
import { type AuthSession, createAuthSession } from '@authmachine/core';
import axios, { type AxiosInstance } from 'axios';
import { SIMULATED_API, SimulatedServer } from './simulatedServer.js';

export interface LogEntry {
  at: number;
  text: string;
}

export interface Simulator {
  server: SimulatedServer;
  session: AuthSession;
  api: AxiosInstance;
  /** The top-level state, and the nested one (`refreshing.calling`). */
  statePath(): string;
  sendRequest(): void;
  login(): Promise<void>;
  logout(): Promise<void>;
  stop(): void;
}

/**
 * The real `createAuthSession` and `attachAuth`, with a server that lives in the page. Every state
 * change and every request's outcome goes to `log`.
 */
export function createSimulator(log: (text: string) => void): Simulator {
  const server = new SimulatedServer();
  const api = axios.create({ baseURL: SIMULATED_API, adapter: server.adapter });
  const session = createAuthSession({
    refresh: async ({ refreshToken, signal }) =>
      (await api.post('/auth/refresh', { refreshToken }, { signal, skipAuth: true })).data,
    // No proactive timer: time passes when the reader says so. One retry, so that a failing
    // refresh shows `refreshing.backingOff` (a backoff of 0.5 to 1 s) before it gives up.
    refreshLeeway: false,
    refreshRetries: 1,
    refreshTimeout: 10_000,
  });
  const detach = attachAuth(api, session);
  let requests = 0;
  let lastPath: string | null = null;
  const statePath = (): string => pathOf(session.actor.getSnapshot().value);
  // Every transition of the machine, nested states included (`refreshing.calling → refreshing.backingOff`).
  const subscription = session.actor.subscribe(() => {
    const path = statePath();
    if (path !== lastPath) log(`state: ${lastPath ?? 'start'} → ${path}`);
    lastPath = path;
  });
  const offExpired = session.on('sessionExpired', () => log('event: sessionExpired'));
  const offRefreshed = session.on('refreshed', () => log('event: refreshed (new tokens stored)'));
  const offFailed = session.on('refreshFailed', () => log('event: refreshFailed (tokens kept)'));

  return {
    server,
    session,
    api,
    statePath,
    sendRequest() {
      requests += 1;
      const id = requests;
      log(`request #${id}: sent`);
      api.get(`/api/data/${id}`).then(
        (response) =>
          log(`request #${id}: 200, answered with ${(response.data as { answeredWith: string }).answeredWith}`),
        (error: unknown) => log(`request #${id}: failed, ${describe(error)}`),
      );
    },
    async login() {
      await session.login(server.login());
    },
    async logout() {
      await session.logout();
    },
    stop() {
      subscription.unsubscribe();
      offExpired();
      offRefreshed();
      offFailed();
      detach();
      session.stop();
    },
  };
}

function pathOf(value: string | Record<string, unknown>): string {
  if (typeof value === 'string') return value;
  const [parent, child] = Object.entries(value)[0] ?? ['', ''];
  return typeof child === 'string' ? `${parent}.${child}` : parent;
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const status = (error as { response?: { status?: number } }).response?.status;
    return status ? `${error.name} (HTTP ${status})` : error.name;
  }
  return String(error);
}
