import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { runCli, tempConfigDir } from '../../helpers/cli.js';
import { DEMO_CLUSTER } from '../../../src/emulator/state.js';
import {
  demoTenant,
  LIST_PATH,
  NOW,
  recordStreaming,
  sent,
  TARGET,
  WHERE,
  type Seen,
  useStreamingEmulator,
} from '../../helpers/fixtures/streaming.js';

const { emu, run } = useStreamingEmulator();
const LIST = ['streaming', 'token', 'list', ...TARGET];
const jwt = () => emu.state.signStreamingToken(demoTenant(emu).tokens[0]!);

const JWT_AS_ASTRA =
  'this is a JWT (an Astra Streaming/Pulsar token), not an Astra application token (AstraCS:...); use it with Pulsar clients, or see `astra-token streaming token --help`';

describe('Astra token vs Pulsar JWT mix-ups', () => {
  it('explains a Pulsar JWT given as the Astra credential (env), before any request', async () => {
    expect(await run(LIST, { env: { ASTRA_DB_APPLICATION_TOKEN: jwt() } })).toEqual({
      code: 2,
      stdout: '',
      stderr: `error: the token from ASTRA_DB_APPLICATION_TOKEN is not a valid Astra token: ${JWT_AS_ASTRA}\n`,
    });
    expect(sent(emu)).toEqual([]);
  });

  it('explains a Pulsar JWT in --token-file', async () => {
    const path = join(tempConfigDir(), 'token');
    writeFileSync(path, `${jwt()}\n`);
    const res = await run([...LIST, '--token-file', path], { env: { ASTRA_DB_APPLICATION_TOKEN: undefined } });
    expect(res).toEqual({
      code: 2,
      stdout: '',
      stderr: `error: the token from --token-file ${path} is not a valid Astra token: ${JWT_AS_ASTRA}\n`,
    });
  });

  it.each([
    ['get', []],
    ['delete', ['--yes']],
  ])('refuses a Pulsar JWT given to %s as a token id (exit 2, no request, not echoed)', async (verb, extra) => {
    const token = jwt();
    const res = await run(['streaming', 'token', verb, token, ...TARGET, ...extra]);
    expect(res).toEqual({
      code: 2,
      stdout: '',
      stderr:
        "error: that is a Pulsar JWT itself, not a token id; keep tokens off the command line (they end up in shell history); 'astra-token streaming token list --tenant <t> --cluster <c>' shows the token ids\n",
    });
    expect(sent(emu)).toEqual([]);
  });

  it('recognises the client id of an Astra token given as a Pulsar token id', async () => {
    const clientId = emu.adminToken.split(':')[1]!;
    expect(await run(['streaming', 'token', 'delete', clientId, ...TARGET, '--yes'])).toEqual({
      code: 5,
      stdout: '',
      stderr: `error: no token '${clientId}' in streaming ${WHERE}; that looks like the client id of an Astra application token; those are managed with 'astra-token token list' and 'astra-token token delete'\n`,
    });
  });

  it('refuses an Astra token on the command line', async () => {
    const res = await run(['streaming', 'token', 'get', emu.adminToken, ...TARGET]);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/^error: a token was given on the command line/);
    expect(res.stderr).not.toContain(emu.adminToken.split(':')[2]);
  });

  it('warns that a new Pulsar token is not an Astra token', async () => {
    const res = await run(['streaming', 'token', 'create', ...TARGET]);
    expect(res.stderr).toContain('it is for Pulsar clients of this tenant, not an Astra token\n');
  });
});

describe('--tenant and --cluster', () => {
  it.each([
    [
      ['--tenant', 'a/b', '--cluster', DEMO_CLUSTER],
      "error: --tenant: 'a/b' is not a streaming tenant name (letters, digits, '-', '_', '.')\n",
    ],
    [
      ['--tenant', 'demo-tenant', '--cluster', 'pulsar gcp'],
      "error: --cluster: 'pulsar gcp' is not a Pulsar cluster name such as pulsar-gcp-useast4\n",
    ],
    [
      ['--tenant', 'demo-tenant', '--cluster', 'https://pulsar-gcp-useast4.streaming.datastax.com'],
      "error: --cluster takes the tenant's Pulsar cluster name (e.g. pulsar-gcp-useast4), not a URL; the streaming API host is set with --streaming-api-url\n",
    ],
  ])('refuses %j before any request (exit 2)', async (target, stderr) => {
    expect(await run(['streaming', 'token', 'list', ...target])).toEqual({ code: 2, stdout: '', stderr });
    expect(sent(emu)).toEqual([]);
  });

  it('refuses a Pulsar JWT as --tenant without echoing it', async () => {
    const token = jwt();
    const res = await run(['streaming', 'token', 'list', '--tenant', token, '--cluster', DEMO_CLUSTER]);
    expect(res).toEqual({
      code: 2,
      stdout: '',
      stderr: 'error: --tenant: that is a Pulsar JWT, not a name; keep tokens off the command line\n',
    });
  });
});

describe('authentication and permission errors', () => {
  it('explains a 401 from the streaming API after the DevOps API accepted the token (exit 3)', async () => {
    emu.server.use(http.get(`*${LIST_PATH}`, () => HttpResponse.json({ reason: 'unauthorized' }, { status: 401 })));
    expect(await run(LIST)).toEqual({
      code: 3,
      stdout: '',
      stderr: `error: unauthorized (HTTP 401 from GET ${LIST_PATH}); the DevOps API accepted the Astra token but the streaming API at https://streaming.emulator.test did not; is it the streaming host of the same Astra environment (--streaming-api-url)?\n`,
    });
  });

  it('explains a credential that may not manage streaming (exit 4)', async () => {
    const ro = emu.state.issueToken(emu.state.defaultOrg.id, ['RO User']).token;
    expect(await run(LIST, { env: { ASTRA_DB_APPLICATION_TOKEN: ro } })).toEqual({
      code: 4,
      stdout: '',
      stderr: `error: role does not permit org-stream-manage (HTTP 403 from GET ${LIST_PATH}); managing streaming tokens needs a role that may manage streaming (org-stream-manage, e.g. Organization Administrator)\n`,
    });
  });

  it('fails with exit 3 when the Astra token is revoked', async () => {
    const token = emu.state.issueToken(emu.state.defaultOrg.id, ['Organization Administrator']);
    emu.state.revokeToken(token.clientId);
    const res = await run(LIST, { env: { ASTRA_DB_APPLICATION_TOKEN: token.token } });
    expect(res.code).toBe(3);
    expect(sent(emu)).toEqual(['GET /v2/currentOrg']);
  });
});

describe('which streaming host', () => {
  function recorded(): Seen[] {
    const seen: Seen[] = [];
    emu.server.use(recordStreaming(seen));
    return seen;
  }
  const origins = (seen: Seen[]) => seen.map((s) => new URL(s.url).origin);

  it('--streaming-api-url (on the verb or on the noun) beats ASTRA_STREAMING_API_URL', async () => {
    const seen = recorded();
    expect((await run([...LIST, '--streaming-api-url', 'https://flag.example.test/'])).code).toBe(0);
    expect((await run(['streaming', '--streaming-api-url', 'https://noun.example.test', 'token', 'list', ...TARGET])).code).toBe(0);
    expect(origins(seen)).toEqual(['https://flag.example.test', 'https://noun.example.test']);
  });

  it('ASTRA_STREAMING_API_URL, then the profile, then the loopback emulator, then the public host', async () => {
    const seen = recorded();
    expect((await run(LIST)).code).toBe(0);

    const dir = tempConfigDir();
    const profile = {
      name: 'p',
      token: emu.adminToken,
      apiUrl: emu.baseUrl,
      streamingApiUrl: 'https://profile.example.test',
      updatedAt: NOW.toISOString(),
    };
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ version: 1, current: 'p', profiles: [profile] }), { mode: 0o600 });
    const fromProfile = await runCli(LIST, { env: { ASTRA_TOKEN_CONFIG_DIR: dir } });
    expect(fromProfile).toMatchObject({ code: 0, stderr: '' });

    const loopback = await runCli(LIST, { env: { ASTRA_DB_APPLICATION_TOKEN: emu.adminToken, ASTRA_API_URL: 'http://127.0.0.1:9' } });
    expect(loopback).toMatchObject({ code: 0, stderr: '' });

    const fallback = await runCli(LIST, { env: { ASTRA_DB_APPLICATION_TOKEN: emu.adminToken, ASTRA_API_URL: emu.baseUrl } });
    expect(fallback.code).toBe(0);
    expect(fallback.stderr).toBe(
      'warning: the DevOps API is https://api.emulator.test, but the streaming API defaults to https://api.streaming.datastax.com (production); set --streaming-api-url or ASTRA_STREAMING_API_URL for another environment\n',
    );

    const prod = await runCli(LIST, { env: { ASTRA_DB_APPLICATION_TOKEN: emu.adminToken } });
    expect(prod).toMatchObject({ code: 0, stderr: '' });

    expect(origins(seen)).toEqual([
      'https://streaming.emulator.test',
      'https://profile.example.test',
      'http://127.0.0.1:9',
      'https://api.streaming.datastax.com',
      'https://api.streaming.datastax.com',
    ]);
  });

  it.each([
    [['--streaming-api-url', 'http://streaming.example.com'], {}, '--streaming-api-url'],
    [[], { ASTRA_STREAMING_API_URL: 'http://streaming.example.com' }, 'ASTRA_STREAMING_API_URL'],
  ])('refuses plain http to a remote host (%j) before any request', async (flags, env, where) => {
    expect(await run([...LIST, ...flags], { env })).toEqual({
      code: 2,
      stdout: '',
      stderr: `error: ${where}: refusing plain http to streaming.example.com: a token must not cross the network in clear (use https; http is allowed only for loopback)\n`,
    });
    expect(sent(emu)).toEqual([]);
  });
});
