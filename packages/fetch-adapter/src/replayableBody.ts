/**
 * How a call is sent again after a refresh: the same input and body. Strings, `URLSearchParams`,
 * `FormData`, `Blob`, `ArrayBuffer` and typed arrays are read by fetch without being used up, so
 * the same init goes out twice; a `Request` with a body is cloned before its first send. A
 * `ReadableStream` is read once by the first send: no retry (the call gets its 401 `Response`).
 */
export interface CallInput {
  input: RequestInfo | URL;
  init: RequestInit;
}

export interface ReplayPlan {
  /** What to send first. */
  first: CallInput;
  /** What to send on the retry, or null when its body cannot be sent twice. */
  retry: CallInput | null;
}

export function planReplay(input: RequestInfo | URL, init: RequestInit): ReplayPlan {
  const first = { input, init };
  if (init.body !== undefined && init.body !== null) {
    return { first, retry: isReadableStream(init.body) ? null : first };
  }
  if (input instanceof Request && input.body !== null) {
    // The original keeps its body for the retry; the first send reads a tee of it.
    if (input.bodyUsed) return { first, retry: null };
    return { first: { input: input.clone(), init }, retry: first };
  }
  return { first, retry: first };
}

function isReadableStream(body: BodyInit): boolean {
  return typeof ReadableStream !== 'undefined' && body instanceof ReadableStream;
}
