export type { TokenResponse } from './authRoutes.js';
export type { AuthApp } from './createAuthApp.js';
export { createAuthApp } from './createAuthApp.js';
export type { AuthServerOptions, FallbackHandler } from './serverOptions.js';
export type { AuthServerStats } from './serverStats.js';
export type { RunningAuthServer } from './startAuthServer.js';
export { startAuthServer } from './startAuthServer.js';
export type { DemoUser } from './users.js';
export { DEFAULT_USERS } from './users.js';
