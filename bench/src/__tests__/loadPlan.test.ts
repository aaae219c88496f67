import { describe, expect, it } from 'vitest';
import { planBursts } from '../loadPlan.js';
import { seededRandom } from '../seededRandom.js';

describe('planBursts', () => {
  const plan = planBursts(200, 30_000, 5, seededRandom(15));

  it('plans every request, in bursts of 1 to maxBurst', () => {
    expect(plan.reduce((sum, burst) => sum + burst.size, 0)).toBe(200);
    for (const burst of plan) expect(burst.size).toBeGreaterThanOrEqual(1);
    for (const burst of plan) expect(burst.size).toBeLessThanOrEqual(5);
    // Sizes 1-5 average 3: about 67 bursts, so bursts of several sizes occur.
    expect(new Set(plan.map((burst) => burst.size)).size).toBeGreaterThan(3);
  });

  it('spreads the bursts over the duration, in time order', () => {
    const times = plan.map((burst) => burst.atMs);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(times[0]).toBeGreaterThanOrEqual(0);
    expect(times.at(-1)).toBeLessThan(30_000);
    // Jittered: the first and last bursts are near the ends, not bunched.
    expect(times[0]).toBeLessThan(3_000);
    expect(times.at(-1)).toBeGreaterThan(27_000);
  });

  it('is the same plan for the same seed, another for another', () => {
    expect(planBursts(200, 30_000, 5, seededRandom(15))).toEqual(plan);
    expect(planBursts(200, 30_000, 5, seededRandom(16))).not.toEqual(plan);
  });
});

describe('seededRandom', () => {
  it('gives numbers in [0, 1)', () => {
    const random = seededRandom(1);
    const values = Array.from({ length: 1000 }, random);
    expect(Math.min(...values)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...values)).toBeLessThan(1);
    expect(new Set(values).size).toBe(1000);
  });
});
