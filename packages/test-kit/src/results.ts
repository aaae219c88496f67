/** Fires every request at once; the returned promise never rejects, so no rejection goes unhandled. */
export function inParallel<T>(
  count: number,
  request: (index: number) => Promise<T>,
): Promise<PromiseSettledResult<T>[]> {
  return Promise.allSettled(Array.from({ length: count }, (_, index) => request(index)));
}

/** The values of results that must all have resolved. */
export function valuesOf<T>(results: PromiseSettledResult<T>[]): T[] {
  return results.map((result, index) => {
    if (result.status === 'rejected') throw new Error(`Request ${index} rejected: ${describe(result.reason)}`);
    return result.value;
  });
}

/** The errors of results that must all have rejected. */
export function reasonsOf(results: PromiseSettledResult<unknown>[]): unknown[] {
  return results.map((result, index) => {
    if (result.status === 'fulfilled') throw new Error(`Request ${index} resolved, a rejection was expected`);
    return result.reason;
  });
}

/** The error a single request rejected with. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  const [result] = await Promise.allSettled([promise]);
  return reasonsOf(result ? [result] : [])[0];
}

function describe(value: unknown): string {
  return value instanceof Error ? `${value.name}: ${value.message}` : String(value);
}
