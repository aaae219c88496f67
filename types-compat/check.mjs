// pnpm check:types: compiles src/consumer.ts against the built packages (dist .d.ts, as npm ships
// them: no `@authmachine/source` condition here) with every supported TypeScript, for each module
// resolution an app may use, and skipLibCheck off. Run after `pnpm build`. Prints one line per
// compile and exits 1 if any failed.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const require = createRequire(import.meta.url);
// `typescript-7` is the native compiler: its package has the same `bin/tsc` entry, which starts the binary.
const compilers = ['typescript-5.9', 'typescript', 'typescript-7'];
const projects = { 'tsconfig.json': 'bundler', 'tsconfig.nodenext.json': 'nodenext' };
const packageNames = ['@authmachine/core', '@authmachine/axios', '@authmachine/fetch', '@authmachine/react'];
/**
 * Errors that are not ours, and that every app with these settings gets as soon as it imports the
 * package at all: xstate's own setup.d.ts does not compile under exactOptionalPropertyTypes with
 * skipLibCheck off (a file holding only `import type { AnyActorRef } from 'xstate'` gets them; its
 * support of that setting is an open issue, statelyai/xstate#4613). Any other error, in any file, fails the check.
 */
const upstream = [
  {
    name: 'xstate',
    file: /\/xstate\/dist\/declarations\/src\/setup\.d\.ts$/,
    code: 'TS2344',
    why: 'cf. statelyai/xstate#4613',
  },
];

let failed = 0;
for (const compiler of compilers) {
  const manifestPath = require.resolve(`${compiler}/package.json`);
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  const tsc = join(dirname(manifestPath), typeof manifest.bin === 'string' ? manifest.bin : manifest.bin.tsc);
  for (const [project, resolution] of Object.entries(projects)) {
    const run = spawnSync(process.execPath, [tsc, '--noEmit', '--pretty', 'false', '--listFiles', '-p', project], {
      cwd: here,
      encoding: 'utf8',
    });
    const { files, diagnostics } = parse(`${run.stdout}${run.stderr}`);
    const tolerated = diagnostics.filter(isUpstream);
    const problems = [...diagnostics.filter((diagnostic) => !isUpstream(diagnostic)), ...wrongDeclarations(files)];
    // tsc exits non-zero for the tolerated errors too: only an exit without any diagnostic (a crash) fails on its own.
    const crashed = run.status !== 0 && diagnostics.length === 0;
    const label = `TypeScript ${manifest.version}, moduleResolution ${resolution}`;
    const note = tolerated.length > 0 ? ` (${describeUpstream(tolerated)})` : '';
    if (!crashed && problems.length === 0) {
      console.log(`${label}: ok${note}`);
      continue;
    }
    failed += 1;
    console.log(`${label}: FAILED (exit ${run.status ?? run.signal})${note}`);
    for (const problem of problems) console.log(`  ${problem.split('\n').join('\n  ')}`);
    if (crashed) console.log(`  ${run.error ?? `${run.stdout}${run.stderr}`.trim()}`);
  }
}
if (failed > 0) {
  const total = compilers.length * Object.keys(projects).length;
  console.log(
    `${failed} of ${total} compiles failed. The check reads dist/: after a change to src/, run pnpm build first.`,
  );
  process.exit(1);
}

/** tsc's output with --listFiles: file paths, and diagnostics (a `file(line,col): error` line and its indented lines). */
function parse(output) {
  const files = [];
  const diagnostics = [];
  for (const line of output.split('\n')) {
    if (line.trim() === '') continue;
    if (/^\s/.test(line) && diagnostics.length > 0) diagnostics[diagnostics.length - 1] += `\n${line}`;
    else if (/error TS\d+/.test(line)) diagnostics.push(line);
    else files.push(line.trim());
  }
  return { files, diagnostics };
}

function isUpstream(diagnostic) {
  const [, file = '', code = ''] = /^(.*)\(\d+,\d+\): error (TS\d+)/.exec(diagnostic) ?? [];
  return upstream.some((known) => known.file.test(file.split(sep).join('/')) && known.code === code);
}

function describeUpstream(tolerated) {
  const names = upstream.filter((known) => tolerated.some((diagnostic) => known.file.test(diagnostic.split('(')[0])));
  const which = names.map((known) => `${known.name}'s own .d.ts, ${known.why}`).join('; ');
  return `${tolerated.length} upstream error(s) tolerated: ${which}`;
}

/** Each package must come from its dist .d.ts, never from its sources. */
function wrongDeclarations(files) {
  const ours = files.map((file) => relative(root, file).split(sep).join('/'));
  const problems = ours
    .filter((file) => /^packages\/[^/]+\/src\//.test(file))
    .map((file) => `${file} is a source file: the check must compile against dist`);
  for (const name of packageNames) {
    const dir = relative(root, dirname(require.resolve(`${name}/package.json`)))
      .split(sep)
      .join('/');
    if (!ours.includes(`${dir}/dist/index.d.ts`)) problems.push(`${dir}/dist/index.d.ts was not compiled`);
  }
  return problems;
}
