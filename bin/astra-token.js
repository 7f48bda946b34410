#!/usr/bin/env node
// Thin: everything lives in the bundle. main() returns the exit code; the process is never exited mid-write.
import { run } from '../dist/cli.js';

run().then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
