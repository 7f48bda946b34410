// The process edge: real streams, real environment, SIGINT -> abort. Everything below takes them injected.
import { main } from './main.js';
import { runShutdown } from './shutdown.js';

export async function run(): Promise<number> {
  // A reader that went away (`| head`) is not an error: stop quietly, as other Unix tools do.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      throw err;
    });
  }
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
    return await main(process.argv.slice(2), {
      streams: {
        out: process.stdout,
        err: process.stderr,
        in: process.stdin,
        stdoutIsTTY: process.stdout.isTTY === true,
        stderrIsTTY: process.stderr.isTTY === true,
        stdinIsTTY: process.stdin.isTTY === true,
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
