import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The published packages, as `pnpm bench` measures them. */
export const MEASURED_PACKAGES = [
  '@authmachine/core',
  '@authmachine/axios',
  '@authmachine/fetch',
  '@authmachine/react',
];

/**
 * Builds the packages from their current source before anything is measured. The benchmarks import
 * them by name without the source condition, so they run the built `dist/` a user installs: run
 * through tsx instead, the sources pay for its `keepNames` (a `__name()` call and an own `name`
 * property on every closure made): a request waiting in core's `waitUntilSettled` held 2.5 kB
 * there against 0.95 kB built, a cost no library read from node_modules pays.
 */
export function buildPackages(): void {
  const filters = MEASURED_PACKAGES.flatMap((name) => ['--filter', name]);
  execFileSync('pnpm', [...filters, '--silent', 'run', 'build'], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}
