import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';

// What npm would publish, asked of npm itself: every public package's tarball has its README, its
// LICENSE and the built files its package.json points at, and no tests. The packages must be built
// first; the root `test` script builds them before the unit tests.
const root = import.meta.dirname;
const PACKAGES = ['core', 'axios-adapter', 'fetch-adapter', 'react-adapter'].map((dir) => ({ dir }));

interface PackageJson {
  name: string;
  private?: boolean;
  main?: string;
  module?: string;
  types?: string;
  exports?: unknown;
  license?: string;
  homepage?: string;
  keywords?: string[];
  bugs?: { url?: string };
  repository?: { type?: string; url?: string; directory?: string };
}

const readPackageJson = (dir: string): PackageJson =>
  JSON.parse(readFileSync(join(root, 'packages', dir, 'package.json'), 'utf8')) as PackageJson;

/** Every file path a package.json points at (`main`, `module`, `types`, every export target). */
function entryFiles(manifest: PackageJson): string[] {
  const targets = (value: unknown): string[] => {
    if (typeof value === 'string') return [value];
    if (value !== null && typeof value === 'object') return Object.values(value).flatMap(targets);
    return [];
  };
  const paths = [manifest.main, manifest.module, manifest.types, ...targets(manifest.exports)];
  return [...new Set(paths.filter((path): path is string => path !== undefined))].map((path) =>
    path.replace(/^\.\//, ''),
  );
}

async function packedFiles(dir: string): Promise<string[]> {
  const cwd = join(root, 'packages', dir);
  if (!existsSync(join(cwd, 'dist'))) {
    throw new Error(`packages/${dir}/dist is missing: run \`pnpm build\` before this test`);
  }
  const { stdout } = await promisify(execFile)('npm', ['pack', '--dry-run', '--json'], { cwd });
  const [pack] = JSON.parse(stdout) as Array<{ files: Array<{ path: string }> }>;
  return pack?.files.map((file) => file.path) ?? [];
}

// Packed once, side by side: each `npm pack` takes about a second.
let tarballs = new Map<string, string[]>();
beforeAll(async () => {
  tarballs = new Map(await Promise.all(PACKAGES.map(async ({ dir }) => [dir, await packedFiles(dir)] as const)));
}, 60_000);

describe.each(PACKAGES)('packages/$dir', ({ dir }) => {
  const manifest = readPackageJson(dir);

  it('is public and says where it comes from, where it is documented and where to report bugs', () => {
    expect(manifest.private).toBeUndefined();
    expect(manifest.license).toBe('MIT');
    expect(manifest.repository).toEqual({
      type: 'git',
      url: 'git+https://github.com/authmachine/authmachine.git',
      directory: `packages/${dir}`,
    });
    expect(manifest.homepage).toBe(`https://github.com/authmachine/authmachine/tree/main/packages/${dir}#readme`);
    expect(manifest.bugs).toEqual({ url: 'https://github.com/authmachine/authmachine/issues' });
    expect(manifest.keywords).toEqual(expect.arrayContaining(['jwt', 'refresh-token', 'auth', 'xstate']));
  });

  it('packs its README, LICENSE, package.json and every entry file, and no tests', () => {
    const files = tarballs.get(dir) ?? [];
    const entries = entryFiles(manifest);
    expect(entries).toEqual(expect.arrayContaining(['dist/index.js', 'dist/index.cjs', 'dist/index.d.ts']));
    expect(files).toEqual(expect.arrayContaining(['README.md', 'LICENSE', 'package.json', ...entries]));
    expect(files.filter((path) => /__tests__|\.generated/.test(path))).toEqual([]);
  });
});
