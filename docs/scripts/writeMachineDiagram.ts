import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { authMachine } from '@authmachine/core';
import { toMachineGraph } from './machineDiagram.js';

// `pnpm --dir docs diagram`: rewrites the data the machine page draws, from authMachine itself. A unit
// test fails when the committed file differs from what this writes, so the page cannot show a stale machine.
export const DIAGRAM_FILE = join(import.meta.dirname, '..', 'generated', 'authMachine.json');

writeFileSync(DIAGRAM_FILE, `${JSON.stringify(toMachineGraph(authMachine), null, 2)}\n`);
console.log(`wrote ${DIAGRAM_FILE}`);
