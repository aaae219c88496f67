import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { comparisonSizes, SIZES_END, SIZES_START, withComparisonSizes } from '../comparisonSizes.js';
import type { BenchResults, BundleResult } from '../results.js';

const root = join(import.meta.dirname, '..', '..', '..');
const read = (path: string): string => readFileSync(join(root, path), 'utf8');

const row = (name: string, sizeBytes: number): BundleResult['rows'][number] => ({
  name,
  percentOfBudget: 50,
  sizeBytes,
  budgetBytes: 2 * sizeBytes,
  passed: true,
});
const bundle: BundleResult = {
  rows: [
    row('@authmachine/core: own code (xstate excluded)', 9374),
    row('@authmachine/axios: own code (axios, rxjs, core excluded)', 1977),
    row('@authmachine/fetch: own code (core, xstate excluded)', 1343),
    row('typical app import: createAuthSession + attachAuth', 29145),
  ],
};

describe('the sizes on the comparison page', () => {
  it('agree with bench/results/latest.json (after a bench run, `pnpm --dir bench render-docs` rewrites them)', () => {
    const page = read('docs/comparison.md');
    const { bundle: measured } = JSON.parse(read('bench/results/latest.json')) as BenchResults;
    expect(page).toContain(`${SIZES_START}${comparisonSizes(measured)}${SIZES_END}`);
    expect(withComparisonSizes(page, measured)).toBe(page);
  });

  it("quote each package's own code in kB of 1,000 bytes, with one decimal, as size-limit counts them", () => {
    expect(comparisonSizes(bundle)).toBe(
      'core 9.4 kB + axios adapter 2.0 kB, plus xstate and rxjs (or fetch adapter 1.3 kB, no rxjs)',
    );
  });

  it('are replaced between the markers only, the row around them kept', () => {
    const page = `| a | b |\n| --- | --- |\n| Size | ${SIZES_START}core 1 kB${SIZES_END} | Smaller |\n\nAfter.\n`;
    expect(withComparisonSizes(page, bundle)).toBe(
      `| a | b |\n| --- | --- |\n| Size | ${SIZES_START}${comparisonSizes(bundle)}${SIZES_END} | Smaller |\n\nAfter.\n`,
    );
  });

  it('say what to fix when the markers or a size-limit entry are missing', () => {
    expect(() => withComparisonSizes('| Size | core 9.4 kB |', bundle)).toThrow(/has no <!-- sizes:start -->/);
    expect(() => comparisonSizes({ rows: bundle.rows.filter(({ name }) => !name.includes('fetch')) })).toThrow(
      /no size-limit entry named "@authmachine\/fetch: own code …"/,
    );
  });
});
