import type { Command } from 'commander';
import type { VerbLoader } from '../index.js';

export function registerEmulator(program: Command, load: VerbLoader): void {
  program
    .command('emulator')
    .description('serve a local, stateful Astra DevOps API emulator (for trying the tool and testing scripts offline)')
    .option('--port <n>', 'port to listen on (0 = a free one; default: the port kept in --state, else 0)')
    .option('--host <address>', 'interface to bind', '127.0.0.1')
    .option('--state <file>', 'load state from this file at start and save it on exit')
    .option('--latency <ms>', 'delay every response by this many milliseconds', '0')
    .option('--fail-rate <p>', 'answer this share (0..1) of requests with 503 or 429 + Retry-After', '0')
    .addHelpText(
      'after',
      `
Prints the base URL and an Organization Administrator token on stdout (--json: {"url","token","orgId"} on one
line), then serves until Ctrl-C or SIGTERM.

Examples:
  $ astra-token emulator --port 8181
  $ astra-token emulator --state ./emulator-state.json --port 8181   # the same URL and tokens after a restart
  $ astra-token emulator --port 0 --json --state ./emulator-state.json --latency 20 --fail-rate 0.1`,
    )
    .action(load(async () => (await import('./serve.js')).emulatorServe));
}
