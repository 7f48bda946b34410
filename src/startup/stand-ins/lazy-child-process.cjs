// Commander needs node:child_process only for executable subcommands, which this CLI does not use; loading it
// eagerly costs ~9 ms of every start-up. The bundle gets this lazy stand-in for commander's import instead.
let real;
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a CommonJS stand-in: require is how it loads lazily
module.exports = new Proxy({}, { get: (_target, key) => (real ??= require('node:child_process'))[key] });
