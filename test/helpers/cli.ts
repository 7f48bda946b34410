// Runs the whole program in-process, as `main(argv, deps)`, with fake streams: the double of a terminal or a pipe.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { main } from '../../src/main.js';
import type { Deps } from '../../src/context.js';

export interface RunOptions {
  /** Environment; ASTRA_TOKEN_CONFIG_DIR defaults to a fresh temporary directory. */
  env?: Record<string, string | undefined>;
  /** stdout, stderr and stdin are all TTYs (a person at a terminal). Default: piped. */
  tty?: boolean;
  stdoutTTY?: boolean;
  stdinTTY?: boolean;
  stdin?: string;
  columns?: number;
  now?: Date;
  fetch?: Deps['fetch'];
  signal?: AbortSignal;
  trapSignals?: Deps['trapSignals'];
  /** Sees stdout as it is written (e.g. to act once a child process has said it is ready). */
  onStdout?: (chunk: string) => void;
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function tempConfigDir(): string {
  return mkdtempSync(join(tmpdir(), 'astra-token-test-'));
}

export async function runCli(argv: string[], opts: RunOptions = {}): Promise<RunResult> {
  const out = new PassThrough();
  const err = new PassThrough();
  let stdout = '';
  let stderr = '';
  out.on('data', (c: Buffer) => {
    stdout += c.toString();
    opts.onStdout?.(c.toString());
  });
  err.on('data', (c: Buffer) => (stderr += c.toString()));
  const tty = opts.tty === true;
  // A config dir of its own unless the test gave one, removed afterwards: the suite leaves $TMPDIR as it found it.
  const ownDir = opts.env !== undefined && 'ASTRA_TOKEN_CONFIG_DIR' in opts.env ? undefined : tempConfigDir();
  const code = await main(argv, {
    streams: {
      out,
      err,
      in: Readable.from(opts.stdin === undefined ? [] : [opts.stdin]),
      stdoutIsTTY: opts.stdoutTTY ?? tty,
      stderrIsTTY: tty,
      stdinIsTTY: opts.stdinTTY ?? tty,
      columns: opts.columns ?? 120,
    },
    env: { ...(ownDir === undefined ? {} : { ASTRA_TOKEN_CONFIG_DIR: ownDir }), ...opts.env },
    now: opts.now ? () => opts.now! : undefined,
    fetch: opts.fetch ?? ((url, init) => globalThis.fetch(url, init)),
    // Retries in tests should not sleep for real.
    sleep: async () => undefined,
    signal: opts.signal,
    trapSignals: opts.trapSignals,
  }).finally(() => {
    if (ownDir !== undefined) rmSync(ownDir, { recursive: true, force: true });
  });
  return { code, stdout, stderr };
}
