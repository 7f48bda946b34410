// CI's verdict on a vitest JSON report (.ci/run): some tests ran, none failed, and none was skipped. A skip in CI
// means a tool the job should have installed is missing, so what it guards went untested.
import { readFileSync } from 'node:fs';

const report = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const skipped = report.numPendingTests + report.numTodoTests;
console.log(`${report.numPassedTests} passed, ${report.numFailedTests} failed, ${skipped} skipped`);
if (report.numTotalTests === 0) {
  console.error('no test ran');
  process.exit(1);
}
if (skipped > 0) {
  console.error(`CI never skips: ${skipped} test${skipped === 1 ? ' was' : 's were'} skipped (see the list above)`);
  process.exit(1);
}
