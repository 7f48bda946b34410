#!/usr/bin/env node
// Thin: everything lives in the bundle. A list verb's reads leave first (src/startup/early.ts), so the bundle loads
// while they are on the wire. Their sockets connect on the next tick and the requests are written in the event loop's
// first poll; the bundle is imported after that poll (setImmediate). Imported at once, it held the loop on Node 24
// until it had all loaded, and the reads left after it (docs/startup.md). main() returns the exit code; the process
// is never exited mid-write.
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
