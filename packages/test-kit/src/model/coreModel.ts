/*
 * authMachine as a test model, and the session test doubles, are the core's own test supports:
 * the core's model test walks the same model. The core cannot depend on this kit (the kit depends
 * on the core), so this one file reaches into the core's tests, and everything else imports it.
 */
export {
  BACKOFF_ELAPSED,
  contextOf,
  HOUR,
  LOGIN_DONE,
  LOGIN_ERROR,
  MAX_TIMER_DELAY,
  type ModelSnapshot,
  machineGraph,
  modelMachine,
  modelTimer,
  PROACTIVE_TIMER,
  REFRESH_DONE,
  REFRESH_ERROR,
  REFRESH_TIMED_OUT,
  RESTORE_DONE,
  RESTORE_ERROR,
  refreshStartedBy,
  stateIdsOf,
  stateValueOf,
  T0,
  topLevelState,
  transitionKey,
} from './authMachineModel.js';
export {
  createRecordingStorage,
  type RecordingStorage,
  type Tracked,
  trackPromise,
} from './sessionHarness.js';
