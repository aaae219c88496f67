import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { withComparisonSizes } from './comparisonSizes.js';
import { renderRefreshStormSvg } from './refreshStormChart.js';
import { CHART_FILE_NAME, renderDocsPage } from './renderDocsPage.js';
import type { BenchResults } from './results.js';

const DOCS = new URL('../../docs/', import.meta.url);
const RESULTS = new URL('../results/latest.json', import.meta.url);

/**
 * Writes docs/benchmarks.md and docs/public/bench-refresh-storm.svg, and the measured sizes into
 * docs/comparison.md (the rest of that page is written by hand); returns their paths.
 */
export async function writeDocsPage(results: BenchResults): Promise<string[]> {
  const page = fileURLToPath(new URL('benchmarks.md', DOCS));
  const chart = fileURLToPath(new URL(`public/${CHART_FILE_NAME}`, DOCS));
  const comparison = fileURLToPath(new URL('comparison.md', DOCS));
  await mkdir(fileURLToPath(new URL('public/', DOCS)), { recursive: true });
  await writeFile(page, renderDocsPage(results));
  await writeFile(chart, renderRefreshStormSvg(results.refreshStorm));
  await writeFile(comparison, withComparisonSizes(await readFile(comparison, 'utf8'), results.bundle));
  return [page, chart, comparison];
}

// `pnpm --dir bench render-docs`: regenerate the docs from the committed reference run, without measuring.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const results = JSON.parse(await readFile(RESULTS, 'utf8')) as BenchResults;
  for (const path of await writeDocsPage(results)) console.log(`wrote ${path}`);
}
