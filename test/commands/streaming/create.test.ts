import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempConfigDir } from '../../helpers/cli.js';
import { DEMO_CLUSTER, STREAMING_TOKEN_LIMIT } from '../../../src/emulator/state.js';
import {
  claimsOf,
  CREATE_PATH,
  demoTenant,
  FLAGS,
  NOW,
  recordStreaming,
  sent,
  TARGET,
  WHERE,
  type Seen,
  useStreamingEmulator,
} from '../../helpers/fixtures/streaming.js';
import { jsonError, parseJson } from '../../helpers/typed.js';

const { emu, run } = useStreamingEmulator();

const IAT = NOW.getTime() / 1000;
const created = () => demoTenant(emu).tokens.at(-1)!;
const summary = (id: string, role: string, lifetime: string) =>
  `created Pulsar token ${id} in streaming ${WHERE} (role ${role}, ${lifetime}); it is for Pulsar clients of this tenant, not an Astra token`;
const onceWarning = (id: string) =>
  `warning: store this token now: it is shown only once here (while it exists, 'astra-token streaming token get ${id} ${FLAGS}' can fetch it again)\n`;

describe('streaming token create', () => {
  it('prints the JWT alone on stdout and the once-only warning on stderr; no --expires means never', async () => {
    const seen: Seen[] = [];
    emu.server.use(recordStreaming(seen));
    const res = await run(['streaming', 'token', 'create', ...TARGET]);
    const record = created();
    expect(res).toEqual({
      code: 0,
      stdout: emu.state.signStreamingToken(record) + '\n',
      stderr: `${summary(record.tokenId, record.role, 'never expires')}\n${onceWarning(record.tokenId)}`,
    });
    expect(emu.state.verifyStreamingToken(res.stdout.trim())).toBe(true);
    expect(claimsOf(res.stdout.trim())).toEqual({ iat: IAT, iss: 'datastax', sub: record.subject, tokenid: record.tokenId });
    expect(seen.map((s) => [s.url, parseJson<unknown>(s.body)])).toEqual([
      [`https://streaming.emulator.test${CREATE_PATH}`, { type: 'admin' }],
    ]);
    expect(seen[0]!.headers).toMatchObject({
      authorization: `Bearer ${emu.adminToken}`,
      'content-type': 'application/json',
      'x-datastax-current-org': emu.state.defaultOrg.id,
      'x-datastax-pulsar-cluster': DEMO_CLUSTER,
    });
    expect(sent(emu)).toEqual(['GET /v2/currentOrg', `POST ${CREATE_PATH}`]);
  });

  it.each([
    ['30d', '30d', 30 * 86_400, '30 days'],
    ['2w', '14d', 14 * 86_400, '14 days'],
    ['P90D', '90d', 90 * 86_400, '3 months'],
    ['200h', '200h', 200 * 3600, '8 days'],
    ['7d', '7d', 7 * 86_400, '7 days'],
  ])('--expires %s is sent as exp %s', async (flag, exp, seconds, words) => {
    const seen: Seen[] = [];
    emu.server.use(recordStreaming(seen));
    const res = await run(['streaming', 'token', 'create', ...TARGET, '--expires', flag]);
    expect(res.code).toBe(0);
    expect(JSON.parse(seen[0]!.body)).toEqual({ type: 'admin', exp });
    expect(claimsOf(res.stdout.trim()).exp).toBe(IAT + seconds);
    expect(res.stderr.split('\n')[0]).toBe(summary(created().tokenId, created().role, `expires in ${words}`));
  });

  it('--expires never is the same as no --expires', async () => {
    const seen: Seen[] = [];
    emu.server.use(recordStreaming(seen));
    expect((await run(['streaming', 'token', 'create', ...TARGET, '--expires', 'never'])).code).toBe(0);
    expect(JSON.parse(seen[0]!.body)).toEqual({ type: 'admin' });
  });

  it.each([
    [
      '6d',
      "error: --expires: 6 days is shorter than the 7 days Astra Streaming accepts; give 7d or more, or leave --expires out (or say 'never') for a token that never expires\n",
    ],
    [
      '12h',
      "error: --expires: 12 hours is shorter than the 7 days Astra Streaming accepts; give 7d or more, or leave --expires out (or say 'never') for a token that never expires\n",
    ],
    [
      '0d',
      "error: --expires: 0 is shorter than the 7 days Astra Streaming accepts; give 7d or more, or leave --expires out (or say 'never') for a token that never expires\n",
    ],
    ['soon', "error: --expires: 'soon' is not a duration; use e.g. 7d, 30d, 12w, P90D, or 'never'\n"],
    [
      '2031-01-01T00:00:00Z',
      "error: --expires: streaming tokens take a lifetime, not an instant; give a duration of 7d or more (e.g. 30d) or 'never'\n",
    ],
  ])('refuses --expires %s with exit 2 before any request', async (flag, stderr) => {
    expect(await run(['streaming', 'token', 'create', ...TARGET, '--expires', flag])).toEqual({ code: 2, stdout: '', stderr });
    expect(sent(emu)).toEqual([]);
    expect(demoTenant(emu).tokens).toHaveLength(1);
  });

  it('prints the contract object with --json', async () => {
    const res = await run(['streaming', 'token', 'create', ...TARGET, '--json']);
    const record = created();
    expect(res.code).toBe(0);
    expect(res.stdout).toBe(
      JSON.stringify({ tokenId: record.tokenId, token: emu.state.signStreamingToken(record), role: record.role }, null, 2) + '\n',
    );
    expect(res.stderr).toBe(`${summary(record.tokenId, record.role, 'never expires')}\n${onceWarning(record.tokenId)}`);
  });

  it('keeps only the warning with -q', async () => {
    const res = await run(['streaming', 'token', 'create', ...TARGET, '-q']);
    expect(res.stderr).toBe(onceWarning(created().tokenId));
  });

  it('writes --output-file with mode 0600; stdout gets the token id and no secret', async () => {
    const path = join(tempConfigDir(), 'pulsar.jwt');
    const res = await run(['streaming', 'token', 'create', ...TARGET, '--expires', '30d', '--output-file', path]);
    const record = created();
    const jwt = emu.state.signStreamingToken(record);
    expect(res).toEqual({
      code: 0,
      stdout: `${record.tokenId}\n`,
      stderr: `${summary(record.tokenId, record.role, 'expires in 30 days')}; written to ${path} (mode 0600)\n`,
    });
    expect(readFileSync(path, 'utf8')).toBe(`${jwt}\n`);
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it('with --output-file and --json, stdout gets the object without the token', async () => {
    const path = join(tempConfigDir(), 'pulsar.json');
    const res = await run(['streaming', 'token', 'create', ...TARGET, '--output-file', path, '--json']);
    const record = created();
    expect(res.code).toBe(0);
    expect(JSON.parse(res.stdout)).toEqual({ tokenId: record.tokenId, role: record.role, outputFile: path });
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual({
      tokenId: record.tokenId,
      token: emu.state.signStreamingToken(record),
      role: record.role,
    });
  });

  it('refuses an existing --output-file with exit 2 before any request, leaving it untouched', async () => {
    const path = join(tempConfigDir(), 'taken');
    writeFileSync(path, 'keep me');
    expect(await run(['streaming', 'token', 'create', ...TARGET, '--output-file', path])).toEqual({
      code: 2,
      stdout: '',
      stderr: `error: --output-file: ${path} already exists; it is never overwritten; choose a new path or remove the file first\n`,
    });
    expect(readFileSync(path, 'utf8')).toBe('keep me');
    expect(sent(emu)).toEqual([]);
  });

  it("answers the tenant's token limit with exit 6 and the service's reason, removing the reserved file", async () => {
    for (let i = 1; i < STREAMING_TOKEN_LIMIT; i++) emu.state.createStreamingToken(demoTenant(emu), null);
    const path = join(tempConfigDir(), 'pulsar.jwt');
    expect(await run(['streaming', 'token', 'create', ...TARGET, '--output-file', path])).toEqual({
      code: 6,
      stdout: '',
      stderr:
        `error: cannot create a token in streaming ${WHERE}: Exceeded the token limit for this tenant; ` +
        `delete tokens it no longer needs: 'astra-token streaming token list ${FLAGS}', then 'astra-token streaming token delete <tokenId> ${FLAGS}'\n`,
    });
    expect(existsSync(path)).toBe(false);
    const json = await run(['streaming', 'token', 'create', ...TARGET, '--json']);
    expect(json.code).toBe(6);
    expect(json.stdout).toBe('');
    expect(jsonError(json.stderr)).toMatchObject({
      code: 'CONFLICT',
      status: 409,
      message: `cannot create a token in streaming ${WHERE}: Exceeded the token limit for this tenant`,
    });
    expect(demoTenant(emu).tokens).toHaveLength(STREAMING_TOKEN_LIMIT);
  });

  it('names the tenant when it is not found (exit 5)', async () => {
    const res = await run(['streaming', 'token', 'create', '--tenant', 'nope', '--cluster', DEMO_CLUSTER]);
    expect(res.code).toBe(5);
    expect(res.stdout).toBe('');
    expect(res.stderr).toMatch(
      /^error: no streaming tenant 'nope' on cluster pulsar-gcp-useast4 in org [0-9a-f-]{36}; check --tenant and --cluster/,
    );
  });

  it('needs --tenant and --cluster (exit 2)', async () => {
    expect(await run(['streaming', 'token', 'create', '--cluster', DEMO_CLUSTER])).toEqual({
      code: 2,
      stdout: '',
      stderr:
        'error: --tenant is required: pass it, set ASTRA_STREAMING_TENANT, or save it in the profile (org add <name> --streaming-tenant <name>)\n',
    });
    expect(await run(['streaming', 'token', 'create', '--tenant', 'demo-tenant'])).toEqual({
      code: 2,
      stdout: '',
      stderr:
        'error: --cluster is required: pass it, set ASTRA_STREAMING_CLUSTER, or save it in the profile (org add <name> --streaming-cluster <name>)\n',
    });
  });
});
