import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// The API reference is written by hand, so this test keeps it complete: every name a package's
// index.ts exports must have its own `### name` entry on that package's page.
const root = join(import.meta.dirname, '..', '..', '..');
const PAGES = [
  { entry: 'packages/core/src/index.ts', page: 'docs/api/core.md' },
  { entry: 'packages/axios-adapter/src/index.ts', page: 'docs/api/axios.md' },
  { entry: 'packages/fetch-adapter/src/index.ts', page: 'docs/api/fetch.md' },
  { entry: 'packages/react-adapter/src/index.ts', page: 'docs/api/react.md' },
];

export function exportedNames(source: string): string[] {
  const names: string[] = [];
  for (const match of source.matchAll(/export\s+(?:type\s+)?\{([^}]*)\}/g)) {
    for (const part of (match[1] ?? '').split(',')) {
      const name = part
        .trim()
        .split(/\s+as\s+/)
        .at(-1)
        ?.trim();
      if (name) names.push(name);
    }
  }
  return names;
}

describe('the API reference on the docs site', () => {
  it.each(PAGES)('$page has an entry for every export of $entry', ({ entry, page }) => {
    const names = exportedNames(readFileSync(join(root, entry), 'utf8'));
    const headings = new Set(
      [...readFileSync(join(root, page), 'utf8').matchAll(/^### (\S+)$/gm)].map((match) => match[1]),
    );
    expect(names.length).toBeGreaterThan(3);
    expect(names.filter((name) => !headings.has(name))).toEqual([]);
    // And no entry for a name that is no longer exported (`skipAuth` is axios' config, augmented).
    expect([...headings].filter((heading) => !names.includes(heading ?? '') && heading !== 'skipAuth')).toEqual([]);
  });

  it('reads both value and type export lists', () => {
    expect(exportedNames("export { a, b as c } from './x.js';\nexport type { D } from './y.js';")).toEqual([
      'a',
      'c',
      'D',
    ]);
  });
});
