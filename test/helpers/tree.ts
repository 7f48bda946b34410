// The command tree as main() builds it, with verbs that do nothing: for tests that read the declarations themselves.
import type { CommandUnknownOpts } from '@commander-js/extra-typings';
import type { VerbLoader } from '../../src/commands/verb.js';
import { createProgram, type Deps } from '../../src/main.js';

/**
 * The program main() would parse `argv` with (the whole tree without one); its help goes to `out`, as to a pipe, or
 * to a terminal `columns` wide when given.
 */
export function commandTree(argv?: string[], out: (s: string) => void = () => undefined, columns?: number) {
  const writer = { write: (s: string) => (out(s), true) };
  const tty = columns === undefined ? {} : { stdoutIsTTY: true, stderrIsTTY: true, columns };
  const deps = { streams: { out: writer, err: writer, ...tty }, env: {} } as unknown as Deps;
  const noVerb: VerbLoader = () => () => Promise.resolve();
  return createProgram(deps, noVerb, argv).program;
}

/** Every visible command below `root` with its path (`['token', 'list']`), parents first; `help` left out. */
export function commandPaths(root: CommandUnknownOpts = commandTree()): Array<{ path: string[]; command: CommandUnknownOpts }> {
  const found: Array<{ path: string[]; command: CommandUnknownOpts }> = [];
  const walk = (cmd: CommandUnknownOpts, prefix: string[]) => {
    for (const sub of cmd.createHelp().visibleCommands(cmd)) {
      if (sub.name() === 'help') continue;
      const path = [...prefix, sub.name()];
      found.push({ path, command: sub });
      walk(sub, path);
    }
  };
  walk(root, []);
  return found;
}
