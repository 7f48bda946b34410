// `--handoff '<command>'`: hand a new token to the place the application reads it from (a CI secret, Vault, a
// Kubernetes secret, a .env file) by running a shell command with the token on its standard input.
//
// The token travels on stdin only (a single line, then EOF), never in argv where `ps` would show it; with
// `--handoff-env NAME` it is also in that environment variable of the child. Whatever the child prints goes to our
// stderr, so nothing it says can end up inside the JSON document on stdout. It runs in its own process group so that a
// timeout (or Ctrl-C) stops it together with anything it started.
import { spawn } from 'node:child_process';
import type { Context } from '../../context.js';
import { InterruptedError, UsageError } from '../../errors.js';
import { printable } from '../../text/terminal.js';
import type { OptionsOf } from '../verb.js';
import type { TokenVerbs } from './register.js';
import { shellQuote } from './shell-command.js';

/** The hand-over flags, as `token create` and `token rotate` declare them. */
export type HandoffOptions = Pick<OptionsOf<TokenVerbs['create']>, 'handoff' | 'handoffEnv' | 'handoffTimeout'>;

export interface HandoffSpec {
  command: string;
  envName?: string;
  timeoutMs: number;
}

export const DEFAULT_HANDOFF_TIMEOUT_S = 60;
/** After SIGTERM, how long the child's group gets before SIGKILL. */
const KILL_GRACE_MS = 2000;
/** How much of the child's stderr is kept for the failure message, and how many of its last lines are quoted. */
const STDERR_KEEP_BYTES = 8192;
const STDERR_QUOTED_LINES = 3;

/** Checks the flags before any request; undefined when there is no hand-over. */
export function parseHandoff(options: HandoffOptions): HandoffSpec | undefined {
  if (options.handoff === undefined) {
    if (options.handoffEnv !== undefined) throw new UsageError('--handoff-env needs --handoff <command>');
    if (options.handoffTimeout !== undefined) throw new UsageError('--handoff-timeout needs --handoff <command>');
    return undefined;
  }
  if (options.handoff.trim() === '') throw new UsageError('--handoff: the command must not be empty');
  const envName = options.handoffEnv;
  if (envName !== undefined && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(envName)) {
    throw new UsageError(
      `--handoff-env: '${printable(envName)}' is not an environment variable name (letters, digits and _, not starting with a digit)`,
    );
  }
  return { command: options.handoff, envName, timeoutMs: options.handoffTimeout ?? DEFAULT_HANDOFF_TIMEOUT_S * 1000 };
}

/** The hand-over did not succeed; `detail` reads after "the hand-over command ". */
export class HandoffFailure extends Error {
  constructor(readonly detail: string) {
    super(`the hand-over command ${detail}`);
  }
}

/**
 * Runs the hand-over command through `/bin/sh -c` with the token on stdin. Resolves when it exits 0; rejects with a
 * HandoffFailure (non-zero exit, killed, timed out, could not start) or an InterruptedError (Ctrl-C).
 */
export async function runHandoff(ctx: Context, spec: HandoffSpec, token: string): Promise<void> {
  const { io } = ctx;
  io.info(`handing the new token over to: ${printable(spec.command, 200)}`);
  const env: Record<string, string | undefined> = { ...ctx.env };
  if (spec.envName !== undefined) env[spec.envName] = token;
  const child = spawn('/bin/sh', ['-c', spec.command], { stdio: ['pipe', 'pipe', 'pipe'], env, detached: true });

  let tail = '';
  child.stdout.on('data', (chunk: Buffer) => io.err.write(chunk));
  child.stderr.on('data', (chunk: Buffer) => {
    io.err.write(chunk);
    tail = (tail + chunk.toString('utf8')).slice(-STDERR_KEEP_BYTES);
  });
  // A command that does not read its stdin closes the pipe early: that is its business, not an error.
  child.stdin.on('error', () => undefined);
  child.stdin.end(token + '\n');

  let stopped: 'timeout' | 'interrupt' | undefined;
  let closed = false;
  let exited = false;
  let killTimer: NodeJS.Timeout | undefined;
  // The hand-over is over when its stdio closes, not when the shell exits: a child it left running (`sleep 20 &`)
  // holds the pipes, and the timeout or Ctrl-C ends the whole group, that child included. A child that left the group
  // (`setsid`) escapes the kill and may hold the pipes for as long as it likes: once the shell has exited and the
  // group was stopped, the pipes are let go (see `letGo`), so the timeout is the longest wait there is.
  let letGo: () => void = () => undefined;
  const stop = (why: 'timeout' | 'interrupt') => {
    if (stopped || closed) return;
    stopped = why;
    killGroup(child.pid, 'SIGTERM');
    killTimer = setTimeout(() => killGroup(child.pid, 'SIGKILL'), KILL_GRACE_MS);
    if (exited) letGo();
  };
  const timer = setTimeout(() => stop('timeout'), spec.timeoutMs);
  const onAbort = () => stop('interrupt');
  ctx.signal.addEventListener('abort', onAbort, { once: true });
  if (ctx.signal.aborted) onAbort();

  let outcome: { code: number | null; signal: NodeJS.Signals | null } | Error;
  try {
    outcome = await new Promise((resolve) => {
      let exit: { code: number | null; signal: NodeJS.Signals | null } = { code: null, signal: null };
      letGo = () => {
        child.stdout.destroy();
        child.stderr.destroy();
        resolve(exit);
      };
      child.once('error', (err) => resolve(err));
      child.once('exit', (code, signal) => {
        exited = true;
        exit = { code, signal };
        if (stopped) letGo();
      });
      child.once('close', (code, signal) => {
        closed = true;
        resolve({ code, signal });
      });
    });
  } finally {
    clearTimeout(timer);
    ctx.signal.removeEventListener('abort', onAbort);
  }
  // A stopped group is reported only once it is gone: the shell may exit before the children it left running have
  // handled their SIGTERM, and a member that ignores SIGTERM gets its SIGKILL, even though nobody waits for its pipes.
  if (stopped) await groupGone(child.pid, KILL_GRACE_MS + 1000);
  clearTimeout(killTimer);

  const last = lastLines(tail);
  const quoted = last.length ? ` (last lines of its stderr: ${last.map((l) => `"${l}"`).join(' ')})` : '';
  if (outcome instanceof Error) throw new HandoffFailure(`could not be started: ${outcome.message}`);
  if (stopped === 'interrupt') throw new InterruptedError('interrupted: the hand-over command was stopped');
  if (stopped === 'timeout') throw new HandoffFailure(`did not finish within ${formatSeconds(spec.timeoutMs)} and was stopped${quoted}`);
  if (outcome.code === 0) {
    io.info('the hand-over command succeeded');
    return;
  }
  const status = outcome.code !== null ? `exited with status ${outcome.code}` : `was killed by ${outcome.signal ?? 'a signal'}`;
  throw new HandoffFailure(`${status}${quoted}`);
}

/** What the output file holds: the bare token, an env-style line, or the JSON object. */
export type DeliveryFileShape = 'token' | 'env' | 'json';

/**
 * The hand-over as a user runs it by hand, reading the token from `file` (with the environment variable set from the
 * file too, for --handoff-env). The command gets the bare token on stdin whatever the file holds, exactly as the
 * automatic hand-over gave it. Without a file the new token must be piped in.
 */
export function handoffByHand(spec: HandoffSpec, file: string | undefined, shape: DeliveryFileShape = 'token'): string {
  const source = file === undefined ? '<file holding the new token>' : shellQuote(file);
  const bare =
    shape === 'env'
      ? `sed -E 's/^(export )?ASTRA_DB_APPLICATION_TOKEN=//' ${source}`
      : shape === 'json'
        ? `node -e 'process.stdout.write(JSON.parse(require("fs").readFileSync(0, "utf8")).token + "\\n")' < ${source}`
        : undefined;
  const env = spec.envName === undefined ? '' : `${spec.envName}="$(${bare ?? `cat ${source}`})" `;
  const run = `${env}sh -c ${shellQuote(spec.command)}`;
  return bare === undefined ? `${run} < ${source}` : `${bare} | ${run}`;
}

function killGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}

function groupAlive(pid: number | undefined): boolean {
  if (pid === undefined) return false;
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Waits (polling, at most `limitMs`) until no process of the group is left; a setsid child has left it already. */
async function groupGone(pid: number | undefined, limitMs: number): Promise<void> {
  for (let waited = 0; groupAlive(pid) && waited < limitMs; waited += 20) await new Promise((resolve) => setTimeout(resolve, 20));
}

function lastLines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '')
    .slice(-STDERR_QUOTED_LINES)
    .map((l) => printable(l, 200));
}

function formatSeconds(ms: number): string {
  const s = ms / 1000;
  return `${Number.isInteger(s) ? s : s.toFixed(1)}s`;
}
