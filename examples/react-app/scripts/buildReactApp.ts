import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'vite';

const APP_ROOT = join(import.meta.dirname, '..');

/**
 * Builds the React example with its own Vite config into a fresh folder, from the packages' source
 * (nothing needs building first). Used by `pnpm demo --serve` and the browser tests.
 */
export async function buildReactApp(): Promise<string> {
  const outDir = mkdtempSync(join(tmpdir(), 'authmachine-react-app-'));
  await build({ root: APP_ROOT, logLevel: 'error', build: { outDir, emptyOutDir: true } });
  return outDir;
}
