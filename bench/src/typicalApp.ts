// What a typical app imports: a session and the axios adapter. `.size-limit.json` measures this
// file with xstate and rxjs bundled and axios left out (the app has axios whatever it picks).
export { attachAuth } from '@authmachine/axios';
export { createAuthSession } from '@authmachine/core';
