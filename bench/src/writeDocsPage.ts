import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { renderRefreshStormSvg } from './refreshStormChart.js';
import { CHART_FILE_NAME, renderDocsPage } from './renderDocsPage.js';
import type { BenchResults } from './results.js';

const DOCS = new URL('../../docs/', import.meta.url);
const RESULTS = new URL('../results/latest.json', import.meta.url);

/** Writes docs/benchmarks.md and docs/public/bench-refresh-storm.svg; returns their paths. */
export async function writeDocsPage(results: BenchResults): Promise<string[]> {
  const page = fileURLToPath(new URL('benchmarks.md', DOCS));
  const chart = fileURLToPath(new URL(`public/${CHART_FILE_NAME}`, DOCS));
  await mkdir(fileURLToPath(new URL('public/', DOCS)), { recursive: true });
  await writeFile(page, renderDocsPage(results));
  await writeFile(chart, renderRefreshStormSvg(results.refreshStorm));
  return [page, chart];
}

// `pnpm --dir bench render-docs`: regenerate the page from the committed reference run, without measuring.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const results = JSON.parse(await readFile(RESULTS, 'utf8')) as BenchResults;
  for (const path of await writeDocsPage(results)) console.log(`wrote ${path}`);
}
