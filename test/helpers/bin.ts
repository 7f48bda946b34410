// Runs the BUILT bin as a child process, the way a user or a CI job does. `npm run build` must have run first
// (CI builds before testing); without dist/, these tests are skipped with a clear reason.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterEach } from 'vitest';
import { tempDir } from './temp.js';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const BIN = fileURLToPath(new URL('../../bin/astra-token.js', import.meta.url));
export const HAS_BUILD = existsSync(fileURLToPath(new URL('../../dist/cli.js', import.meta.url)));
export const NO_BUILD_REASON = 'dist/ is missing: run `npm run build` before the end-to-end tests';

export interface BinResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Environment for a child: no inherited credentials or profiles, colour off, a private config dir if given. */
export function childEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const key of [
    'ASTRA_DB_APPLICATION_TOKEN',
    'ASTRA_PROFILE',
    'ASTRA_API_URL',
    'ASTRA_TOKEN_DEBUG',
    'HTTP_PROXY',
    'HTTPS_PROXY',
    'http_proxy',
    'https_proxy',
  ]) {
    delete env[key];
  }
  // A private config dir unless the test names one: a child must never touch the real ~/.config.
  // A fresh config dir only when the test names none (one made and never used is one left behind in $TMPDIR).
  const dir = 'ASTRA_TOKEN_CONFIG_DIR' in extra ? {} : { ASTRA_TOKEN_CONFIG_DIR: tempDir('astra-token-bin-') };
  return { ...env, NO_COLOR: '1', ...dir, ...extra };
}

export interface RunBinOptions {
  env?: Record<string, string | undefined>;
  input?: string;
  timeoutMs?: number;
  /** Another executable than the repository's bin (e.g. an installed copy). */
  command?: string;
  /** Run as user nobody (CI runs as root, for whom file modes mean nothing). */
  asNobody?: boolean;
}

export const AS_NOBODY = ['setpriv', '--reuid=nobody', '--regid=nogroup', '--clear-groups'] as const;

/** Asynchronous on purpose: an in-process loopback emulator must keep serving while the child runs. */
export function runBin(args: string[], opts: RunBinOptions = {}): Promise<BinResult> {
  return new Promise((resolve, reject) => {
    const [command, ...argv] = [...(opts.asNobody ? AS_NOBODY : []), ...(opts.command ? [opts.command] : [process.execPath, BIN]), ...args];
    const child = spawn(command, argv, { env: childEnv(opts.env), stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 20_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
    child.stdin.end(opts.input ?? '');
  });
}

/**
 * Runs the bin in a pseudo-terminal `columns` wide (util-linux script), with the bin's child environment plus `env`;
 * stdout and stderr arrive together, line ends as `\n`.
 */
export function runInPty(
  args: string[],
  columns: number,
  env: Record<string, string | undefined> = {},
): Promise<{ code: number | null; output: string }> {
  const quoted = [process.execPath, BIN, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-qfec', `stty cols ${columns} rows 40; exec ${quoted}`, '/dev/null'], {
      env: childEnv(env),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output: output.replace(/\r\n/g, '\n') });
    });
  });
}

/** `node <bin>` quoted for a shell script: `${BIN_SH} token list | head`. */
export const BIN_SH = `'${process.execPath}' '${BIN}'`;

/**
 * Runs a POSIX shell script (pipes, redirections such as `2>/dev/full`) with the bin's child environment; the script
 * reaches the bin as `$ASTRA_TOKEN_BIN` or through BIN_SH.
 */
export function runShell(script: string, opts: Pick<RunBinOptions, 'env' | 'timeoutMs'> = {}): Promise<BinResult> {
  return runBin(['-c', script], { ...opts, command: '/bin/sh', env: { ASTRA_TOKEN_BIN: BIN_SH, ...opts.env } });
}

export interface EmulatorProcess {
  url: string;
  token: string;
  orgId: string;
  child: ChildProcess;
  /** Sends SIGTERM and resolves with the exit code and what it printed on stderr. */
  stop(): Promise<{ code: number | null; stderr: string }>;
}

/**
 * Starts `astra-token emulator --port 0 --json [...args]` (without `--port 0` if `freePort: false`; another executable
 * than the repository's bin with `command`) and waits for its first line.
 */
export function startEmulatorProcess(
  args: string[] = [],
  opts: { freePort?: boolean; command?: string; env?: Record<string, string | undefined> } = {},
): Promise<EmulatorProcess> {
  return new Promise((resolve, reject) => {
    const port = opts.freePort === false ? [] : ['--port', '0'];
    const [command, ...argv] = [...(opts.command ? [opts.command] : [process.execPath, BIN]), 'emulator', ...port, '--json', ...args];
    const child = spawn(command!, argv, {
      env: childEnv(opts.env),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const exited = new Promise<number | null>((r) => child.on('close', (code) => r(code)));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`emulator did not start: ${stderr}`));
    }, 15_000);
    child.on('error', reject);
    void exited.then((code) => reject(new Error(`emulator exited with ${code} before it started: ${stderr}`)));
    createInterface({ input: child.stdout }).once('line', (line) => {
      clearTimeout(timer);
      const first = JSON.parse(line) as { url: string; token: string; orgId: string };
      resolve({
        ...first,
        child,
        async stop() {
          child.kill('SIGTERM');
          return { code: await exited, stderr };
        },
      });
    });
  });
}

/**
 * Pids of processes a test let escape the tool's reach on purpose (a `setsid` child of a hand-over); each is killed
 * after its test. Call at the top of a file or describe block.
 */
export function killEscapedAfterEach(): number[] {
  const escaped: number[] = [];
  afterEach(() => {
    for (const pid of escaped.splice(0)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  });
  return escaped;
}
