import type { AdapterDriver } from '../adapterDriver.js';
import { abortAndTimeout } from './abortAndTimeout.js';
import { deadTokens } from './deadTokens.js';
import { oneRefresh } from './oneRefresh.js';
import { sessionEnd } from './sessionEnd.js';
import { suiteContext } from './suiteContext.js';
import { tokenScope } from './tokenScope.js';
import { waitingRequests } from './waitingRequests.js';

/**
 * The behaviour every HTTP adapter of a session owes its users, in the driver's client's terms:
 * requests wait during restore and refresh, N 401s make one refresh, a token known to be dead is
 * never sent, late 401s and retries, the
 * end of a session and transient failures, aborts and queueTimeout, which origins get the token and
 * which answers refresh. A new adapter writes its driver and calls this in one test file.
 */
export function describeAdapterSuite(driver: AdapterDriver): void {
  const context = suiteContext(driver);
  waitingRequests(context);
  oneRefresh(context);
  deadTokens(context);
  sessionEnd(context);
  abortAndTimeout(context);
  tokenScope(context);
}
