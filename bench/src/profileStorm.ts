import { median } from './figure.js';
import { STORM_SETUPS, stormOnce } from './refreshStorm.js';

/**
 * `pnpm --dir bench profile:storm [set-up id] [N] [runs]`: one set-up's refresh storm alone, under
 * `node --cpu-prof` (node_modules/.cpu-profiles/), for `topFunctions.ts` to read. Two warm-up storms first,
 * so the profile shows the storm, not the JIT.
 */
const [id = 'authmachine', n = '10000', runs = '5'] = process.argv.slice(2);
const setup = STORM_SETUPS.find((candidate) => candidate.id === id);
if (!setup) {
  console.error(`unknown set-up "${id}"; one of: ${STORM_SETUPS.map((candidate) => candidate.id).join(', ')}`);
  process.exit(1);
}
for (let i = 0; i < 2; i++) await stormOnce(setup, Number(n), 20);
const times: number[] = [];
for (let i = 0; i < Number(runs); i++) {
  const figures = await stormOnce(setup, Number(n), 20);
  if (figures.refreshCalls !== 1 || figures.succeeded !== Number(n))
    throw new Error(`storm failed: ${JSON.stringify(figures)}`);
  times.push(figures.settleMs);
}
console.log(
  `${setup.label}, N = ${n}: median ${median(times).toFixed(1)} ms (${times.map((ms) => ms.toFixed(0)).join(', ')})`,
);
