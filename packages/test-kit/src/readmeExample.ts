import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const README = join(dirname(fileURLToPath(import.meta.url)), '../../../README.md');

/**
 * Writes the code block after `<!-- <marker>` (a ```ts or ```tsx block) in `readme` (the root
 * README.md unless told, e.g. a package's own README) to `file`, so a test can import it and run
 * exactly what users copy. Returns the file's path.
 */
export function writeReadmeExample(marker: string, file: string, readme: string = README): string {
  const markdown = readFileSync(readme, 'utf8');
  const start = markdown.indexOf(`<!-- ${marker}`);
  const block = /```tsx?\n([\s\S]*?)```/.exec(markdown.slice(start));
  if (start === -1 || !block?.[1]) throw new Error(`${readme} has no code block after the ${marker} marker`);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, block[1]);
  return file;
}
