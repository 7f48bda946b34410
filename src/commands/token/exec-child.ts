// The child of `token exec`: found on PATH before any token exists, started directly (no shell, argv as given) with
// the terminal (or the test's streams) as its own, and its end turned into the exit code a shell would report.
import { spawn } from 'node:child_process';
import { accessSync, constants as fsConstants, statSync } from 'node:fs';
import { constants as osConstants } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import type { Context } from '../../context.js';
import { CommandStartError } from '../../errors.js';
import { printable } from '../../text/terminal.js';

/** How the child ended: its exit status, or the signal that killed it. */
export interface ChildEnd {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface RunningChild {
  readonly pid: number | undefined;
  /** Sends a signal; nothing happens once it has exited. */
  kill(signal: NodeJS.Signals): void;
  /** Settles when the child has exited (and, with piped streams, its output has been passed on). */
  readonly ended: Promise<ChildEnd>;
}

/** When PATH is unset, the default execvp uses. */
const DEFAULT_PATH = '/usr/local/bin:/usr/bin:/bin';

/**
 * The file `command` runs, looked up as execvp does (a name with a `/` is a path; otherwise each PATH entry, an empty
 * one meaning the current directory). Exit 127 when there is none, 126 when it is there but cannot be executed, both
 * before any token is created.
 */
export function findExecutable(command: string, env: Record<string, string | undefined>, cwd = process.cwd()): string {
  if (command === '') throw new CommandStartError('the command must not be empty', true);
  if (command.includes('/')) {
    const path = resolve(cwd, command);
    const problem = notExecutable(path);
    if (problem === 'missing') throw new CommandStartError(`${printable(command)}: no such file`, true);
    if (problem) throw new CommandStartError(`${printable(command)}: ${problem}`, false);
    return command;
  }
  let denied: string | undefined;
  for (const dir of (env.PATH ?? DEFAULT_PATH).split(delimiter)) {
    const path = join(dir === '' ? cwd : dir, command);
    const problem = notExecutable(path);
    if (problem === undefined) return path;
    if (problem === 'not executable') denied ??= path;
  }
  if (denied) throw new CommandStartError(`${printable(command)}: ${denied} is not executable`, false);
  throw new CommandStartError(`${printable(command)}: command not found`, true, { hint: 'check the name and PATH' });
}

function notExecutable(path: string): 'missing' | 'a directory' | 'not executable' | undefined {
  try {
    if (statSync(path).isDirectory()) return 'a directory';
  } catch {
    return 'missing';
  }
  try {
    accessSync(path, fsConstants.X_OK);
    return undefined;
  } catch {
    return 'not executable';
  }
}

/** A shell's exit code for how a child ended: its status, or 128 + the number of the signal that killed it. */
export function exitCodeOf(end: ChildEnd): number {
  if (end.code !== null) return end.code;
  const number = end.signal ? osConstants.signals[end.signal] : undefined;
  return number === undefined ? 1 : 128 + number;
}

/**
 * Starts `argv` with `env`. The child stays in our process group, so a Ctrl-C typed at the terminal reaches it
 * directly. With the process's own streams it inherits fds 0-2 (interactive programs and pipes work, nothing is
 * copied through us); with test doubles its streams are piped to them. Rejects with a CommandStartError when the
 * command cannot be started after all.
 */
export function startChild(ctx: Context, argv: readonly string[], env: Record<string, string | undefined>): Promise<RunningChild> {
  const [command, ...args] = argv as [string, ...string[]];
  const inherit = ctx.deps.streams.inheritable === true;
  const child = spawn(command, args, { stdio: inherit ? 'inherit' : 'pipe', env });
  if (!inherit) {
    child.stdout?.pipe(ctx.io.out, { end: false });
    child.stderr?.pipe(ctx.io.err, { end: false });
    // A command that does not read its stdin closes it early: that is its business.
    child.stdin?.on('error', () => undefined);
    if (child.stdin) ctx.io.in.pipe(child.stdin);
  }
  return new Promise((resolve, reject) => {
    const ended = new Promise<ChildEnd>((done) => child.once('close', (code, signal) => done({ code, signal })));
    child.once('spawn', () =>
      resolve({
        pid: child.pid,
        kill: (signal) => {
          if (child.exitCode === null && child.signalCode === null) child.kill(signal);
        },
        ended,
      }),
    );
    child.on('error', (err: NodeJS.ErrnoException) => {
      // A failure to start rejects; afterwards 'error' can only mean a kill that failed (the child is already gone).
      if (child.pid !== undefined) return;
      const notFound = err.code === 'ENOENT';
      reject(
        new CommandStartError(
          `${printable(command)}: ${notFound ? 'command not found' : `cannot be run (${err.code ?? err.message})`}`,
          notFound,
        ),
      );
    });
  });
}
