// Prints `N passed, N failed` from vitest's JSON report: the one line the CI harness reads.
// A test file that failed to load has no failed test in it, so it counts as one failure itself.
import { existsSync, readFileSync } from 'node:fs';

const file = process.argv[2] ?? '.vitest-results.json';
if (!existsSync(file)) {
  console.log(`no test report at ${file}: the run stopped before the tests (see the output above)`);
  console.log('0 passed, 0 failed');
} else {
  const report = JSON.parse(readFileSync(file, 'utf8'));
  const brokenFiles = (report.testResults ?? []).filter(
    (result) => result.status === 'failed' && !result.assertionResults?.some((test) => test.status === 'failed'),
  ).length;
  const skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
  const line = `${report.numPassedTests} passed, ${report.numFailedTests + brokenFiles} failed`;
  console.log(skipped > 0 ? `${line}, ${skipped} skipped` : line);
}
