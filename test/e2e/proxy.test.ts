// Proxies, through the BUILT bin: the bundle's trimmed undici imports once broke every proxied request
// ("this[kClient].connect is not a function") while every other test stayed green. A start-up optimisation that
// breaks proxying again fails here. The API name (api.example.test) is not loopback and never resolves: through
// the proxy only the proxy knows where it is; the child's lookups go through a hook that reports each one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HAS_BUILD, NO_BUILD_REASON, runBin, type BinResult } from '../helpers/bin.js';
import { startEmulatorServer, type EmulatorServer } from '../../src/emulator/server.js';
import { EmulatorState } from '../../src/emulator/state.js';
import {
  makeTestCa,
  PROXIED_HOST,
  startConnectProxy,
  startTlsFront,
  type ConnectProxy,
  type Listening,
  type TestCa,
} from '../helpers/proxy.js';

describe.skipIf(!HAS_BUILD)(`proxies from the environment${HAS_BUILD ? '' : ` (${NO_BUILD_REASON})`}`, () => {
  let ca: TestCa;
  let emulator: EmulatorServer;
  let state: EmulatorState;
  let front: Listening;
  let proxy: ConnectProxy;

  beforeAll(async () => {
    ca = makeTestCa();
    state = EmulatorState.create();
    emulator = await startEmulatorServer({ state, port: 0 });
    front = await startTlsFront(ca, Number(new URL(emulator.url).port));
    proxy = await startConnectProxy({ [`${PROXIED_HOST}:443`]: front.port, [`${PROXIED_HOST}:${front.port}`]: front.port });
  });

  afterAll(async () => {
    await Promise.all([proxy?.close(), front?.close(), emulator?.close()]);
    ca?.remove();
  });

  /** Runs the bin with the test CA trusted, the resolver hook in place and a private config dir in the CA's dir. */
  async function run(args: string[], env: Record<string, string>): Promise<BinResult> {
    proxy.connects.length = 0;
    proxy.plain.length = 0;
    return runBin(args, {
      env: {
        ASTRA_DB_APPLICATION_TOKEN: state.adminToken,
        NODE_EXTRA_CA_CERTS: ca.caPath,
        NODE_OPTIONS: `--import=${ca.resolverHook}`,
        ...env,
      },
      timeoutMs: 30_000,
    });
  }
  const proxyUrl = () => `http://127.0.0.1:${proxy.port}`;
  const roleCount = (r: BinResult) => (JSON.parse(r.stdout) as unknown[]).length;

  it.each(['HTTPS_PROXY', 'https_proxy'])(
    '%s: requests tunnel through the proxy (CONNECT); the client never resolves the name',
    async (name) => {
      const r = await run(['role', 'list', '--json'], { ASTRA_API_URL: `https://${PROXIED_HOST}`, [name]: proxyUrl() });
      expect(r.stderr).not.toMatch(/connect is not a function/);
      expect(r.code).toBe(0);
      expect(roleCount(r)).toBe(16);
      expect(proxy.connects).toEqual([`${PROXIED_HOST}:443`]);
      expect(proxy.plain).toEqual([]);
      expect(r.stderr).not.toContain(`[resolver] ${PROXIED_HOST}`);
    },
  );

  it('a write goes through the tunnel too (token create, then delete)', async () => {
    const env = { ASTRA_API_URL: `https://${PROXIED_HOST}`, HTTPS_PROXY: proxyUrl() };
    const created = await run(['token', 'create', '--role', 'Database Administrator', '--json'], env);
    expect(created.code).toBe(0);
    const { clientId } = JSON.parse(created.stdout) as { clientId: string };
    const deleted = await run(['token', 'delete', clientId, '--yes', '--json'], env);
    expect(deleted.code).toBe(0);
    expect(proxy.connects.every((c) => c === `${PROXIED_HOST}:443`)).toBe(true);
  });

  it('NO_PROXY (a parent domain) sends the request directly: the client resolves the name, the proxy sees nothing', async () => {
    const r = await run(['role', 'list', '--json'], {
      ASTRA_API_URL: `https://${PROXIED_HOST}:${front.port}`,
      HTTPS_PROXY: proxyUrl(),
      NO_PROXY: '.example.test',
      TEST_HOSTS: JSON.stringify({ [PROXIED_HOST]: '127.0.0.1' }),
    });
    expect(r.code).toBe(0);
    expect(roleCount(r)).toBe(16);
    expect(proxy.connects).toEqual([]);
    expect(r.stderr).toContain(`[resolver] ${PROXIED_HOST}`);
  });

  it.each(['127.0.0.1', 'localhost'])('loopback (%s) is reached directly even when every proxy variable is set', async (host) => {
    const r = await run(['role', 'list', '--json'], {
      ASTRA_API_URL: `http://${host}:${new URL(emulator.url).port}`,
      HTTPS_PROXY: proxyUrl(),
      HTTP_PROXY: proxyUrl(),
      https_proxy: proxyUrl(),
      http_proxy: proxyUrl(),
    });
    expect(r.code).toBe(0);
    expect(roleCount(r)).toBe(16);
    expect(proxy.connects).toEqual([]);
    expect(proxy.plain).toEqual([]);
  });

  it('a proxy that refuses the tunnel is an unavailable API (exit 7), not success', async () => {
    const r = await run(['role', 'list', '--json'], { ASTRA_API_URL: 'https://elsewhere.example.test', HTTPS_PROXY: proxyUrl() });
    expect(r.code).toBe(7);
    expect(proxy.connects).toEqual(['elsewhere.example.test:443']);
    expect(r.stderr).toMatch(/cannot reach elsewhere\.example\.test: .*403/);
  });

  it('a proxy variable that is not a URL: exit 2 naming the variable, never echoing its value (it may hold a password)', async () => {
    const r = await run(['role', 'list'], { ASTRA_API_URL: `https://${PROXIED_HOST}`, HTTPS_PROXY: 'http://me:s3cret@[proxy' });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/HTTPS_PROXY: not a proxy URL/);
    expect(r.stderr).not.toContain('s3cret');
  });
});

describe.skipIf(!HAS_BUILD)(`localhost is this machine, whatever a resolver says${HAS_BUILD ? '' : ` (${NO_BUILD_REASON})`}`, () => {
  it('http://localhost connects to the loopback address without asking the resolver', async () => {
    const ca = makeTestCa();
    const state = EmulatorState.create();
    const emulator = await startEmulatorServer({ state, port: 0 });
    try {
      // The hook answers ENOTFOUND for localhost: a lookup would fail the command, and shows in stderr.
      const r = await runBin(['role', 'list', '--json'], {
        env: {
          ASTRA_DB_APPLICATION_TOKEN: state.adminToken,
          ASTRA_API_URL: `http://localhost:${new URL(emulator.url).port}`,
          NODE_OPTIONS: `--import=${ca.resolverHook}`,
        },
        timeoutMs: 30_000,
      });
      expect(r.stderr).not.toContain('[resolver] localhost');
      expect(r.code).toBe(0);
    } finally {
      await emulator.close();
      ca.remove();
    }
  });
});
