// CI's verdict on vitest JSON reports (.ci/run): `check-test-report.mjs <report.json | directory of them> [runs]`.
// Prints each run's counts and the sums; fails when a run left no report (fewer than `runs`), a report holds no test,
// or any test was skipped: a skip in CI means a tool the job should have installed is missing, so what it guards went
// untested. Failed tests are the test runs' own exit codes to report.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';

const [target, expected] = process.argv.slice(2);
const files = statSync(target).isDirectory()
  ? readdirSync(target)
      .filter((f) => f.endsWith('.json'))
      .sort()
      .map((f) => join(target, f))
  : [target];
let passed = 0;
let failed = 0;
let skipped = 0;
let empty = 0;
for (const file of files) {
  const r = JSON.parse(readFileSync(file, 'utf8'));
  const s = r.numPendingTests + r.numTodoTests;
  if (files.length > 1) console.log(`${basename(file, '.json')}: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${s} skipped`);
  if (r.numTotalTests === 0) empty++;
  passed += r.numPassedTests;
  failed += r.numFailedTests;
  skipped += s;
}
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
const problems = [];
const missing = expected === undefined ? 0 : Number(expected) - files.length;
if (missing > 0) problems.push(`${missing} of ${expected} runs left no report`);
if (empty > 0) problems.push(empty === files.length && files.length === 1 ? 'no test ran' : `${empty} runs ran no test`);
if (skipped > 0) problems.push(`CI never skips: ${skipped} test${skipped === 1 ? ' was' : 's were'} skipped (see the lists above)`);
for (const p of problems) console.error(p);
if (problems.length) process.exit(1);
