// atomically (conf's writer) imports when-exit, which hooks every signal as soon as it loads and, on the first
// Ctrl-C, sends the process the same signal again. The CLI takes that echo for a second Ctrl-C and stops at once:
// no "interrupted" line, no in-flight work allowed to finish. The bundle gets this stand-in instead: the same
// callbacks (purging atomically's temp files) run when the process exits, and signals stay the CLI's business.
const callbacks = new Set();
process.once('exit', () => {
  for (const callback of callbacks) callback();
});

export default function whenExit(callback) {
  callbacks.add(callback);
  return () => callbacks.delete(callback);
}
