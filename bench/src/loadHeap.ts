import { collectGarbage } from './collectGarbage.js';
import { round } from './figure.js';
import type { LoadHeap, LoadHeapSample } from './results.js';

/** `process.memoryUsage().heapUsed` after full collections (needs `node --expose-gc`), in bytes. */
export async function heapUsedAfterGc(): Promise<number> {
  await collectGarbage();
  await collectGarbage();
  return process.memoryUsage().heapUsed;
}

/**
 * The heap figures of a run from its samples in time order (the first before any request, the last
 * after every request settled): start, the sample nearest the middle of the run, end, growth, and
 * the least-squares slope over all of them.
 */
export function heapFigures(samples: readonly LoadHeapSample[], durationS: number, toleranceMB: number): LoadHeap {
  const first = samples[0];
  const last = samples.at(-1);
  if (!first || !last) throw new Error('load: no heap sample');
  const middle = samples.reduce((best, sample) =>
    Math.abs(sample.atS - durationS / 2) < Math.abs(best.atS - durationS / 2) ? sample : best,
  );
  const startMB = round(first.usedMB, 1);
  const endMB = round(last.usedMB, 1);
  return {
    samples: samples.map((sample) => ({ atS: round(sample.atS, 1), usedMB: round(sample.usedMB, 1) })),
    startMB,
    middleMB: round(middle.usedMB, 1),
    endMB,
    // From the rounded figures, so that the tables add up as printed.
    growthMB: round(endMB - startMB, 1),
    slopeKBPerS: round(slope(samples) * 1024, 1),
    toleranceMB,
  };
}

/** Least-squares slope of usedMB over atS, in MB/s; 0 for fewer than two distinct times. */
export function slope(samples: readonly LoadHeapSample[]): number {
  const n = samples.length;
  const meanT = samples.reduce((sum, sample) => sum + sample.atS, 0) / n;
  const meanM = samples.reduce((sum, sample) => sum + sample.usedMB, 0) / n;
  let covariance = 0;
  let variance = 0;
  for (const sample of samples) {
    covariance += (sample.atS - meanT) * (sample.usedMB - meanM);
    variance += (sample.atS - meanT) ** 2;
  }
  return variance === 0 ? 0 : covariance / variance;
}
