// Typed per-request option, so that `axios.post(url, body, { skipAuth: true })` needs no cast.
declare module 'axios' {
  interface AxiosRequestConfig {
    /**
     * Send no token and never refresh on this request's 401: for the login and refresh calls
     * when they go through an attached instance.
     */
    skipAuth?: boolean | undefined;
  }
}

export {};
