/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** The auth server's origin, fixed at build time; `?server=` in the page's URL overrides it. */
  readonly VITE_AUTH_SERVER_URL?: string;
}
