// Runs the whole program in-process, as `main(argv, deps)`, with fake streams: the double of a terminal or a pipe.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { afterAll } from 'vitest';
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
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

const madeDirs: string[] = [];
// Whatever a test file made here is removed when it ends (the hook belongs to the file that imports this helper).
afterAll(() => {
  for (const dir of madeDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

export function tempConfigDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'astra-token-test-'));
  madeDirs.push(dir);
  return dir;
}

export async function runCli(argv: string[], opts: RunOptions = {}): Promise<RunResult> {
  const out = new PassThrough();
  const err = new PassThrough();
  let stdout = '';
  let stderr = '';
  out.on('data', (c: Buffer) => (stdout += c.toString()));
  err.on('data', (c: Buffer) => (stderr += c.toString()));
  const tty = opts.tty === true;
  // A config directory of its own unless the test gives one; removed afterwards, as nobody else knows its path.
  const ownDir = opts.env && 'ASTRA_TOKEN_CONFIG_DIR' in opts.env ? undefined : tempConfigDir();
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
    env: { ASTRA_TOKEN_CONFIG_DIR: ownDir, ...opts.env },
    now: opts.now ? () => opts.now! : undefined,
    fetch: opts.fetch ?? ((url, init) => globalThis.fetch(url, init)),
    // Retries in tests should not sleep for real.
    sleep: async () => undefined,
    signal: opts.signal,
  }).finally(() => {
    if (ownDir) rmSync(ownDir, { recursive: true, force: true });
  });
  return { code, stdout, stderr };
}
