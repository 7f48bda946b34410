import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { formatLocal } from '../../../src/output/format-time.js';
import { DEMO_CLUSTER } from '../../../src/emulator/state.js';
import {
  clock,
  demoTenant,
  FLAGS,
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

/** The seeded token plus one issued an hour later that expires after 30 days. */
function twoTokens() {
  const seeded = demoTenant(emu).tokens[0]!;
  clock.now = new Date(NOW.getTime() + 3_600_000);
  const later = emu.state.createStreamingToken(demoTenant(emu), 30 * 86_400);
  return { seeded, later, org: emu.state.defaultOrg.id };
}

describe('streaming token list', () => {
  it('prints tab-separated rows, newest first, ISO-8601 UTC, expiry empty when never (piped)', async () => {
    const { seeded, later, org } = twoTokens();
    const res = await run(['streaming', 'token', 'list', ...TARGET]);
    expect(res).toEqual({
      code: 0,
      stdout:
        `${later.tokenId}\tclient;${org};demo-tenant;${later.role}\t2030-01-01T01:00:00.000Z\t2030-01-31T01:00:00.000Z\n` +
        `${seeded.tokenId}\tclient;${org};demo-tenant;${seeded.role}\t2030-01-01T00:00:00.000Z\t\n`,
      stderr: '',
    });
    expect(sent(emu)).toEqual(['GET /v2/currentOrg', `GET ${LIST_PATH}`]);
  });

  it('prints --json as the contract array', async () => {
    const { seeded, later, org } = twoTokens();
    const res = await run(['streaming', 'token', 'list', ...TARGET, '--json']);
    expect(res.code).toBe(0);
    expect(JSON.parse(res.stdout)).toEqual([
      {
        tokenId: later.tokenId,
        subject: `client;${org};demo-tenant;${later.role}`,
        issuedAt: '2030-01-01T01:00:00.000Z',
        expiresAt: '2030-01-31T01:00:00.000Z',
      },
      {
        tokenId: seeded.tokenId,
        subject: `client;${org};demo-tenant;${seeded.role}`,
        issuedAt: '2030-01-01T00:00:00.000Z',
        expiresAt: null,
      },
    ]);
    expect(res.stderr).toBe('');
  });

  it('prints an aligned table with local times and relative expiry on a TTY with --wide', async () => {
    const { seeded, later, org } = twoTokens();
    const res = await run(['streaming', 'token', 'list', ...TARGET, '--wide'], { tty: true, env: { NO_COLOR: '1' }, columns: 200 });
    const rows = [
      ['TOKEN ID', 'SUBJECT', 'ISSUED', 'EXPIRES'],
      [later.tokenId, `client;${org};demo-tenant;${later.role}`, formatLocal(new Date('2030-01-01T01:00:00Z')), 'in 30 days'],
      [seeded.tokenId, `client;${org};demo-tenant;${seeded.role}`, formatLocal(NOW), 'never'],
    ];
    const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
    const expected =
      rows
        .map((r) =>
          r
            .map((c, i) => c.padEnd(widths[i]!))
            .join('  ')
            .trimEnd(),
        )
        .join('\n') + '\n';
    expect(res).toEqual({ code: 0, stdout: expected, stderr: '' });
  });

  it('says so on a TTY when the tenant has no tokens, and prints nothing piped', async () => {
    emu.state.addStreamingTenant(emu.state.defaultOrg.id, 'quiet', DEMO_CLUSTER);
    const argv = ['streaming', 'token', 'list', '--tenant', 'quiet', '--cluster', DEMO_CLUSTER];
    expect(await run(argv, { tty: true })).toEqual({
      code: 0,
      stdout: '',
      stderr: `no tokens in streaming tenant 'quiet' on cluster ${DEMO_CLUSTER}\n`,
    });
    expect(await run(argv)).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  it('names the tenant and cluster when the tenant is not found (exit 5)', async () => {
    const hint =
      "check --tenant and --cluster: the cluster is the tenant's Pulsar cluster (e.g. pulsar-gcp-useast4), shown with the tenant in the Astra portal";
    const org = emu.state.defaultOrg.id;
    expect(await run(['streaming', 'token', 'list', '--tenant', 'nope', '--cluster', DEMO_CLUSTER])).toEqual({
      code: 5,
      stdout: '',
      stderr: `error: no streaming tenant 'nope' on cluster ${DEMO_CLUSTER} in org ${org}; ${hint}\n`,
    });
    // The right tenant on the wrong cluster is just as unknown to the service.
    const wrong = await run(['streaming', 'token', 'list', '--tenant', 'demo-tenant', '--cluster', 'pulsar-aws-uswest2', '--json']);
    expect(wrong.code).toBe(5);
    expect(wrong.stdout).toBe('');
    expect(JSON.parse(wrong.stderr)).toEqual({
      error: {
        code: 'NOT_FOUND',
        message: `no streaming tenant 'demo-tenant' on cluster pulsar-aws-uswest2 in org ${org}`,
        status: 404,
        hint,
      },
    });
  });

  it('sends the Astra token, the org id and the cluster on every call', async () => {
    const seen: Seen[] = [];
    emu.server.use(recordStreaming(seen));
    expect((await run(['streaming', 'token', 'list', ...TARGET])).code).toBe(0);
    expect(seen).toHaveLength(1);
    expect(seen[0]!.url).toBe(`https://streaming.emulator.test${LIST_PATH}`);
    expect(seen[0]!.headers).toMatchObject({
      authorization: `Bearer ${emu.adminToken}`,
      'x-datastax-current-org': emu.state.defaultOrg.id,
      'x-datastax-pulsar-cluster': DEMO_CLUSTER,
      accept: 'application/json',
    });
    expect(seen[0]!.headers['user-agent']).toMatch(/^astra-token\//);
  });

  it('reads claims leniently: tokenId casing, iat as a string, exp null, a null list', async () => {
    emu.server.use(
      http.get(`*${LIST_PATH}`, () => HttpResponse.json([{ tokenId: 'abc', sub: 's', iss: 'i', iat: '1893456000', exp: null }])),
    );
    expect(await run(['streaming', 'token', 'list', ...TARGET, '--json'])).toEqual({
      code: 0,
      stdout: JSON.stringify([{ tokenId: 'abc', subject: 's', issuedAt: '2030-01-01T00:00:00.000Z', expiresAt: null }], null, 2) + '\n',
      stderr: '',
    });
    emu.server.use(http.get(`*${LIST_PATH}`, () => HttpResponse.json(null)));
    expect(await run(['streaming', 'token', 'list', ...TARGET, '--json'])).toEqual({ code: 0, stdout: '[]\n', stderr: '' });
  });

  it('reports a list it cannot read as a bad response (exit 1)', async () => {
    emu.server.use(http.get(`*${LIST_PATH}`, () => HttpResponse.json({ tokens: [] })));
    const res = await run(['streaming', 'token', 'list', ...TARGET]);
    expect(res.code).toBe(1);
    expect(res.stderr).toBe(
      `error: GET ${LIST_PATH} answered in an unexpected shape (body: Invalid input: expected array, received object); check the API URL in use and any proxy in between (--debug shows the exchange); if both are right, report it as a bug\n`,
    );
  });
});

describe('streaming token get', () => {
  it('prints the JWT alone, after checking the token exists', async () => {
    const record = demoTenant(emu).tokens[0]!;
    const res = await run(['streaming', 'token', 'get', record.tokenId, ...TARGET]);
    expect(res).toEqual({ code: 0, stdout: emu.state.signStreamingToken(record) + '\n', stderr: '' });
    expect(sent(emu)).toEqual(['GET /v2/currentOrg', `GET ${LIST_PATH}`, `GET ${LIST_PATH}/${record.tokenId}`]);
  });

  it.each([
    ['a JSON-quoted string', (jwt: string) => HttpResponse.json(jwt)],
    ['plain text with a trailing newline', (jwt: string) => new HttpResponse(`${jwt}\n`, { headers: { 'Content-Type': 'text/plain' } })],
  ])('accepts the JWT as %s', async (_label, answer) => {
    const record = demoTenant(emu).tokens[0]!;
    const jwt = emu.state.signStreamingToken(record);
    emu.server.use(http.get(`*${LIST_PATH}/:id`, () => answer(jwt)));
    expect(await run(['streaming', 'token', 'get', record.tokenId, ...TARGET])).toEqual({ code: 0, stdout: `${jwt}\n`, stderr: '' });
  });

  it('prints {tokenId, token} with --json', async () => {
    const record = demoTenant(emu).tokens[0]!;
    const res = await run(['streaming', 'token', 'get', record.tokenId, ...TARGET, '--json']);
    expect(res.code).toBe(0);
    expect(JSON.parse(res.stdout)).toEqual({ tokenId: record.tokenId, token: emu.state.signStreamingToken(record) });
  });

  it('names the token when it is not in the tenant (exit 5), without asking for it', async () => {
    const res = await run(['streaming', 'token', 'get', 'nope', ...TARGET]);
    expect(res).toEqual({
      code: 5,
      stdout: '',
      stderr: `error: no token 'nope' in streaming ${WHERE}; 'astra-token streaming token list ${FLAGS}' shows the token ids\n`,
    });
    expect(sent(emu)).toEqual(['GET /v2/currentOrg', `GET ${LIST_PATH}`]);
  });

  it('names the token when it disappears between the list and the get (exit 5)', async () => {
    const record = demoTenant(emu).tokens[0]!;
    emu.server.use(http.get(`*${LIST_PATH}/:id`, () => new HttpResponse(null, { status: 404 })));
    const res = await run(['streaming', 'token', 'get', record.tokenId, ...TARGET]);
    expect(res.code).toBe(5);
    expect(res.stderr).toBe(
      `error: no token '${record.tokenId}' in streaming ${WHERE}; 'astra-token streaming token list ${FLAGS}' shows the token ids\n`,
    );
  });

  it('names the tenant when the tenant is not found (exit 5)', async () => {
    const res = await run(['streaming', 'token', 'get', 'x', '--tenant', 'nope', '--cluster', DEMO_CLUSTER]);
    expect(res.code).toBe(5);
    expect(res.stderr).toMatch(/^error: no streaming tenant 'nope' on cluster pulsar-gcp-useast4 in org /);
  });

  it('reports an empty body as a bad response (exit 1)', async () => {
    const record = demoTenant(emu).tokens[0]!;
    emu.server.use(http.get(`*${LIST_PATH}/:id`, () => new HttpResponse('', { status: 200 })));
    const res = await run(['streaming', 'token', 'get', record.tokenId, ...TARGET]);
    expect(res).toEqual({
      code: 1,
      stdout: '',
      stderr: `error: GET ${LIST_PATH}/${record.tokenId} answered HTTP 200 without a JWT in its body\n`,
    });
  });
});

describe('streaming errors in every documented body form', () => {
  it.each([
    ['{"reason"} (the streaming docs)', { reason: 'token has expired' }],
    ['{"Body":{"reason"}} (the description\'s errorResponse)', { Body: { reason: 'token has expired' } }],
  ])('a 401 as %s keeps its reason and exits 3', async (_label, body) => {
    emu.server.use(http.get(`*${LIST_PATH}`, () => HttpResponse.json(body, { status: 401 })));
    const res = await run(['streaming', 'token', 'list', ...TARGET]);
    expect(res.code).toBe(3);
    expect(res.stdout).toBe('');
    expect(res.stderr).toContain(`token has expired (HTTP 401 from GET ${LIST_PATH})`);
  });
});
