import './axiosAugmentation.js';

export { attachAuth } from './attachAuth.js';
export { isTokenRejected } from './isTokenRejected.js';
export type { AttachAuthOptions, DetachAuth } from './types.js';
