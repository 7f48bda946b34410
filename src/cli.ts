// The process edge: real streams, real environment, SIGINT -> abort. Everything below takes them injected.
import type { TrappedSignal } from './context.js';
import { fstatSync, statSync } from 'node:fs';
import { setMaxListeners } from 'node:events';
import { setFlagsFromString } from 'node:v8';
import { runShutdown } from './shutdown.js';

export async function run(): Promise<number> {
  const argv = process.argv.slice(2);
  // A process-wide V8 flag, so it is set here at the process edge and nowhere below. undici parses HTTP with llhttp
  // compiled to WebAssembly; V8 tiers that module up to TurboFan in the background and waits for the tier-up at
  // process exit: ~100 ms added to every command that makes a request, for a parser that handles a few kilobytes.
  // The baseline compiler is plenty for a short-lived CLI. It must be set before undici compiles the module (the
  // first connection, src/api/http.ts), so before main() runs anything (measured with `npm run bench`).
  setFlagsFromString('--liftoff-only');
  const { main } = await import('./main.js');
  // A reader that went away (`| head`) is not an error: stop quietly, as other Unix tools do. Except while a
  // command holds stdout (a new token is delivered there): it then learns of the EPIPE from its write and decides.
  let stdoutHeld = false;
  // Once a command has trapped the signals (token exec: a live token and a running command), no write error ends the
  // process: not before the command has ended and the token is revoked, and not afterwards either, where exiting
  // would replace the verb's exit code with a made-up one. What cannot be written is lost; the exit code is not.
  let outputHeld = false;
  const onWriteError = (stream: NodeJS.WriteStream) => (err: NodeJS.ErrnoException) => {
    if (outputHeld) return;
    if (err.code === 'EPIPE' && stream === process.stdout && stdoutHeld) return;
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    // A full disk or a closed terminal: one line where it can still be read, and a failing exit code.
    try {
      process.stderr.write(`error: cannot write output: ${err.message}\n`);
    } catch {
      // stderr itself is gone.
    }
    process.exit(1);
  };
  process.stdout.on('error', onWriteError(process.stdout));
  // Opening stdin or stderr (a pipe, under most scripts and CI runners) costs start-up time that `--help` does not
  // need: each is opened when first used.
  let stderr: NodeJS.WriteStream | undefined;
  const openStderr = () => {
    if (!stderr) {
      stderr = process.stderr;
      stderr.on('error', onWriteError(stderr));
    }
    return stderr;
  };
  const controller = new AbortController();
  // Every request in flight listens for Ctrl-C on this one signal: a bulk run at --concurrency 32 is not a leak.
  setMaxListeners(0, controller.signal);
  let interrupts = 0;
  // While a command has trapped the signals (token exec runs a child), they are its alone.
  let trap: ((signal: TrappedSignal) => void) | undefined;
  const onSigint = () => {
    if (trap) return trap('SIGINT');
    interrupts += 1;
    // The first Ctrl-C lets in-flight work finish and report; the second one stops at once.
    if (interrupts > 1) process.exit(130);
    controller.abort();
  };
  const onSigterm = () => (trap ? trap('SIGTERM') : controller.abort());
  // SIGHUP and SIGQUIT keep their defaults (end the process; SIGQUIT with a core) unless trapped: a listener would
  // replace that default.
  const onSighup = () => trap?.('SIGHUP');
  const onSigquit = () => trap?.('SIGQUIT');
  const trapSignals = (handler: (signal: TrappedSignal) => void) => {
    trap = handler;
    outputHeld = true;
    // Both streams get their listener now: a write error on a stream nobody listens to would end the process.
    openStderr();
    process.on('SIGHUP', onSighup);
    process.on('SIGQUIT', onSigquit);
    return () => {
      if (trap !== handler) return;
      trap = undefined;
      process.off('SIGHUP', onSighup);
      process.off('SIGQUIT', onSigquit);
    };
  };
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigterm);
  try {
    return await main(argv, {
      streams: {
        out: process.stdout,
        get err() {
          return openStderr();
        },
        get in() {
          return process.stdin;
        },
        stdoutIsTTY: process.stdout.isTTY === true,
        get stderrIsTTY() {
          return openStderr().isTTY === true;
        },
        get stdinIsTTY() {
          return process.stdin.isTTY === true;
        },
        columns: process.stdout.columns,
        inheritable: true,
        stdoutIsNull: isNullDevice(1),
        holdBrokenStdout: () => {
          stdoutHeld = true;
        },
      },
      env: process.env,
      signal: controller.signal,
      trapSignals,
    });
  } finally {
    process.off('SIGINT', onSigint);
    process.off('SIGTERM', onSigterm);
    process.off('SIGHUP', onSighup);
    process.off('SIGQUIT', onSigquit);
    await runShutdown();
  }
}

/** Is this descriptor the null device? A closed stdout counts: Node reopens fds 0-2 on /dev/null at start. */
function isNullDevice(fd: number): boolean {
  try {
    const st = fstatSync(fd);
    return st.isCharacterDevice() && st.rdev === statSync('/dev/null').rdev;
  } catch {
    return false;
  }
}
