const gc = (globalThis as { gc?: () => void }).gc;

/** Whether the run can measure the heap: `node --expose-gc` (as `pnpm bench` starts it). */
export const canCollectGarbage = typeof gc === 'function';

/**
 * A full collection, twice, with a macrotask between: objects freed by the first one's finalizers
 * and promise callbacks still queued are gone by the second. A no-op without `--expose-gc`.
 */
export async function collectGarbage(): Promise<void> {
  if (!gc) return;
  gc();
  await new Promise((resolve) => setImmediate(resolve));
  gc();
}
