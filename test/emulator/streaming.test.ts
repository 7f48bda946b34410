import { describe, expect, it } from 'vitest';
import { useEmulator } from '../helpers/emulator.js';
import { DEMO_CLUSTER, DEMO_TENANT, EmulatorState, STREAMING_TOKEN_LIMIT } from '../../src/emulator/state.js';
import { claimsOf, CREATE_PATH, demoTenant, LIST_PATH, NOW, stateOptions } from '../helpers/fixtures/streaming.js';

const emu = useEmulator({ state: stateOptions });

function headers(extra: Record<string, string | undefined> = {}): Record<string, string> {
  const all: Record<string, string | undefined> = {
    Authorization: `Bearer ${emu.adminToken}`,
    'X-DataStax-Current-Org': emu.state.defaultOrg.id,
    'X-DataStax-Pulsar-Cluster': DEMO_CLUSTER,
    ...extra,
  };
  return Object.fromEntries(Object.entries(all).filter((e): e is [string, string] => e[1] !== undefined));
}

const call = (method: string, path: string, h: Record<string, string> = headers(), body?: unknown) =>
  fetch(`${emu.baseUrl}${path}`, {
    method,
    headers: body === undefined ? h : { ...h, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

describe('emulator: streaming routes', () => {
  it('seeds every org with the demo tenant and one token that never expires', async () => {
    const res = await call('GET', LIST_PATH);
    expect(res.status).toBe(200);
    const [token] = demoTenant(emu).tokens;
    expect(await res.json()).toEqual([
      {
        iat: NOW.getTime() / 1000,
        iss: 'datastax',
        sub: `client;${emu.state.defaultOrg.id};${DEMO_TENANT};${token!.role}`,
        tokenid: token!.tokenId,
      },
    ]);
    const other = emu.state.addOrg('Second');
    expect(emu.state.findStreamingTenant(other.id, DEMO_TENANT)?.tokens).toHaveLength(1);
  });

  it.each([
    ['no X-DataStax-Current-Org', { 'X-DataStax-Current-Org': undefined }, 400, 'missing X-DataStax-Current-Org header'],
    ['no X-DataStax-Pulsar-Cluster', { 'X-DataStax-Pulsar-Cluster': undefined }, 400, 'missing X-DataStax-Pulsar-Cluster header'],
    [
      'another org in X-DataStax-Current-Org',
      { 'X-DataStax-Current-Org': '00000000-0000-4000-8000-000000000000' },
      401,
      'X-DataStax-Current-Org does not match the organization of the token',
    ],
  ])('refuses a request with %s', async (_label, extra, status, reason) => {
    for (const [method, path] of [
      ['GET', LIST_PATH],
      ['POST', CREATE_PATH],
    ] as const) {
      const res = await call(method, path, headers(extra), method === 'POST' ? { type: 'admin' } : undefined);
      expect(res.status).toBe(status);
      expect(await res.json()).toEqual({ reason });
    }
    expect(demoTenant(emu).tokens).toHaveLength(1);
  });

  it('needs a valid Astra token that may manage streaming, and says why in the streaming error object', async () => {
    const missing = await call('GET', LIST_PATH, headers({ Authorization: undefined }));
    expect(missing.status).toBe(401);
    expect(await missing.json()).toEqual({ reason: 'missing Authorization header' });
    const jwt = emu.state.signStreamingToken(demoTenant(emu).tokens[0]!);
    const unknown = await call('GET', `${LIST_PATH}/${demoTenant(emu).tokens[0]!.tokenId}`, headers({ Authorization: `Bearer ${jwt}` }));
    expect(unknown.status).toBe(401);
    expect(await unknown.json()).toEqual({ reason: 'The token is invalid, expired or revoked' });
    const ro = emu.state.issueToken(emu.state.defaultOrg.id, ['RO User']).token;
    const denied = await call('GET', LIST_PATH, headers({ Authorization: `Bearer ${ro}` }));
    expect(denied.status).toBe(403);
    expect(await denied.json()).toEqual({ reason: 'role does not permit org-stream-manage' });
  });

  it('creates on /v3 with an empty body or none (every field optional): an admin token that never expires', async () => {
    for (const body of [{}, undefined]) {
      const res = await call('POST', CREATE_PATH, headers(), body);
      expect(res.status).toBe(201);
      const { id, token } = (await res.json()) as { id: string; token: string };
      expect(claimsOf(token)).not.toHaveProperty('exp');
      expect(demoTenant(emu).tokens.find((t) => t.tokenId === id)).toMatchObject({ expiresAt: null });
    }
    expect(demoTenant(emu).tokens).toHaveLength(3);
  });

  it('creates on /v2 (no body), answering the JWT itself; 409 with no body at the limit', async () => {
    const res = await call('POST', LIST_PATH);
    expect(res.status).toBe(201);
    expect(res.headers.get('content-type')).toBe('text/plain');
    const jwt = await res.text();
    const { tokenid } = claimsOf(jwt) as { tokenid: string };
    expect(emu.state.verifyStreamingToken(jwt)).toBe(true);
    expect(demoTenant(emu).tokens.map((t) => t.tokenId)).toContain(tokenid);
    while (demoTenant(emu).tokens.length < STREAMING_TOKEN_LIMIT) emu.state.createStreamingToken(demoTenant(emu), null);
    const full = await call('POST', LIST_PATH);
    expect(full.status).toBe(409);
    expect(await full.text()).toBe('');
    expect(demoTenant(emu).tokens).toHaveLength(STREAMING_TOKEN_LIMIT);
  });

  it('answers an unknown tenant, a tenant on another cluster and an unknown token with 404 and an empty body', async () => {
    for (const res of [
      await call('GET', '/v2/streaming/tenants/nope/tokens'),
      await call('GET', LIST_PATH, headers({ 'X-DataStax-Pulsar-Cluster': 'pulsar-aws-uswest2' })),
      await call('GET', `${LIST_PATH}/nope`),
      await call('DELETE', `${LIST_PATH}/nope`),
      await call('POST', '/v3/streaming/tenants/nope/tokens', headers(), { type: 'admin' }),
    ]) {
      expect(res.status).toBe(404);
      expect(await res.text()).toBe('');
    }
  });

  it('creates real HS256 JWTs carrying iat, iss, sub, tokenid and exp', async () => {
    const res = await call('POST', CREATE_PATH, headers(), { type: 'admin', exp: '30d' });
    expect(res.status).toBe(201);
    const body = (await res.json()) as { id: string; rolename: string; token: string };
    expect(Object.keys(body).sort()).toEqual(['id', 'rolename', 'token']);
    const [header] = body.token.split('.');
    expect(JSON.parse(Buffer.from(header!, 'base64url').toString())).toEqual({ alg: 'HS256', typ: 'JWT' });
    const iat = NOW.getTime() / 1000;
    expect(claimsOf(body.token)).toEqual({
      iat,
      iss: 'datastax',
      sub: `client;${emu.state.defaultOrg.id};${DEMO_TENANT};${body.rolename}`,
      tokenid: body.id,
      exp: iat + 30 * 86_400,
    });
    expect(emu.state.verifyStreamingToken(body.token)).toBe(true);
    expect(emu.state.verifyStreamingToken(body.token.slice(0, -2) + 'xx')).toBe(false);

    const got = await call('GET', `${LIST_PATH}/${body.id}`);
    expect(got.headers.get('content-type')).toBe('text/plain');
    expect(await got.text()).toBe(body.token);
  });

  it.each([
    [{ type: 'admin', exp: '6d' }, 'token expiry must be at least 7 days'],
    [{ type: 'admin', exp: 'soon' }, 'exp must be a duration such as 30d'],
    [{ type: 'user' }, 'type must be "admin"'],
  ])('refuses %j with 400', async (body, reason) => {
    const res = await call('POST', CREATE_PATH, headers(), body);
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ reason });
  });

  it(`holds at most ${STREAMING_TOKEN_LIMIT} tokens per tenant, then answers 409 with the reason`, async () => {
    for (let i = 1; i < STREAMING_TOKEN_LIMIT; i++)
      expect((await call('POST', CREATE_PATH, headers(), { type: 'admin' })).status).toBe(201);
    const res = await call('POST', CREATE_PATH, headers(), { type: 'admin' });
    expect(res.status).toBe(409);
    expect(await res.json()).toEqual({ reason: 'Exceeded the token limit for this tenant' });
    const victim = demoTenant(emu).tokens[0]!.tokenId;
    expect((await call('DELETE', `${LIST_PATH}/${victim}`)).status).toBe(200);
    expect((await call('POST', CREATE_PATH, headers(), { type: 'admin' })).status).toBe(201);
  });
});

describe('emulator state: streaming', () => {
  it('round-trips tenants, tokens and the signing key through toJSON/fromJSON', () => {
    const state = EmulatorState.create({ now: () => NOW });
    const tenant = state.findStreamingTenant(state.defaultOrg.id, DEMO_TENANT)!;
    const record = state.createStreamingToken(tenant, 14 * 86_400);
    const jwt = state.signStreamingToken(record);
    state.addStreamingTenant(state.defaultOrg.id, 'empty', 'pulsar-aws-useast1');

    const restored = EmulatorState.fromJSON(JSON.parse(JSON.stringify(state)));
    expect(restored.streamingTenants).toEqual(state.streamingTenants);
    const again = restored.findStreamingTenant(state.defaultOrg.id, DEMO_TENANT)!.tokens.find((t) => t.tokenId === record.tokenId)!;
    expect(restored.signStreamingToken(again)).toBe(jwt);
    expect(restored.verifyStreamingToken(jwt)).toBe(true);
    expect(JSON.stringify(restored.toJSON())).toBe(JSON.stringify(state.toJSON()));
  });

  it('gives the orgs of a snapshot from before streaming the demo tenant', () => {
    const state = EmulatorState.create();
    const { streaming: _streaming, ...old } = state.toJSON();
    const restored = EmulatorState.fromJSON(old);
    expect(restored.findStreamingTenant(state.defaultOrg.id, DEMO_TENANT)?.tokens).toHaveLength(1);
    expect(() => EmulatorState.fromJSON({ ...old, streaming: { key: 1, tenants: [] } })).toThrow(/malformed streaming/);
  });
});
