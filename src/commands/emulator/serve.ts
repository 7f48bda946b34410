import type { Context } from '../../context.js';
import { isLoopback } from '../../loopback.js';
import { AppError, UsageError, printable } from '../../errors.js';
import { EmulatorState, startEmulatorServer } from '../../emulator/index.js';
import { MAX_STATE_BYTES, UnsafeFileError, readOwnFile, removeStaleTemps, writeFileAtomic } from '../../config/safe-fs.js';

interface Options {
  port: string;
  host: string;
  state?: string;
  latency: string;
  failRate: string;
}

export async function emulatorServe(ctx: Context, opts: Options): Promise<number> {
  const port = integer('--port', opts.port, 0, 65_535);
  const latencyMs = integer('--latency', opts.latency, 0, 60_000);
  const failRate = Number(opts.failRate);
  if (!/^\d*\.?\d+$/.test(opts.failRate) || !(failRate >= 0 && failRate <= 1)) {
    throw new UsageError(`--fail-rate: '${printable(opts.failRate)}' is not a number from 0 to 1`);
  }
  if (!isLoopback(opts.host)) {
    ctx.io.warn(`serving on ${opts.host}, not loopback: anyone who can reach it can use its tokens, sent in clear`);
  }

  const state = (opts.state !== undefined && loadState(opts.state)) || EmulatorState.create();
  let server;
  try {
    server = await startEmulatorServer({ state, host: opts.host, port, latencyMs, failRate });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw new UsageError(`--port ${port}: the port is in use; pick another or use --port 0`);
    if (code === 'EADDRNOTAVAIL') throw new UsageError(`--host ${printable(opts.host)}: no such local address`);
    throw err;
  }

  const org = state.defaultOrg;
  if (ctx.output === 'json') {
    ctx.io.out.write(JSON.stringify({ url: server.url, token: state.adminToken, orgId: org.id }) + '\n');
  } else {
    ctx.io.out.write(`${server.url}\n${state.adminToken}\n`);
  }
  ctx.io.info(
    [
      `Astra DevOps API emulator at ${server.url} (org "${org.name}", ${org.id})${latencyMs ? `, latency ${latencyMs}ms` : ''}${failRate ? `, fail rate ${failRate}` : ''}`,
      'stdout: the URL, then an Organization Administrator token. Try, in another shell:',
      `  astra-token org add local --api-url ${server.url}   # paste the token at the prompt`,
      `  astra-token role list`,
      `  astra-token streaming token list --tenant demo-tenant --cluster pulsar-gcp-useast4`,
      `Ctrl-C stops it${opts.state ? ` and saves its state to ${opts.state}` : ''}.`,
    ].join('\n'),
  );

  await new Promise<void>((resolve) => {
    if (ctx.signal.aborted) return resolve();
    ctx.signal.addEventListener('abort', () => resolve(), { once: true });
  });
  await server.close();
  if (opts.state) {
    saveState(opts.state, state);
    ctx.io.info(`state saved to ${opts.state}`);
  }
  return 0;
}

function integer(flag: string, value: string, min: number, max: number): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < min || n > max) {
    throw new UsageError(`${flag}: '${printable(value)}' is not a whole number from ${min} to ${max}`);
  }
  return n;
}

/** The saved state, or undefined when the file does not exist yet. Never through a symlink, never a FIFO, capped. */
function loadState(path: string): EmulatorState | undefined {
  try {
    const file = readOwnFile(path, MAX_STATE_BYTES);
    return file && EmulatorState.fromJSON(file.text);
  } catch (err) {
    throw new AppError('INTERNAL', `cannot load emulator state from ${path}: ${err instanceof UnsafeFileError ? err.reason : err instanceof Error ? err.message : String(err)}`, {
      hint: 'fix or remove the file; it is not overwritten',
    });
  }
}

/** Atomic and private, as the profile store: the state holds working emulator tokens (and the admin secret). */
function saveState(path: string, state: EmulatorState): void {
  removeStaleTemps(path);
  writeFileAtomic(path, JSON.stringify(state.toJSON(), null, 2) + '\n', 0o600);
}
