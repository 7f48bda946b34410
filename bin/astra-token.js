#!/usr/bin/env node
// Thin: everything lives in the bundle. A list verb's reads leave first (src/startup/early.ts), so the bundle loads
// while they are on the wire. main() returns the exit code; the process is never exited mid-write.
import { abortEarlyReads, startEarlyReads } from '../dist/early.js';

startEarlyReads(process.argv.slice(2), process.env);
new Promise((resolve) => setImmediate(resolve))
  .then(() => import('../dist/cli.js'))
  .then(({ run }) => run())
  .then(
    (code) => {
      process.exitCode = code;
    },
    (err) => {
      process.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = 1;
    },
  )
  .finally(abortEarlyReads);
