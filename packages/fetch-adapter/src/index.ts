export { createAuthFetch } from './createAuthFetch.js';
export { SKIP_AUTH_HEADER, skipAuth } from './skipAuth.js';
export type { AuthFetchOptions } from './types.js';
