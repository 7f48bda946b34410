// The top-level help as the command tree prints it, before it is fitted to a terminal: scripts/build.mjs puts it in
// dist/fast.js, which fits it to the terminal the way the CLI would (wrapHelp), so that `--help` is answered without
// loading the CLI. test/startup/fast.test.ts checks that the two agree at every width.
import { createProgram, type Deps } from '../main.js';

/** Wide enough that neither commander nor wrapHelp breaks a line. */
const UNWRAPPED = 100_000;

export function unwrappedRootHelp(): string {
  let text = '';
  const out = { write: (s: string) => ((text += s), true) };
  const deps = { streams: { out, err: out, stdoutIsTTY: true, stderrIsTTY: true, columns: UNWRAPPED }, env: {} } as unknown as Deps;
  createProgram(deps, () => () => Promise.resolve(), ['--help']).program.outputHelp();
  return text;
}
