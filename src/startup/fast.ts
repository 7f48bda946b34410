// `--version` and `--help` given alone, answered by the bin before the CLI (commander, every command, the early
// reads) loads: the version, and the top-level help made at build time from the command tree (root-help.ts), fitted
// to the terminal as the CLI fits it. Built on its own (scripts/build.mjs): it shares no chunk with the CLI.
import { helpWidth, wrapHelp } from '../text/wrap.js';
import { VERSION } from '../version.js';

declare const __ROOT_HELP__: string;

/** Prints the answer to `flag` (bin/astra-token.js calls this for `--version`, `-V`, `--help` or `-h` alone). */
export function answerFast(flag: string): void {
  const out = process.stdout;
  // A reader that went away (`| head -1`) is not an error, as for every command; another write error is.
  out.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') return;
    process.stderr.write(`error: cannot write output: ${err.message}\n`);
    process.exitCode = 1;
  });
  out.write(flag === '--version' || flag === '-V' ? `${VERSION}\n` : wrapHelp(__ROOT_HELP__, helpWidth(out.isTTY === true, out.columns)));
}
