import type { AdapterDriver } from '../adapterDriver.js';
import { type AdapterScenario, type ScenarioOptions, startScenario } from '../adapterScenario.js';
import { type FakeAuthServer, useFakeAuthServer } from '../useFakeAuthServer.js';

/** What every part of the shared suite gets: the adapter's driver, and a fresh scenario per test. */
export interface SuiteContext {
  driver: AdapterDriver;
  server: FakeAuthServer;
  start(options?: ScenarioOptions): Promise<AdapterScenario>;
}

export function suiteContext(driver: AdapterDriver): SuiteContext {
  const server = useFakeAuthServer();
  return { driver, server, start: (options) => startScenario(driver, server, options) };
}
