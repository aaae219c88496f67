/** A few requests one session starts at once, `atMs` after the run began. */
export interface Burst {
  atMs: number;
  size: number;
}

/**
 * One session's requests as bursts of 1 to `maxBurst` concurrent requests at random moments over
 * `durationMs`, in time order: with tokens living about a second, some bursts start just before an
 * expiry and are still in flight after it, others find the token expired.
 */
export function planBursts(requests: number, durationMs: number, maxBurst: number, random: () => number): Burst[] {
  const sizes: number[] = [];
  for (let left = requests; left > 0; ) {
    const size = Math.min(left, 1 + Math.floor(random() * maxBurst));
    sizes.push(size);
    left -= size;
  }
  const times = sizes.map(() => Math.floor(random() * durationMs)).sort((a, b) => a - b);
  return sizes.map((size, index) => ({ atMs: times[index] ?? 0, size }));
}
