import { attachAuth } from '@authmachine/axios';
import { type AuthSession, type AuthStatus, createAuthSession } from '@authmachine/core';
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
    refreshLeeway: false,
    refreshRetries: 0,
    refreshTimeout: 10_000,
  });
  const detach = attachAuth(api, session);
  let requests = 0;
  let lastStatus: AuthStatus | null = null;
  const unsubscribe = session.subscribe((state) => {
    if (state.status !== lastStatus) log(`state: ${lastStatus ?? 'start'} → ${state.status}`);
    lastStatus = state.status;
  });
  const offExpired = session.on('sessionExpired', () => log('event: sessionExpired'));
  const offRefreshed = session.on('refreshed', () => log('event: refreshed (new tokens stored)'));
  const offFailed = session.on('refreshFailed', () => log('event: refreshFailed (tokens kept)'));

  return {
    server,
    session,
    api,
    statePath() {
      const value = session.actor.getSnapshot().value;
      if (typeof value === 'string') return value;
      const [parent, child] = Object.entries(value)[0] ?? ['', ''];
      return typeof child === 'string' ? `${parent}.${child}` : parent;
    },
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
      unsubscribe();
      offExpired();
      offRefreshed();
      offFailed();
      detach();
      session.stop();
    },
  };
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const status = (error as { response?: { status?: number } }).response?.status;
    return status ? `${error.name} (HTTP ${status})` : error.name;
  }
  return String(error);
}
