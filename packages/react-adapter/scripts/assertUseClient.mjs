// esbuild keeps the entry file's 'use client' and drops the other modules' when it bundles them:
// fail the package check if a build ever ships without it, since React Server Components need it
// at the top of the file they import.
import { readFileSync } from 'node:fs';

const bundles = ['dist/index.js', 'dist/index.cjs'];
const directive = /^(?:\s*(?:"use strict"|'use strict');?)?\s*(?:"use client"|'use client');?/;

const missing = bundles.filter((file) => !directive.test(readFileSync(new URL(`../${file}`, import.meta.url), 'utf8')));
if (missing.length > 0) {
  console.error(`'use client' is not the first statement of ${missing.join(', ')}.`);
  process.exit(1);
}
console.log(`'use client' leads ${bundles.join(' and ')}.`);
