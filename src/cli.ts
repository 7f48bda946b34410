// The process edge: real streams, real environment, SIGINT -> abort. Everything below takes them injected.
import { main } from './main.js';
import { runShutdown } from './shutdown.js';

export async function run(): Promise<number> {
  const controller = new AbortController();
  let interrupts = 0;
  const onSigint = () => {
    interrupts += 1;
    // The first Ctrl-C lets in-flight work finish and report; the second one stops at once.
    if (interrupts > 1) process.exit(130);
    controller.abort();
  };
  process.on('SIGINT', onSigint);
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
    await runShutdown();
  }
}
