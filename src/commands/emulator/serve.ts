import { existsSync } from 'node:fs';
import type { Context } from '../../context.js';
import { isLoopback } from '../../domain/loopback.js';
import { AppError, UsageError } from '../../errors.js';
import { printable } from '../../text/terminal.js';
import { EmulatorState, SeedError, applySeed, startEmulatorServer, type SeedSummary } from '../../emulator/index.js';
import { MAX_STATE_BYTES, UnsafeFileError, readOwnFile, readUserFile, removeStaleTemps, writeFileAtomic } from '../../config/safe-fs.js';
import { renderResult } from '../../output/result.js';
import type { OptionsOf } from '../verb.js';
import type { EmulatorVerbs } from './register.js';

type Options = OptionsOf<EmulatorVerbs['serve']>;

/** A seed is a hand-written list of roles and tokens: a few MiB is far more than one needs. */
const MAX_SEED_BYTES = 4 * 1024 * 1024;

export async function emulatorServe(ctx: Context, opts: Options): Promise<number> {
  // A seed starts a new org: on top of a saved state it would add its tokens again at every start.
  if (opts.seed !== undefined && opts.state !== undefined && existsSync(opts.state)) {
    throw new UsageError(`--seed: ${printable(opts.state, 120)} already holds a state; remove it, or start without --seed`);
  }
  const saved = opts.state !== undefined ? loadState(opts.state) : undefined;
  // Without --port, the port of the last run (kept in the state file): a saved profile's URL keeps working.
  const port = opts.port ?? saved?.port ?? 0;
  const { latency: latencyMs, failRate, apiShape } = opts;
  if (!isLoopback(opts.host)) {
    ctx.io.warn(`serving on ${opts.host}, not loopback: anyone who can reach it can use its tokens, sent in clear`);
  }

  const state = saved?.state ?? EmulatorState.create();
  if (opts.seed !== undefined) {
    const seeded = await seedState(state, opts.seed);
    ctx.io.info(
      `seeded ${seeded.roles} role${seeded.roles === 1 ? '' : 's'} and ${seeded.tokens} token${seeded.tokens === 1 ? '' : 's'} from ${opts.seed}`,
    );
  }
  let server;
  try {
    server = await startEmulatorServer({ state, host: opts.host, port, latencyMs, failRate, apiShape });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') {
      const from = opts.port === undefined ? ` (kept in ${opts.state})` : '';
      throw new UsageError(`--port ${port}${from}: the port is in use; pick another or use --port 0`);
    }
    if (code === 'EADDRNOTAVAIL') throw new UsageError(`--host ${printable(opts.host)}: no such local address`);
    throw err;
  }

  const org = state.defaultOrg;
  renderResult(ctx, {
    json: { url: server.url, token: state.adminToken, orgId: org.id },
    jsonLine: true,
    line: `${server.url}\n${state.adminToken}`,
  });
  ctx.io.info(
    [
      `Astra DevOps API emulator at ${server.url} (org "${org.name}", ${org.id})${latencyMs ? `, latency ${latencyMs}ms` : ''}${failRate ? `, fail rate ${failRate}` : ''}${apiShape !== 'docs' ? `, API shape ${apiShape}` : ''}`,
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
    saveState(opts.state, state, Number(new URL(server.url).port));
    ctx.io.info(`state saved to ${opts.state}`);
  }
  return 0;
}

/** Applies a seed file; an unreadable file, bad JSON or a bad entry is a usage error naming the problem. */
async function seedState(state: EmulatorState, path: string): Promise<SeedSummary> {
  let text: string;
  try {
    text = await readUserFile(path, MAX_SEED_BYTES);
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message;
    throw new UsageError(`--seed: cannot read ${printable(path, 120)}: ${reason}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new UsageError(`--seed: ${printable(path, 120)} is not JSON: ${(err as Error).message}`);
  }
  try {
    return applySeed(state, json);
  } catch (err) {
    if (err instanceof SeedError) throw new UsageError(`--seed: ${printable(path, 120)}: ${printable(err.message, 300)}`);
    throw err;
  }
}

/** The saved state and port, or undefined when the file does not exist yet. Never through a symlink, never a FIFO, capped. */
function loadState(path: string): { state: EmulatorState; port?: number } | undefined {
  try {
    const file = readOwnFile(path, MAX_STATE_BYTES);
    if (!file) return undefined;
    const data = JSON.parse(file.text) as { port?: unknown };
    const port =
      typeof data.port === 'number' && Number.isInteger(data.port) && data.port > 0 && data.port <= 65_535 ? data.port : undefined;
    return { state: EmulatorState.fromJSON(data), port };
  } catch (err) {
    throw new AppError(
      'INTERNAL',
      `cannot load emulator state from ${path}: ${err instanceof UnsafeFileError ? err.reason : err instanceof Error ? err.message : String(err)}`,
      {
        hint: 'fix or remove the file; it is not overwritten',
      },
    );
  }
}

/** Atomic and private, as the profile store: the state holds working emulator tokens (and the admin secret). The port
 * goes with it, for the next start. */
function saveState(path: string, state: EmulatorState, port: number): void {
  removeStaleTemps(path);
  writeFileAtomic(path, JSON.stringify({ ...state.toJSON(), port }, null, 2) + '\n', 0o600);
}
