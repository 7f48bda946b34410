// Runs the whole program in-process, as `main(argv, deps)`, with fake streams: the double of a terminal or a pipe.
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import type { CachePlaces } from '../../src/config/role-cache.js';
import { main } from '../../src/main.js';
import type { Deps } from '../../src/context.js';
import type { Keyring } from '../../src/config/keyring.js';
import { noKeyring } from './keyring.js';
import { tempDir } from './temp.js';

export interface RunOptions {
  /** Environment; ASTRA_TOKEN_CONFIG_DIR defaults to a fresh temporary directory. */
  env?: Record<string, string | undefined>;
  /** stdout, stderr and stdin are all TTYs (a person at a terminal). Default: piped. */
  tty?: boolean;
  stdoutTTY?: boolean;
  stdinTTY?: boolean;
  stdin?: string;
  /** Stdin stays open and silent (a runner that never writes to it nor closes it); `stdin` is then ignored. */
  stdinOpen?: boolean;
  /** Terminal width handed to main (default 120); `null`: none, as when stdout is not a terminal. */
  columns?: number | null;
  now?: Date;
  fetch?: Deps['fetch'];
  signal?: AbortSignal;
  trapSignals?: Deps['trapSignals'];
  /** Sees stdout as it is written (e.g. to act once a child process has said it is ready). */
  onStdout?: (chunk: string) => void;
  /** The OS keychain's stand-in; default: none usable (tokens go to the file). */
  keyring?: Keyring;
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** A private config directory, removed when the test (or, outside a test, the file) is done. */
export function tempConfigDir(): string {
  return tempDir('astra-token-test-');
}

/** The tool's cache directory in this test (see test/helpers/temp-setup.ts). */
export function testCacheDir(): string {
  return join(process.env.XDG_CACHE_HOME!, 'astra-token');
}

/** Where the name caches of a run with config dir `configDir` go in this test: to pass to writeRoleCache/writeDbCache. */
export function cachePlaces(configDir: string): CachePlaces {
  const cacheDir = testCacheDir();
  return { cacheDir: () => cacheDir, configDir: () => configDir };
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
  const code = await main(argv, {
    streams: {
      out,
      err,
      in: opts.stdinOpen ? new PassThrough() : Readable.from(opts.stdin === undefined ? [] : [opts.stdin]),
      stdoutIsTTY: opts.stdoutTTY ?? tty,
      stderrIsTTY: tty,
      stdinIsTTY: opts.stdinTTY ?? tty,
      columns: opts.columns === null ? undefined : (opts.columns ?? 120),
    },
    // A fresh config dir only when the test names none (one made and never used is one left behind in $TMPDIR).
    // The cache directory is the test's own (test/helpers/temp-setup.ts) unless the test names one.
    env: {
      XDG_CACHE_HOME: process.env.XDG_CACHE_HOME,
      ...(opts.env && 'ASTRA_TOKEN_CONFIG_DIR' in opts.env ? opts.env : { ASTRA_TOKEN_CONFIG_DIR: tempConfigDir(), ...opts.env }),
    },
    now: opts.now ? () => opts.now! : undefined,
    fetch: opts.fetch ?? ((url, init) => globalThis.fetch(url, init)),
    // Retries in tests should not sleep for real.
    sleep: () => Promise.resolve(),
    signal: opts.signal,
    trapSignals: opts.trapSignals,
    keyring: opts.keyring ?? noKeyring(),
  });
  return { code, stdout, stderr };
}
