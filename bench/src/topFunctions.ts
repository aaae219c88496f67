import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** The parts of a V8 `.cpuprofile` this reads. */
interface CpuProfile {
  nodes: Array<{ id: number; callFrame: { functionName: string; url: string; lineNumber: number } }>;
  samples: number[];
  timeDeltas: number[];
}

/**
 * `pnpm --dir bench profile:top [dir] [count]`: the functions with the most self time in the
 * newest run's largest `.cpuprofile` in `dir` (node writes one per thread; the main thread's is
 * the largest), and the same summed per package.
 */
const [dir = 'node_modules/.cpu-profiles', count = '25'] = process.argv.slice(2);
// CPU.<date>.<time>.<pid>.<thread>.<seq>.cpuprofile: the newest run's files, its largest first.
const runOf = (path: string): string => path.split('.').slice(1, 4).join('.');
const all = readdirSync(dir)
  .filter((name) => name.endsWith('.cpuprofile'))
  .map((name) => join(dir, name))
  .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
const files = all
  .filter((path) => all[0] !== undefined && runOf(path) === runOf(all[0]))
  .sort((a, b) => statSync(b).size - statSync(a).size);
if (!files[0]) throw new Error(`no .cpuprofile in ${dir}`);
const profile = JSON.parse(readFileSync(files[0], 'utf8')) as CpuProfile;
const frames = new Map(profile.nodes.map((node) => [node.id, node.callFrame]));

const byFunction = new Map<string, number>();
const byPackage = new Map<string, number>();
let total = 0;
profile.samples.forEach((id, i) => {
  const frame = frames.get(id);
  const micros = profile.timeDeltas[i] ?? 0;
  total += micros;
  const file = (frame?.url ?? '')
    .replace(/^.*node_modules\/\.pnpm\/[^/]+\/node_modules\//, '')
    .replace(/^file:\/\/.*?\/(packages|bench)\//, '$1/');
  const name = `${frame?.functionName || '(anonymous)'} ${file}${file ? `:${(frame?.lineNumber ?? 0) + 1}` : ''}`;
  byFunction.set(name, (byFunction.get(name) ?? 0) + micros);
  const pkg = /^packages\/([^/]+)/.exec(file)?.[1] ?? (file.split('/')[0] || name);
  byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + micros);
});
const print = (rows: Map<string, number>, limit: number): void => {
  for (const [name, micros] of [...rows].sort((a, b) => b[1] - a[1]).slice(0, limit)) {
    console.log(
      `${((100 * micros) / total).toFixed(1).padStart(5)} %  ${(micros / 1000).toFixed(0).padStart(6)} ms  ${name}`,
    );
  }
};
console.log(`${files[0]}: ${(total / 1000).toFixed(0)} ms sampled\n\nself time per function`);
print(byFunction, Number(count));
console.log('\nself time per package');
print(byPackage, 12);
