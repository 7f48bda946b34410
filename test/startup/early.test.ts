// The bin's early reads (src/startup/early.ts): sent before the bundle loads, used by the transport as its first
// attempt, aborted when unused, shown (redacted) in --debug, and never sent where the CLI itself would not send them.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { abortEarlyReads, earlyVerb, startEarlyReads, takeEarlyRead } from '../../src/startup/early.js';
import { HAS_BUILD, NO_BUILD_REASON, runBin } from '../helpers/bin.js';
import { withEmulatorServer } from '../helpers/emulator.js';
import { BOGUS_TOKEN } from '../helpers/fixtures/token.js';

afterEach(() => abortEarlyReads());

describe('which argv the early path acts on', () => {
  it.each([
    [['token', 'list'], 'token list'],
    [['--json', 'token', 'list', '--debug'], 'token list'],
    [['-q', '--timeout', '5', 'audit'], 'token audit'],
    [['--timeout=2.5', 'list'], 'token list'],
    [['role', 'list', '--json'], 'role list'],
    [['--debug', 'db', 'list'], 'db list'],
  ])('%j: %s', (argv, verb) => {
    expect(earlyVerb(argv)?.verb).toBe(verb);
  });

  it.each([
    [['token', 'create']],
    [['token', 'list', '--role', 'x']],
    [['token', 'audit', '--baseline', 'f']],
    [['--profile', 'prod', 'token', 'list']],
    [['-p', 'prod', 'list']],
    [['token', 'list', '--token-file', 'f']],
    [['token', 'list', '--api-url=https://elsewhere.example']],
    [['--env', 'dev', 'token', 'list']],
    [['token', 'list', '--help']],
    [['--with-token', 'token', 'list']],
    [['--unknown', 'token', 'list']],
    [['--json=1', 'token', 'list']],
    [['-qp', 'x', 'token', 'list']],
    [['--', 'token', 'list']],
    [[]],
  ])('%j: stands aside', (argv) => {
    expect(earlyVerb(argv)).toBeUndefined();
  });
});

describe('where the early path stands aside (nothing is sent)', () => {
  const remote = { ASTRA_DB_APPLICATION_TOKEN: BOGUS_TOKEN, ASTRA_API_URL: 'https://api.example.test' };
  it.each([
    ['a proxy is configured for a remote API', { ...remote, HTTPS_PROXY: 'http://127.0.0.1:9' }],
    ['a proxy (lower case) for a remote API', { ...remote, http_proxy: 'http://127.0.0.1:9' }],
    ['plain http to a remote host', { ...remote, ASTRA_API_URL: 'http://api.example.test' }],
    ['a URL with credentials', { ...remote, ASTRA_API_URL: 'https://u:p@api.example.test' }],
    ['a malformed token', { ...remote, ASTRA_DB_APPLICATION_TOKEN: `${BOGUS_TOKEN} ` }],
    ['no token in the environment', { ASTRA_API_URL: 'https://api.example.test' }],
  ])('%s', (_what, env) => {
    startEarlyReads(['token', 'list'], env);
    expect(takeEarlyRead('https://api.example.test', BOGUS_TOKEN, 30_000, '/v2/tokens')).toBeUndefined();
    expect(takeEarlyRead('http://api.example.test', BOGUS_TOKEN, 30_000, '/v2/tokens')).toBeUndefined();
  });

  it('an unparsable --timeout', () => {
    startEarlyReads(['--timeout', 'soon', 'token', 'list'], {
      ASTRA_DB_APPLICATION_TOKEN: BOGUS_TOKEN,
      ASTRA_API_URL: 'https://api.example.test',
    });
    expect(takeEarlyRead('https://api.example.test', BOGUS_TOKEN, 30_000, '/v2/tokens')).toBeUndefined();
  });
});

describe('handing an early read over', () => {
  async function withServer(fn: (url: string, seen: string[]) => Promise<void>): Promise<void> {
    const seen: string[] = [];
    const server = createServer((req, res) => {
      seen.push(`${req.method} ${req.url} ${req.headers.authorization === `Bearer ${BOGUS_TOKEN}` ? 'token' : 'no token'}`);
      res.writeHead(200, { 'Content-Type': 'application/json' }).end('[]');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      await fn(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen);
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  }

  it('is taken only with the same base URL, token and timeout; a mismatch aborts it', async () => {
    await withServer(async (url) => {
      const env = { ASTRA_DB_APPLICATION_TOKEN: BOGUS_TOKEN, ASTRA_API_URL: url };
      startEarlyReads(['--timeout', '5', 'role', 'list'], env);
      expect(takeEarlyRead(url, BOGUS_TOKEN, 30_000, '/v2/organizations/roles')).toBeUndefined();
      // Taken once: the mismatch above aborted it.
      expect(takeEarlyRead(url, BOGUS_TOKEN, 5_000, '/v2/organizations/roles')).toBeUndefined();
      startEarlyReads(['role', 'list'], env);
      const read = takeEarlyRead(url, BOGUS_TOKEN, 30_000, '/v2/organizations/roles');
      expect(await read?.answer).toMatchObject({ status: 200, text: '[]' });
    });
  });

  it('sends the token in the Authorization header, to the loopback API named', async () => {
    await withServer(async (url, seen) => {
      startEarlyReads(['token', 'audit'], { ASTRA_DB_APPLICATION_TOKEN: BOGUS_TOKEN, ASTRA_API_URL: url });
      await takeEarlyRead(url, BOGUS_TOKEN, 30_000, '/v2/tokens')?.answer;
      await takeEarlyRead(url, BOGUS_TOKEN, 30_000, '/v2/organizations/roles')?.answer;
      expect(seen.sort()).toEqual(['GET /v2/organizations/roles token', 'GET /v2/tokens token']);
    });
  });
});

describe.skipIf(!HAS_BUILD)(`early reads through the built bin${HAS_BUILD ? '' : ` (${NO_BUILD_REASON})`}`, () => {
  it.each(['docs', 'spec', 'mixed'] as const)('are used, each read made once, and traced redacted in --debug (%s)', async (apiShape) => {
    await withEmulatorServer(
      async (emu) => {
        const r = await runBin(['--debug', 'token', 'list', '--json'], {
          env: { ASTRA_DB_APPLICATION_TOKEN: emu.adminToken, ASTRA_API_URL: emu.url },
        });
        expect(r.code).toBe(0);
        const listed = (JSON.parse(r.stdout) as { clientId: string }[]).map((t) => t.clientId).sort();
        expect(listed).toEqual(
          emu.state
            .listTokens(emu.state.defaultOrg.id)
            .map((t) => t.clientId)
            .sort(),
        );
        expect(r.stderr).toMatch(/> GET \S+\/v2\/tokens \(sent at start-up, \d+ms after the process started\)/);
        expect(r.stderr).toMatch(/> GET \S+\/v2\/organizations\/roles \(sent at start-up/);
        expect(r.stderr).not.toContain(emu.adminToken.split(':')[2]);
        // Each early read went out once (the spec shape then reads its own route for the tokens).
        const sent = (path: string) => emu.state.requests.filter((q) => q.method === 'GET' && q.path === path).length;
        expect([sent('/v2/tokens'), sent('/v2/organizations/roles')]).toEqual([1, 1]);
      },
      { apiShape },
    );
  });
});
