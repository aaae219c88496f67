import { execFileSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchResults } from './results.js';
import { writeDocsPage } from './writeDocsPage.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const RESULTS_FILE = fileURLToPath(new URL('../results/latest.json', import.meta.url));

/** Writes the reference run (formatted as Biome wants it) and the docs generated from it. */
export async function writeResults(results: BenchResults): Promise<string[]> {
  await mkdir(dirname(RESULTS_FILE), { recursive: true });
  await writeFile(RESULTS_FILE, `${JSON.stringify(results, null, 2)}\n`);
  execFileSync(`${ROOT}node_modules/.bin/biome`, ['format', '--write', RESULTS_FILE], { cwd: ROOT, stdio: 'ignore' });
  const written = [RESULTS_FILE, ...(await writeDocsPage(results))];
  return written.map((path) => relative(ROOT, path));
}
