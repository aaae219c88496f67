import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { round } from './figure.js';
import type { BundleResult } from './results.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BUILT_ENTRIES = [
  'packages/core/dist/index.js',
  'packages/axios-adapter/dist/index.js',
  'packages/react-adapter/dist/index.js',
];

interface SizeLimitEntry {
  name: string;
  passed: boolean;
  size: number;
  sizeLimit?: number;
}

/**
 * Benchmark 4: the budgets of the root `.size-limit.json` (the ones `pnpm test` enforces), measured
 * by size-limit itself on the built packages, min + gzip. Builds the packages first when a fresh
 * clone has no `dist/` yet.
 */
export function runBundleSize(): BundleResult {
  if (BUILT_ENTRIES.some((entry) => !existsSync(`${ROOT}${entry}`))) {
    execFileSync('pnpm', ['--silent', 'run', 'build'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  }
  // size-limit exits 1 when a budget is exceeded, and still prints every entry.
  const { stdout, stderr } = spawnSync(`${ROOT}node_modules/.bin/size-limit`, ['--json'], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  let entries: SizeLimitEntry[];
  try {
    entries = JSON.parse(stdout) as SizeLimitEntry[];
  } catch {
    throw new Error(`size-limit printed no JSON:\n${stdout}${stderr}`);
  }
  return {
    rows: entries.map((entry) => {
      const budgetBytes = entry.sizeLimit ?? Number.NaN;
      return {
        name: entry.name,
        percentOfBudget: round((100 * entry.size) / budgetBytes, 1),
        sizeBytes: entry.size,
        budgetBytes,
        passed: entry.passed,
      };
    }),
  };
}
