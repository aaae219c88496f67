import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { authMachine } from '@authmachine/core';
import { toMermaid } from './machineDiagram.js';

// `pnpm --dir docs diagram`: redraws the machine page's diagram from authMachine itself. A unit test
// fails when the committed file differs from what this writes, so the page cannot show a stale machine.
export const DIAGRAM_FILE = join(import.meta.dirname, '..', 'generated', 'authMachine.mmd');

writeFileSync(DIAGRAM_FILE, toMermaid(authMachine));
console.log(`wrote ${DIAGRAM_FILE}`);
