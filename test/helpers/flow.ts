// Journeys through the BUILT bin against a loopback emulator, once per API shape: the flows a user builds from
// several commands, each test asserting the server's state afterwards (straight from the emulator's state).
import { describe } from 'vitest';
import { API_SHAPES, type ApiShape } from '../../src/emulator/route-kit.js';
import type { TokenRecord } from '../../src/emulator/state.js';
import { HAS_BUILD, runBin, type BinResult, type RunBinOptions } from './bin.js';
import { withEmulatorServer, type LoopbackEmulator } from './emulator.js';
import { tempDir } from './temp.js';

export { DAY } from './fixtures/token.js';

/** A journey runs the bin a few dozen times; on a loaded machine each run may take a second or more. */
export const FLOW_TIMEOUT_MS = 180_000;

/** The bin with a credential (a token) against this emulator, in a private config dir. */
export type Bin = (args: string[], opts?: RunBinOptions) => Promise<BinResult>;

export interface Flow {
  emu: LoopbackEmulator;
  /** The bin as the emulator's Organization Administrator. */
  admin: Bin;
  /** The bin with another token. */
  as: (token: string) => Bin;
  /** A temp dir of this test (removed by the suite's temp cleanup). */
  dir: string;
  /** The org's live tokens, straight from the emulator. */
  live: () => TokenRecord[];
  /** A token of the org by client id, straight from the emulator. */
  token: (clientId: string) => TokenRecord | undefined;
}

/** `describe` once per API shape (skipped without a build); each `run(fn)` gets a fresh loopback emulator. */
export function describeShapes(title: string, body: (run: (fn: (flow: Flow) => Promise<void>) => Promise<void>, shape: ApiShape) => void) {
  for (const shape of API_SHAPES) {
    describe.skipIf(!HAS_BUILD)(`${title} (${shape} API)`, () => {
      body((fn) => withEmulatorServer((emu) => fn(flowOf(emu)), { apiShape: shape }), shape);
    });
  }
}

function flowOf(emu: LoopbackEmulator): Flow {
  const dir = tempDir('astra-token-flow-');
  const as =
    (token: string): Bin =>
    (args, opts = {}) =>
      runBin(args, {
        ...opts,
        env: { ASTRA_TOKEN_CONFIG_DIR: dir, ASTRA_DB_APPLICATION_TOKEN: token, ASTRA_API_URL: emu.url, ...opts.env },
      });
  const org = emu.state.defaultOrg.id;
  return {
    emu,
    admin: as(emu.adminToken),
    as,
    dir,
    live: () => emu.state.listTokens(org).filter((t) => !emu.state.isExpired(t)),
    token: (clientId) => emu.state.findToken(clientId),
  };
}
