import type { AuthSession } from '@authmachine/core';

/**
 * What a user of an HTTP client sees of one call, the same for every client: a response (also an
 * HTTP error, which axios rejects with and fetch resolves with), an abort (axios' CanceledError,
 * fetch's `signal.reason`), or an error (the library's SessionExpiredError, TokenRefreshError,
 * AuthError QUEUE_TIMEOUT, or the transport's own failure).
 */
export type CallOutcome =
  | { kind: 'response'; ok: boolean; status: number; data: unknown }
  | { kind: 'aborted' }
  | { kind: 'failed'; error: unknown };

export interface CallOptions {
  signal?: AbortSignal;
  /** Send this call without the session's token (the client's own way: `skipAuth`, a header). */
  skipAuth?: boolean;
}

/** A client connected to a session. Paths are relative to `API_ORIGIN`, or absolute URLs. */
export interface AdapterClient {
  get(path: string, options?: CallOptions): Promise<CallOutcome>;
  post(path: string, body: unknown, options?: CallOptions): Promise<CallOutcome>;
  /** Disconnects the adapter from the session, for adapters that hold something (interceptors). */
  detach?(): void;
}

/**
 * Sees every HTTP call the client hands to its transport (the retries and the skipAuth calls
 * too): `sent()` returns headers to add to the call, and a function to call once the transport
 * settled it. The model test tells from it when nothing is on the wire any more.
 */
export interface TransportProbe {
  sent(): { headers: Record<string, string>; settled(): void };
}

export interface ConnectOptions {
  /** Default: `[API_ORIGIN]`. */
  allowedOrigins?: string[];
  queueTimeout?: number;
  transport?: TransportProbe;
}

/** How the shared suite and model test drive one adapter: connect it, then make calls. */
export interface AdapterDriver {
  /** Names the adapter in test titles. */
  name: string;
  /** Never throws for a call: every call resolves to its `CallOutcome`. */
  connect(session: AuthSession, options?: ConnectOptions): AdapterClient;
}
