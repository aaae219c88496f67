import type { BundleResult } from './results.js';

export const SIZES_START = '<!-- sizes:start -->';
export const SIZES_END = '<!-- sizes:end -->';

/** How the comparison page names each package, and the start of its entry in `.size-limit.json`. */
const OWN_CODE = {
  core: '@authmachine/core: own code',
  axios: '@authmachine/axios: own code',
  fetch: '@authmachine/fetch: own code',
} as const;

/** size-limit's kB is 1,000 bytes (its budgets read "9.5 kB" as 9,500): one decimal, as the page quotes it. */
function ownCodeSize(bundle: BundleResult, entry: keyof typeof OWN_CODE): string {
  const row = bundle.rows.find(({ name }) => name.startsWith(OWN_CODE[entry]));
  if (!row) {
    throw new Error(
      `The bundle results have no size-limit entry named "${OWN_CODE[entry]} …": keep that name in .size-limit.json, or update bench/src/comparisonSizes.ts.`,
    );
  }
  return `${(row.sizeBytes / 1000).toFixed(1)} kB`;
}

/** The "Size, own code, min+gzip" cell of authmachine's column in docs/comparison.md. */
export function comparisonSizes(bundle: BundleResult): string {
  return `core ${ownCodeSize(bundle, 'core')} + axios adapter ${ownCodeSize(bundle, 'axios')}, plus xstate and rxjs (or fetch adapter ${ownCodeSize(bundle, 'fetch')}, no rxjs)`;
}

/**
 * docs/comparison.md with the sizes between its markers measured by size-limit, so the page never
 * quotes a size by hand. The markers sit inside the table cell: a comment on a line of its own
 * would end the table.
 */
export function withComparisonSizes(page: string, bundle: BundleResult): string {
  const start = page.indexOf(SIZES_START);
  const end = page.indexOf(SIZES_END, start);
  if (start === -1 || end === -1) {
    throw new Error(
      `docs/comparison.md has no ${SIZES_START} … ${SIZES_END} markers: put them around the sizes in the "Size, own code, min+gzip" row.`,
    );
  }
  return `${page.slice(0, start + SIZES_START.length)}${comparisonSizes(bundle)}${page.slice(end)}`;
}
