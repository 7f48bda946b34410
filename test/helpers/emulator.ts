/**
 * Emulator helpers for tests.
 *
 * In-process (msw intercepts globalThis.fetch; not undici's own fetch/request):
 *
 *   const emu = useEmulator();            // at the top level of a test file
 *   it('lists', async () => {
 *     const res = await fetch(`${emu.baseUrl}/v2/tokens`, { headers: { Authorization: `Bearer ${emu.adminToken}` } });
 *     emu.state.injectFault({ method: 'DELETE', path: '/v2/tokens/*', status: 503 });
 *     emu.server.use(http.get('*\/v2/tokens', () => HttpResponse.json(...)));   // per-test override, reset after
 *   });
 *
 * Each test gets a fresh EmulatorState (and fresh handlers); unhandled requests fail the test. Call it once per test
 * file (it owns that file's msw server); a different handler config (e.g. failRate) goes in its own file.
 *
 * Over real loopback HTTP (for undici, child processes):
 *
 *   await withEmulatorServer(async ({ url, state, adminToken }) => { ... });
 */
import { setupServer, type SetupServer } from 'msw/node';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { createHandlers, type ApiShape, type HandlerOptions } from '../../src/emulator/handlers.js';
import { startEmulatorServer, type EmulatorServer } from '../../src/emulator/server.js';
import { EmulatorState, type StateOptions } from '../../src/emulator/state.js';

export const EMULATOR_BASE_URL = 'https://api.emulator.test';

export interface UseEmulatorOptions {
  /** Options for each fresh state (clock, id randomness). */
  state?: StateOptions;
  /** Latency / failRate (and its random source) for the handlers. */
  handlers?: HandlerOptions;
}

export interface EmulatorFixture {
  /** The current test's state (fresh before each test). */
  readonly state: EmulatorState;
  /** An Organization Administrator token of the default org. */
  readonly adminToken: string;
  readonly baseUrl: string;
  /** The msw server, for `server.use(...)` overrides within a test. */
  readonly server: SetupServer;
}

export function useEmulator(opts: UseEmulatorOptions = {}): EmulatorFixture {
  const fresh = () => EmulatorState.create(opts.state);
  let state = fresh();
  const server = setupServer();
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  beforeEach(() => {
    state = fresh();
    // Replaces the previous test's handlers, including any `server.use` overrides.
    server.resetHandlers(...createHandlers(state, opts.handlers));
  });
  afterAll(() => server.close());
  return {
    get state() {
      return state;
    },
    get adminToken() {
      return state.adminToken;
    },
    baseUrl: EMULATOR_BASE_URL,
    server,
  };
}

export interface LoopbackEmulator extends EmulatorServer {
  state: EmulatorState;
  adminToken: string;
}

/** Starts the loopback server (free port) for the duration of `fn`, then closes it even if `fn` throws. */
export async function withEmulatorServer<T>(
  fn: (emu: LoopbackEmulator) => Promise<T>,
  opts: { state?: EmulatorState; latencyMs?: number; failRate?: number; maxBodyBytes?: number; apiShape?: ApiShape } = {},
): Promise<T> {
  const state = opts.state ?? EmulatorState.create();
  const server = await startEmulatorServer({ ...opts, state, port: 0 });
  try {
    return await fn({ ...server, state, adminToken: state.adminToken });
  } finally {
    await server.close();
  }
}
