#!/usr/bin/env node
// `pnpm test:chaos [--runs N] [--seed N] [--path P] [--after-rotation] [--no-login-logout-races] [--no-clock-back-logins] [--no-shrink]`: the randomized
// fault suite (chaos/src) through vitest, its settings passed as environment variables.
import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    runs: { type: 'string' },
    seed: { type: 'string' },
    path: { type: 'string' },
    'after-rotation': { type: 'boolean', default: false },
    // On by default; `--no-login-logout-races` / `--no-clock-back-logins` leave those scenarios out.
    'no-login-logout-races': { type: 'boolean', default: false },
    'no-clock-back-logins': { type: 'boolean', default: false },
    'no-shrink': { type: 'boolean', default: false },
  },
  // pnpm passes a lone `--` through when the arguments follow it.
  allowPositionals: true,
});

const env = { ...process.env };
if (values.runs !== undefined) env.CHAOS_RUNS = values.runs;
if (values.seed !== undefined) env.CHAOS_SEED = values.seed;
if (values.path !== undefined) env.CHAOS_PATH = values.path;
if (values['after-rotation']) env.CHAOS_AFTER_ROTATION = '1';
if (values['no-login-logout-races']) env.CHAOS_LOGIN_LOGOUT_RACES = '0';
if (values['no-clock-back-logins']) env.CHAOS_CLOCK_BACK_LOGINS = '0';
if (values['no-shrink']) env.CHAOS_SHRINK = '0';
// A replay of one path is one run.
if (values.path !== undefined && values.runs === undefined) env.CHAOS_RUNS = '1';

const root = new URL('../..', import.meta.url);
const result = spawnSync('npx', ['vitest', 'run', '--project', 'unit', 'chaos/src'], {
  cwd: root,
  env,
  stdio: 'inherit',
});
process.exit(result.status ?? 1);
