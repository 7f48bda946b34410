#!/usr/bin/env node
// Thin: everything lives in the bundle. `--version` or `--help` alone is answered by a module of its own
// (src/startup/fast.ts) without loading the CLI. A list verb's reads leave first (src/startup/early.ts), so the bundle
// loads while they are on the wire: their sockets connect on the next tick and the requests are written in the event
// loop's first poll, and the bundle is imported after that poll (setImmediate). Imported at once, it held the loop on
// Node 24 until it had all loaded, and the reads left after it (docs/startup.md). main() returns the exit code; the
// process is never exited mid-write.
const argv = process.argv.slice(2);
const alone = argv.length === 1 ? argv[0] : undefined;
const fail = (err) => {
  process.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
};

if (alone === '--version' || alone === '-V' || alone === '--help' || alone === '-h') {
  import('../dist/fast.js').then(({ answerFast }) => answerFast(alone), fail);
} else {
  import('../dist/early.js').then(({ abortEarlyReads, startEarlyReads }) => {
    startEarlyReads(argv, process.env);
    return new Promise((resolve) => setImmediate(resolve))
      .then(() => import('../dist/cli.js'))
      .then(({ run }) => run())
      .then((code) => {
        process.exitCode = code;
      }, fail)
      .finally(abortEarlyReads);
  }, fail);
}
