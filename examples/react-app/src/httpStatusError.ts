/**
 * A non-2xx answer to a fetch call, thrown because fetch itself resolves on HTTP errors. It carries
 * `status` and the parsed body as `data`: the shape the session's default `isSessionEnded` reads,
 * so a refresh answered 400 `invalid_grant` ends the session as it does with axios.
 */
export class HttpStatusError extends Error {
  override readonly name = 'HttpStatusError';
  readonly status: number;
  readonly data: unknown;

  constructor(status: number, method: string, path: string, data: unknown) {
    super(`HTTP ${status} (${method} ${path})`);
    this.status = status;
    this.data = data;
  }
}
