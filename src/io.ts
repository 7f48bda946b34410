// Injected IO, decided once per invocation: data goes to `out`, everything else (messages, prompts) to `err`.
// Commands never touch process.stdout/stderr/stdin directly.
import { Chalk, type ChalkInstance } from 'chalk';
import type { Readable } from 'node:stream';
import { InterruptedError, UsageError } from './errors.js';
import { terminalSafe } from './text/terminal.js';
import { fitPrompt, helpWidth } from './text/wrap.js';

/** The raw process streams and their TTY-ness, as handed to main(). */
export interface Streams {
  out: NodeJS.WritableStream;
  err: NodeJS.WritableStream;
  in: Readable;
  stdoutIsTTY: boolean;
  stderrIsTTY: boolean;
  stdinIsTTY: boolean;
  /** Terminal width when stdout is a TTY (process.stdout.columns). */
  columns?: number;
  /** These are the process's own fds 0-2, so a child process may inherit them (`token exec`); false for test doubles. */
  inheritable?: boolean;
  /** stdout is the null device (`> /dev/null`, or closed: `>&-`, which Node reopens on /dev/null). */
  stdoutIsNull?: boolean;
  /**
   * From now on a broken stdout (EPIPE) is the command's to handle: the process edge must not end the process on it
   * (it does so for `| head` otherwise), because a new token's only copy may have been lost there.
   */
  holdBrokenStdout?: () => void;
}

export interface IOSettings {
  noColor: boolean;
  noInput: boolean;
  quiet: boolean;
  env: Record<string, string | undefined>;
  /** Ctrl-C: a prompt or a read of stdin stops waiting and the command exits 130. */
  signal?: AbortSignal;
}

export interface IO {
  out: NodeJS.WritableStream;
  err: NodeJS.WritableStream;
  in: Readable;
  isStdoutTTY: boolean;
  isStderrTTY: boolean;
  isStdinTTY: boolean;
  /** stdout goes nowhere anyone can read back (the null device, or closed). */
  stdoutIsNull: boolean;
  /** Width tables fit: the terminal's, else $COLUMNS, else 80. */
  columns: number;
  /** Colour for stdout text; level 0 when colour is off. */
  color: ChalkInstance;
  /** Colour for stderr text, decided on stderr's own TTY-ness. */
  errColor: ChalkInstance;
  quiet: boolean;
  /** True when a question may be asked: stdin and stderr are TTYs and --no-input was not given. */
  canPrompt(): boolean;
  /** A progress message on stderr (suppressed by --quiet). */
  info(message: string): void;
  /** What a command did, verb first in lower case (`revoked …`): `✓ ` before it on a terminal; --quiet hides it. */
  success(message: string): void;
  /** A warning on stderr (never suppressed). */
  warn(message: string): void;
  /**
   * The line redrawn in place at the foot of stderr (a bulk verb's progress), or undefined to clear it. Drawn only
   * on a terminal and without --quiet. While it is shown, every other stderr line (info, warn, success, errWrite)
   * clears it first and draws it again below itself: `2/93 donewaiting 1s` cannot happen.
   */
  status(line: string | undefined): void;
  /** Raw text on stderr (a debug trace, an error), written above the status line if one is drawn. */
  errWrite(text: string): void;
  prompt(question: string, opts?: { hidden?: boolean }): Promise<string>;
  confirm(question: string): Promise<boolean>;
  /** All of stdin as text (bounded). */
  readStdin(this: void): Promise<string>;
  /** Takes over a broken stdout from the process edge (see Streams.holdBrokenStdout). */
  holdStdout(): void;
  /** Writes to stdout and settles once the data was handed to the system, or with the write's error (EPIPE). */
  writeOut(text: string): Promise<void>;
}

const MAX_STDIN_BYTES = 1024 * 1024;

/** Colour is on only for a TTY, without --no-color, NO_COLOR or TERM=dumb. */
export function colorEnabled(isTTY: boolean, s: Pick<IOSettings, 'noColor' | 'env'>): boolean {
  if (!isTTY || s.noColor) return false;
  if (s.env.NO_COLOR !== undefined && s.env.NO_COLOR !== '') return false;
  if (s.env.TERM === 'dumb') return false;
  return true;
}

/** The terminal's width, else $COLUMNS (as shells export it), else 80; never narrower than 20. */
function terminalWidth(columns: number | undefined, envColumns: string | undefined): number {
  const fromEnv = /^\d+$/.test(envColumns ?? '') ? Number(envColumns) : 0;
  const width = columns && columns > 0 ? columns : fromEnv > 0 ? fromEnv : 80;
  return Math.max(width, 20);
}

export function createIO(streams: Streams, settings: IOSettings): IO {
  const color = new Chalk({ level: colorEnabled(streams.stdoutIsTTY, settings) ? 1 : 0 });
  const promptWidth = () => helpWidth(streams.stderrIsTTY, streams.columns);
  const errColor = new Chalk({ level: colorEnabled(streams.stderrIsTTY, settings) ? 1 : 0 });
  const CLEAR_LINE = '\r\x1b[K';
  let status: string | undefined;
  const errWrite = (text: string) => {
    if (status === undefined) return void streams.err.write(text);
    streams.err.write(CLEAR_LINE + text + status);
  };
  const io: IO = {
    out: streams.out,
    err: streams.err,
    in: streams.in,
    isStdoutTTY: streams.stdoutIsTTY,
    isStderrTTY: streams.stderrIsTTY,
    isStdinTTY: streams.stdinIsTTY,
    stdoutIsNull: streams.stdoutIsNull === true,
    columns: terminalWidth(streams.columns, settings.env.COLUMNS),
    color,
    errColor,
    quiet: settings.quiet,
    canPrompt: () => streams.stdinIsTTY && streams.stderrIsTTY && !settings.noInput,
    info(message) {
      if (!settings.quiet) errWrite(terminalSafe(message, { keepColour: true, keepLines: true }) + '\n');
    },
    success(message) {
      io.info(streams.stderrIsTTY ? `${errColor.green('✓')} ${message}` : message);
    },
    warn(message) {
      errWrite(errColor.yellow('warning: ') + terminalSafe(message, { keepColour: true, keepLines: true }) + '\n');
    },
    status(line) {
      if (!streams.stderrIsTTY || settings.quiet) return;
      if (line === undefined && status === undefined) return;
      status = line;
      streams.err.write(CLEAR_LINE + (line ?? ''));
    },
    errWrite,
    // Questions fit the terminal they are asked on, as help does.
    prompt: (question, opts = {}) =>
      ask(
        streams,
        fitPrompt(terminalSafe(question, { keepColour: true, keepLines: true }), promptWidth()),
        opts.hidden === true,
        settings.signal,
      ),
    async confirm(question) {
      const safe = terminalSafe(question, { keepColour: true, keepLines: true });
      const answer = await ask(streams, `${fitPrompt(safe, promptWidth(), ' [y/N] '.length)} [y/N] `, false, settings.signal);
      return /^y(es)?$/i.test(answer.trim());
    },
    readStdin: () => readAll(streams.in, settings.signal),
    holdStdout: () => streams.holdBrokenStdout?.(),
    writeOut: (text) =>
      new Promise<void>((resolve, reject) => {
        streams.out.write(text, (err?: Error | null) => (err ? reject(err) : resolve()));
      }),
  };
  return io;
}

/**
 * Asks on stderr; with `hidden`, typed characters are not echoed (for tokens). readline and stream are loaded here,
 * not at start-up: most runs never ask anything. Ctrl-C at the prompt is an interruption (130), not a usage error.
 */
async function ask(streams: Streams, question: string, hidden: boolean, signal?: AbortSignal): Promise<string> {
  const [{ createInterface }, { Writable }] = await Promise.all([import('node:readline'), import('node:stream')]);
  let muted = false;
  const output = new Writable({
    write(chunk: Buffer, _enc, cb) {
      if (!muted) streams.err.write(chunk);
      cb();
    },
  });
  const rl = createInterface({ input: streams.in, output, terminal: streams.stdinIsTTY });
  return new Promise<string>((resolve, reject) => {
    let answered = false;
    let interrupted = false;
    rl.on('close', () => {
      if (answered) return;
      // Ctrl-C or Ctrl-D left the cursor after the question: the error goes on a line of its own.
      streams.err.write('\n');
      reject(
        interrupted
          ? new InterruptedError('interrupted at the prompt; nothing was changed')
          : new UsageError('input closed before an answer was given'),
      );
    });
    // Ctrl-C typed at the prompt (readline sees it in raw mode), or a SIGINT from elsewhere (the abort signal).
    const interrupt = () => {
      interrupted = true;
      rl.close();
    };
    rl.on('SIGINT', interrupt);
    if (signal?.aborted) return interrupt();
    signal?.addEventListener('abort', interrupt, { once: true });
    rl.on('close', () => signal?.removeEventListener('abort', interrupt));
    rl.question(question, (answer) => {
      answered = true;
      if (hidden) streams.err.write('\n');
      rl.close();
      resolve(answer);
    });
    muted = hidden;
  });
}

async function readAll(input: Readable, signal?: AbortSignal): Promise<string> {
  const interrupted = () => new InterruptedError('interrupted while reading standard input; nothing was changed');
  if (signal?.aborted) throw interrupted();
  // Destroying the stream ends the loop below and lets the process exit although the writer keeps stdin open.
  const onAbort = () => input.destroy();
  signal?.addEventListener('abort', onAbort, { once: true });
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of input) {
      const buf = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
      size += buf.length;
      if (size > MAX_STDIN_BYTES) throw new UsageError('standard input is larger than 1 MiB');
      chunks.push(buf);
    }
  } catch (err) {
    if (signal?.aborted) throw interrupted();
    throw err;
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
  if (signal?.aborted) throw interrupted();
  return Buffer.concat(chunks).toString('utf8');
}
