// The process edge: real streams, real environment, SIGINT -> abort. Everything below takes them injected.
import { runShutdown } from './shutdown.js';
import { VERSION } from './version.js';

export async function run(): Promise<number> {
  const argv = process.argv.slice(2);
  // `--version` alone is answered before the program (commander, colour, every command) is even loaded.
  if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
    process.stdout.write(`${VERSION}\n`);
    return 0;
  }
  const { main } = await import('./main.js');
  // A reader that went away (`| head`) is not an error: stop quietly, as other Unix tools do.
  const onWriteError = (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    // A full disk or a closed terminal: one line where it can still be read, and a failing exit code.
    try {
      process.stderr.write(`error: cannot write output: ${err.message}\n`);
    } catch {
      // stderr itself is gone.
    }
    process.exit(1);
  };
  process.stdout.on('error', onWriteError);
  // Opening stdin or stderr (a pipe, under most scripts and CI runners) costs start-up time that `--help` does not
  // need: each is opened when first used.
  let stderr: NodeJS.WriteStream | undefined;
  const openStderr = () => {
    if (!stderr) {
      stderr = process.stderr;
      stderr.on('error', onWriteError);
    }
    return stderr;
  };
  const controller = new AbortController();
  let interrupts = 0;
  const onSigint = () => {
    interrupts += 1;
    // The first Ctrl-C lets in-flight work finish and report; the second one stops at once.
    if (interrupts > 1) process.exit(130);
    controller.abort();
  };
  const onSigterm = () => controller.abort();
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
      },
      env: process.env,
      signal: controller.signal,
    });
  } finally {
    process.off('SIGINT', onSigint);
    process.off('SIGTERM', onSigterm);
    await runShutdown();
  }
}
