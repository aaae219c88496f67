export type {
  AdapterClient,
  AdapterDriver,
  CallOptions,
  CallOutcome,
  ConnectOptions,
  TransportProbe,
} from './adapterDriver.js';
export { type AdapterScenario, type ScenarioOptions, startScenario } from './adapterScenario.js';
export { HttpStatusError, NoResponseError, tokensOf } from './callErrors.js';
export { type Deferred, deferred } from './deferred.js';
export {
  API_ORIGIN,
  FakeAuthApi,
  OTHER_ORIGIN,
  type RefreshBehaviour,
  type SeenApiRequest,
  type SeenRefresh,
} from './fakeAuthApi.js';
export { type HeldEndpoint, heldEndpoint } from './heldEndpoint.js';
export { type HeldRefresh, holdRefreshWithWaiters } from './heldRefresh.js';
export { describeAdapterModel } from './model/describeAdapterModel.js';
export { ABORTED, dataFor, errorOf, failedWith, httpError, range, seenFor, track, UNAUTHORIZED } from './outcomes.js';
export { writeReadmeExample } from './readmeExample.js';
export { inParallel, reasonsOf, rejectionOf, valuesOf } from './results.js';
export { describeAdapterSuite } from './suite/describeAdapterSuite.js';
export { untilStatus } from './untilStatus.js';
export { type FakeAuthServer, useFakeAuthServer } from './useFakeAuthServer.js';
export { type ReadmeApiSeen, useReadmeApi } from './useReadmeApi.js';
export { countTokenRejections, pause, recordStatuses, until, untilIo } from './waiting.js';
