// Secrets stay secret: every command runs with --debug and nothing it prints holds a token's secret part, a
// `secret` value or a Pulsar JWT, except where the contract hands over a new token (token create / rotate stdout,
// streaming token create / get stdout). Files holding credentials are 0600 in a 0700 directory after every write;
// tokens are refused on the command line; a token never goes to a plain-http, non-loopback host.
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HAS_BUILD, NO_BUILD_REASON, runBin } from '../helpers/bin.js';
import { runCli, tempConfigDir, testCacheDir, type RunResult } from '../helpers/cli.js';
import { useEmulator, withEmulatorServer } from '../helpers/emulator.js';
import type { EmulatorState } from '../../src/emulator/state.js';

const NOW = new Date('2026-03-01T12:00:00.000Z');
const emu = useEmulator({ state: { now: () => NOW } });
const STREAMING_URL = 'https://streaming.emulator.test';
const TENANT = ['--tenant', 'demo-tenant', '--cluster', 'pulsar-gcp-useast4'];
const JWT = /eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+/;
const mode = (path: string) => statSync(path).mode & 0o777;

/** Every secret the state hands out from now on (the `secret` and the token's hex part), plus those it already has. */
function recordSecrets(state: EmulatorState): Set<string> {
  const secrets = new Set<string>();
  for (const org of state.orgs) for (const t of state.listTokens(org.id)) secrets.add(t.tokenHash);
  secrets.add(state.adminToken.split(':')[2]!);
  const mint = state.mintToken.bind(state);
  state.mintToken = (...args) => {
    const issued = mint(...args);
    secrets.add(issued.secret);
    secrets.add(issued.token.split(':')[2]!);
    return issued;
  };
  return secrets;
}

const leaked = (text: string, secrets: Iterable<string>) => [...secrets].filter((s) => text.includes(s));

describe('no secret on stdout or stderr, with --debug, for every command', () => {
  it('runs the whole tool against the emulator and finds secrets only where a new token is handed over', async () => {
    const secrets = recordSecrets(emu.state);
    const dir = join(tempConfigDir(), 'fresh'); // created by the tool itself
    const outDir = tempConfigDir();
    const env = { ASTRA_TOKEN_CONFIG_DIR: dir, ASTRA_STREAMING_API_URL: STREAMING_URL };
    const ran: string[] = [];

    /**
     * Runs one command with --debug; `handsOver` says which stream may carry the secrets created by this very step.
     * Secrets that existed before the step may appear nowhere.
     */
    const step = async (
      argv: string[],
      opts: { stdin?: string; code?: number; handsOver?: 'astra' | 'jwt'; envExtra?: Record<string, string> } = {},
    ): Promise<RunResult> => {
      const before = new Set(secrets);
      const r = await runCli([...argv, '--debug'], { env: { ...env, ...opts.envExtra }, stdin: opts.stdin, now: NOW });
      ran.push(argv.join(' '));
      expect({ argv, code: r.code, stderr: r.code === (opts.code ?? 0) ? '' : r.stderr }).toEqual({
        argv,
        code: opts.code ?? 0,
        stderr: '',
      });
      const fresh = [...secrets].filter((s) => !before.has(s));
      expect({ argv, stderr: leaked(r.stderr, secrets) }).toEqual({ argv, stderr: [] });
      expect({ argv, stderrJwt: JWT.test(r.stderr) }).toEqual({ argv, stderrJwt: false });
      expect({ argv, stdout: leaked(r.stdout, opts.handsOver === 'astra' ? before : secrets) }).toEqual({ argv, stdout: [] });
      if (opts.handsOver === 'astra') expect(leaked(r.stdout, fresh).length).toBeGreaterThan(0);
      if (opts.handsOver !== 'jwt') expect({ argv, stdoutJwt: JWT.test(r.stdout) }).toEqual({ argv, stdoutJwt: false });
      // The trace did run: the Authorization header shows, redacted.
      if (r.stderr.includes('> GET') || r.stderr.includes('> POST')) expect(r.stderr).toContain('[debug]');
      // Config files after every step: 0700 directory, 0600 files.
      if (existsSync(dir)) {
        expect({ argv, dir: mode(dir).toString(8) }).toEqual({ argv, dir: '700' });
        if (existsSync(join(dir, 'config.json')))
          expect({ argv, file: 'config.json', mode: mode(join(dir, 'config.json')).toString(8) }).toEqual({
            argv,
            file: 'config.json',
            mode: '600',
          });
      }
      // The completion caches: 0700 directory, 0600 files.
      if (existsSync(testCacheDir())) {
        expect({ argv, cacheDir: mode(testCacheDir()).toString(8) }).toEqual({ argv, cacheDir: '700' });
        for (const f of readdirSync(testCacheDir()))
          expect({ argv, file: f, mode: mode(join(testCacheDir(), f)).toString(8) }).toEqual({ argv, file: f, mode: '600' });
      }
      return r;
    };
    const admin = emu.adminToken;
    const org = emu.state.defaultOrg;

    // org: the admin token goes in on stdin, and from then on comes from the profile.
    await step(['org', 'add', 'prod', '--with-token', '--api-url', emu.baseUrl], { stdin: admin });
    await step(['org', 'add', 'spare', '--with-token', '--api-url', emu.baseUrl, '--no-validate'], { stdin: admin });
    await step(['org', 'list']);
    await step(['org', 'list', '--json']);
    await step(['org', 'current']);
    await step(['org', 'current', '--json']);
    await step(['org', 'switch', 'spare']);
    await step(['org', 'switch', 'prod']);
    await step(['org', 'remove', 'spare', '--yes']);

    // role
    await step(['role', 'list']);
    await step(['role', 'list', '--json']);
    await step(['role', 'get', 'RO User', '--json']);
    await step(['role', 'actions']);
    await step(['role', 'create', 'hardening reader', '--action', 'db-cql', '--db', org.databases[0]!.id]);
    await step(['role', 'update', 'hardening reader', '--description', 'for the secrets test']);
    await step(['role', 'delete', 'hardening reader', '--yes']);

    // token: new tokens are handed over on stdout, or to a file.
    const created = await step(['token', 'create', '--role', 'RO User', '--description', 'temp one'], { handsOver: 'astra' });
    const createdId = created.stdout.trim().split(':')[1]!;
    const json = await step(['token', 'create', '--role', 'R/W User', '--description', 'temp two', '--expires', '30d', '--json'], {
      handsOver: 'astra',
    });
    const jsonToken = JSON.parse(json.stdout) as { clientId: string; token: string; secret: string };
    expect(secrets.has(jsonToken.secret)).toBe(true);
    const file = join(outDir, 'token.txt');
    await step(['token', 'create', '--role', 'RO User', '--description', 'temp three', '--output-file', file]);
    expect(mode(file).toString(8)).toBe('600');
    expect(readFileSync(file, 'utf8')).toMatch(/^AstraCS:[A-Za-z]{24}:[0-9a-f]{64}\n?$/);
    await step(['token', 'create', '--db', org.databases[1]!.info.name, '--description', 'temp scoped'], { handsOver: 'astra' });
    await step(['token', 'list']);
    await step(['token', 'list', '--json']);
    await step(['token', 'list', '--expiring-within', '60d']);
    await step(['token', 'inspect'], { stdin: created.stdout });
    await step(['token', 'inspect', '--check', '--json'], { stdin: jsonToken.token });
    await step(['token', 'inspect', '--check']);
    await step(['token', 'rotate', createdId, '--yes'], { handsOver: 'astra' });
    await step(['token', 'rotate', jsonToken.clientId, '--yes', '--json', '--keep-old'], { handsOver: 'astra' });
    await step(['token', 'delete', jsonToken.clientId, '--yes']);
    await step(['token', 'delete', jsonToken.clientId, '--yes', '--if-exists']);
    await step(['token', 'prune', '--description', 'temp*', '--dry-run']);
    await step(['token', 'prune', '--description', 'temp*', '--yes']);

    // streaming: the Pulsar JWT is the handed-over secret there.
    await step(['streaming', 'token', 'list', ...TENANT]);
    const jwt = await step(['streaming', 'token', 'create', ...TENANT], { handsOver: 'jwt' });
    expect(jwt.stdout).toMatch(JWT);
    const tokenId = (JSON.parse((await step(['streaming', 'token', 'list', ...TENANT, '--json'])).stdout) as { tokenId: string }[])[0]!
      .tokenId;
    await step(['streaming', 'token', 'get', tokenId, ...TENANT], { handsOver: 'jwt' });
    await step(['streaming', 'token', 'delete', tokenId, ...TENANT, '--yes']);

    // completion and errors: a rejected credential, a missing token, a token from the environment.
    await step(['completion', 'bash']);
    const revoked = `AstraCS:${'Z'.repeat(24)}:${'e'.repeat(64)}`;
    secrets.add('e'.repeat(64));
    await step(['token', 'list'], { code: 3, envExtra: { ASTRA_DB_APPLICATION_TOKEN: revoked, ASTRA_API_URL: emu.baseUrl } });
    await step(['token', 'delete', 'NoSuchTokenAtAllInThisOrg', '--yes'], { code: 5 });
    await step(['org', 'current'], { envExtra: { ASTRA_DB_APPLICATION_TOKEN: admin, ASTRA_API_URL: emu.baseUrl } });
    await step(['org', 'add', 'typo', '--with-token', '--api-url', emu.baseUrl], { stdin: `${admin.slice(0, -1)}`, code: 2 });

    // Every noun was exercised.
    for (const noun of [
      'org add',
      'org list',
      'org current',
      'org switch',
      'org remove',
      'role list',
      'role get',
      'role actions',
      'role create',
      'role update',
      'role delete',
      'token create',
      'token list',
      'token inspect',
      'token rotate',
      'token delete',
      'token prune',
      'streaming token list',
      'streaming token create',
      'streaming token get',
      'streaming token delete',
      'completion bash',
    ]) {
      expect({ noun, ran: ran.some((r) => `${r} `.startsWith(`${noun} `)) }).toEqual({ noun, ran: true });
    }
  });

  it('ASTRA_TOKEN_DEBUG=1 redacts the same way (the bearer header in the trace keeps only the client id)', async () => {
    const secret = emu.adminToken.split(':')[2]!;
    const r = await runCli(['token', 'list'], {
      env: { ASTRA_DB_APPLICATION_TOKEN: emu.adminToken, ASTRA_API_URL: emu.baseUrl, ASTRA_TOKEN_DEBUG: '1' },
      now: NOW,
    });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('[debug] > GET https://api.emulator.test/v2/tokens');
    expect(r.stderr).not.toContain(secret);
  });
});

describe.skipIf(!HAS_BUILD)(
  `no secret with --debug on the undici path (built bin, loopback emulator)${HAS_BUILD ? '' : ` (${NO_BUILD_REASON})`}`,
  () => {
    it('org add, token create, token list, a 401', async () => {
      await withEmulatorServer(async ({ url, state, adminToken }) => {
        const secrets = recordSecrets(state);
        const dir = tempConfigDir();
        const run = (args: string[], input?: string) => runBin([...args, '--debug'], { env: { ASTRA_TOKEN_CONFIG_DIR: dir }, input });
        const add = await run(['org', 'add', 'prod', '--with-token', '--api-url', url], adminToken);
        expect(add.code).toBe(0);
        const create = await run(['token', 'create', '--role', 'RO User']);
        expect(create.code).toBe(0);
        const list = await run(['token', 'list']);
        expect(list.code).toBe(0);
        const bad = await runBin(['token', 'list', '--debug'], {
          env: { ASTRA_DB_APPLICATION_TOKEN: `AstraCS:${'Z'.repeat(24)}:${'e'.repeat(64)}`, ASTRA_API_URL: url },
        });
        expect(bad.code).toBe(3);
        secrets.add('e'.repeat(64));
        const newHex = create.stdout.trim().split(':')[2]!;
        for (const r of [add, create, list, bad]) {
          expect(r.stderr).toContain('[debug] >');
          expect(leaked(r.stderr, secrets)).toEqual([]);
        }
        for (const r of [add, list, bad]) expect(leaked(r.stdout, secrets)).toEqual([]);
        expect(leaked(create.stdout, secrets)).toEqual([newHex]);
        expect(mode(dir).toString(8)).toBe('700');
        expect(mode(join(dir, 'config.json')).toString(8)).toBe('600');
      });
    });
  },
);

describe.skipIf(!HAS_BUILD)(`loopback never goes through a proxy from the environment${HAS_BUILD ? '' : ` (${NO_BUILD_REASON})`}`, () => {
  it('HTTP_PROXY/HTTPS_PROXY set: the plain-http loopback API is reached directly, the proxy sees no token', async () => {
    const proxied: { url: string; authorization?: string }[] = [];
    const proxy = createServer((req, res) => {
      proxied.push({ url: req.url!, authorization: req.headers.authorization });
      res.writeHead(502).end();
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
    const proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
    try {
      await withEmulatorServer(async ({ url, adminToken }) => {
        for (const host of ['127.0.0.1', 'localhost']) {
          const api = url.replace('127.0.0.1', host);
          const r = await runBin(['token', 'list', '--json'], {
            env: {
              ASTRA_DB_APPLICATION_TOKEN: adminToken,
              ASTRA_API_URL: api,
              HTTP_PROXY: proxyUrl,
              HTTPS_PROXY: proxyUrl,
              http_proxy: proxyUrl,
            },
          });
          expect({ host, code: r.code, stderr: r.stderr }).toEqual({ host, code: 0, stderr: '' });
        }
      });
      expect(proxied).toEqual([]);
    } finally {
      proxy.closeAllConnections();
      await new Promise((r) => proxy.close(r));
    }
  });
});

describe('files', () => {
  it('a config dir and file someone loosened are tightened again by the next write (org switch), never by a read', async () => {
    const dir = tempConfigDir();
    const path = join(dir, 'config.json');
    writeFileSync(
      path,
      JSON.stringify({
        version: 1,
        current: 'a',
        profiles: ['a', 'b'].map((name) => ({ name, token: emu.adminToken, apiUrl: emu.baseUrl, updatedAt: NOW.toISOString() })),
      }),
    );
    for (const [argv, after] of [
      [
        ['org', 'switch', 'b'],
        ['700', '600'],
      ],
      [
        ['org', 'list'],
        ['755', '644'],
      ],
    ] as const) {
      chmodSync(dir, 0o755);
      chmodSync(path, 0o644);
      const r = await runCli([...argv], { env: { ASTRA_TOKEN_CONFIG_DIR: dir } });
      expect(r.code).toBe(0);
      expect([mode(dir).toString(8), mode(path).toString(8)]).toEqual(after);
    }
  });

  it('the role-name cache is 0600 in a 0700 directory it creates', async () => {
    const dir = tempConfigDir();
    const caches = join(tempConfigDir(), 'new', 'nested');
    const env = { ASTRA_TOKEN_CONFIG_DIR: dir, XDG_CACHE_HOME: caches };
    expect(
      (await runCli(['org', 'add', 'p', '--with-token', '--api-url', emu.baseUrl, '--storage', 'file'], { env, stdin: emu.adminToken }))
        .code,
    ).toBe(0);
    const r = await runCli(['role', 'list'], { env });
    expect(r.code).toBe(0);
    expect(mode(join(caches, 'astra-token')).toString(8)).toBe('700');
    const cache = join(caches, 'astra-token', `role-names.${emu.state.defaultOrg.id}.json`);
    expect(mode(cache).toString(8)).toBe('600');
    expect(readFileSync(cache, 'utf8')).not.toContain('AstraCS');
  });

  describe('--output-file: never overwritten, never through a planted symlink, checked before anything is created', () => {
    const env = () => ({ ASTRA_DB_APPLICATION_TOKEN: emu.adminToken, ASTRA_API_URL: emu.baseUrl, ASTRA_STREAMING_API_URL: STREAMING_URL });
    const cases: [string, (path: string) => string[]][] = [
      ['token create', (p) => ['token', 'create', '--role', 'RO User', '--output-file', p]],
      ['streaming token create', (p) => ['streaming', 'token', 'create', ...TENANT, '--output-file', p]],
    ];
    it.each(cases)('%s: an existing file is left alone, exit 2, no request', async (_, argv) => {
      const path = join(tempConfigDir(), 'exists');
      writeFileSync(path, 'precious\n', { mode: 0o644 });
      const r = await runCli(argv(path), { env: env(), now: NOW });
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toBe(
        `error: --output-file: ${path} already exists; it is never overwritten; choose a new path or remove the file first\n`,
      );
      expect(readFileSync(path, 'utf8')).toBe('precious\n');
      expect(mode(path).toString(8)).toBe('644');
      expect(emu.state.requests.filter((q) => q.method !== 'GET')).toEqual([]);
    });

    it.each(cases)('%s: a dangling symlink is refused and its target never created', async (_, argv) => {
      const base = tempConfigDir();
      const target = join(base, 'elsewhere');
      const link = join(base, 'link');
      symlinkSync(target, link);
      const r = await runCli(argv(link), { env: env(), now: NOW });
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(existsSync(target)).toBe(false);
      expect(emu.state.requests.filter((q) => q.method !== 'GET')).toEqual([]);
    });

    it.each(cases)('%s: the new file is 0600 even under a permissive umask', async (_, argv) => {
      const path = join(tempConfigDir(), 'secret.out');
      const old = process.umask(0o000);
      try {
        const r = await runCli(argv(path), { env: env(), now: NOW });
        expect(r.code).toBe(0);
        expect(r.stdout).not.toMatch(/AstraCS:[A-Za-z]{24}:[0-9a-f]{64}/);
        expect(r.stdout).not.toMatch(JWT);
      } finally {
        process.umask(old);
      }
      expect(mode(path).toString(8)).toBe('600');
    });
  });
});

describe('tokens never on the command line, never in clear over the network', () => {
  const TOKEN = `AstraCS:${'Q'.repeat(24)}:${'ab'.repeat(32)}`;
  const positions: [string, string[]][] = [
    ['as a positional argument', ['org', 'add', TOKEN]],
    ['as an option value', ['token', 'list', '--profile', TOKEN]],
    ['as --flag=value', ['token', 'create', '--role', 'RO User', `--description=${TOKEN}`]],
    ['after --', ['token', 'delete', '--yes', '--', TOKEN]],
    ['before the command', [TOKEN, 'token', 'list']],
    ['inside a longer value', ['token', 'create', '--role', 'RO User', '--description', `note ${TOKEN} here`]],
    ['a malformed one', ['org', 'add', 'ci', 'AstraCS:abc']],
    ['with --json', ['token', 'inspect', `--token-file=${TOKEN}`, '--json']],
  ];
  it.each(positions)('%s: refused, exit 2, one line that names the safe ways and not the token, no request', async (_, argv) => {
    const r = await runCli(argv, { env: { ASTRA_DB_APPLICATION_TOKEN: emu.adminToken, ASTRA_API_URL: emu.baseUrl } });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.split('\n')).toHaveLength(2);
    expect(r.stderr).not.toContain('ab'.repeat(32));
    expect(r.stderr).not.toContain('Q'.repeat(24));
    const message = argv.includes('--json') ? (JSON.parse(r.stderr) as { error: { message: string } }).error.message : r.stderr;
    expect(message).toContain('--token-file');
    expect(message).toContain('ASTRA_DB_APPLICATION_TOKEN');
    expect(emu.state.requests).toEqual([]);
  });

  const hosts: [string, string[], Record<string, string>][] = [
    ['--api-url', ['token', 'list', '--api-url', 'http://api.example.com'], {}],
    ['--api-url with a port', ['token', 'list', '--api-url', 'http://192.168.1.10:8080'], {}],
    ['ASTRA_API_URL', ['token', 'list'], { ASTRA_API_URL: 'http://api.example.com' }],
    ['org add --api-url', ['org', 'add', 'x', '--with-token', '--api-url', 'http://api.example.com'], {}],
    ['--streaming-api-url', ['streaming', 'token', 'list', ...TENANT, '--streaming-api-url', 'http://streaming.example.com'], {}],
    ['ASTRA_STREAMING_API_URL', ['streaming', 'token', 'list', ...TENANT], { ASTRA_STREAMING_API_URL: 'http://streaming.example.com' }],
    ['a loopback look-alike host', ['token', 'list', '--api-url', 'http://127.0.0.1.example.com'], {}],
    ['localhost as a subdomain', ['token', 'list', '--api-url', 'http://localhost.example.com'], {}],
  ];
  it.each(hosts)('plain http to a non-loopback host via %s: exit 2, no request', async (_, argv, extra) => {
    const r = await runCli(argv, {
      env: { ASTRA_DB_APPLICATION_TOKEN: emu.adminToken, ASTRA_API_URL: emu.baseUrl, ...extra },
      stdin: emu.adminToken,
    });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(
      /^error: .*refusing plain http to .*: a token must not cross the network in clear \(use https; http is allowed only for loopback\)\n$/,
    );
    expect(emu.state.requests).toEqual([]);
  });

  it('a profile whose stored URL was edited to plain http is refused too', async () => {
    const dir = tempConfigDir();
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, 'config.json'),
      JSON.stringify({
        version: 1,
        current: 'p',
        profiles: [{ name: 'p', token: emu.adminToken, apiUrl: 'http://api.example.com', updatedAt: NOW.toISOString() }],
      }),
      { mode: 0o600 },
    );
    const r = await runCli(['token', 'list'], { env: { ASTRA_TOKEN_CONFIG_DIR: dir } });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: the API URL of profile 'p': refusing plain http to api\.example\.com/);
    expect(emu.state.requests).toEqual([]);
  });
});
