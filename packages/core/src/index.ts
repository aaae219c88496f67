export type {
  AuthMachineConfig,
  AuthMachineContext,
  AuthMachineEmitted,
  AuthMachineEvent,
  AuthMachineInput,
} from './authMachine.js';
export { authMachine } from './authMachine.js';
export type { AuthSnapshot } from './authState.js';
export { toAuthState, toServerAuthState } from './authState.js';
export { createAuthSession } from './createAuthSession.js';
export type { CrossTabLocks } from './crossTab/refreshLock.js';
export { inProcessLocks } from './crossTab/refreshLock.js';
export type { CrossTabChannel } from './crossTab/tabChannel.js';
export type { FocusManager } from './environment/focusManager.js';
export { focusManager } from './environment/focusManager.js';
export type { OnlineManager } from './environment/onlineManager.js';
export { onlineManager } from './environment/onlineManager.js';
export type { AuthErrorCode } from './errors.js';
export {
  AuthError,
  InvalidTokenResponseError,
  SessionExpiredError,
  TokenRefreshError,
} from './errors.js';
export type { SessionInspector } from './inspection.js';
export { isSessionEndedByDefault } from './isSessionEnded.js';
export { decodeJwtClaims, decodeJwtExpiry } from './jwt.js';
export type { OAuth2RefreshOptions } from './oauth2/oauth2Refresh.js';
export { oauth2Refresh } from './oauth2/oauth2Refresh.js';
export type { OAuth2RevokeOptions } from './oauth2/oauth2Revoke.js';
export { oauth2Revoke } from './oauth2/oauth2Revoke.js';
export type { OAuthClientOptions, OAuthErrorBody } from './oauth2/oauthClient.js';
export { OAuthResponseError } from './oauth2/oauthClient.js';
export { checkSession, warnUnknownOptions } from './optionChecks.js';
export type { AuthHeaderFormat } from './requests/adapterOptions.js';
export { checkQueueTimeout, toAuthHeaderFormat } from './requests/adapterOptions.js';
export { isTokenRejection } from './requests/isTokenRejection.js';
export type { OriginPolicy, OriginPolicyOptions } from './requests/originPolicy.js';
export { createOriginPolicy } from './requests/originPolicy.js';
export type { RequestDecision, RequestWait } from './requests/requestOutcome.js';
export {
  advanceWait,
  beginWait,
  decideAfterRejection,
  decideBeforeSending,
  isHeld,
  queueTimeoutError,
  sessionStoppedError,
} from './requests/requestOutcome.js';
export type { StateChanges, StateObserver } from './requests/stateChanges.js';
export { stateChangesOf } from './requests/stateChanges.js';
export type { SettleOptions, StretchListener } from './requests/waitUntilSettled.js';
export { joinSettlement, waitUntilSettled } from './requests/waitUntilSettled.js';
export { warnTokenWithheld } from './requests/withheldTokenWarning.js';
export type { WebStorageLike } from './storage.js';
export { DEFAULT_STORAGE_KEY, memoryStorage, webStorage } from './storage.js';
export type {
  AuthEventMap,
  AuthEventName,
  AuthSession,
  AuthSessionOptions,
  AuthState,
  AuthStatus,
  CrossTabOptions,
  OAuthTokenResponse,
  RefreshContext,
  RevokeContext,
  ServerAuthState,
  SessionTokens,
  TokenResult,
  TokenSet,
  TokenStorage,
  WaitOptions,
} from './types.js';
