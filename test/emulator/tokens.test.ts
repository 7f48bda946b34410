import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { useEmulator } from '../helpers/emulator.js';
import { call, TOKEN_RE } from '../helpers/emulator-call.js';
import { like } from '../helpers/typed.js';

const emu = useEmulator();
const api = (method: string, path: string, opts?: Parameters<typeof call>[3]) =>
  call(emu.baseUrl, method, path, { token: emu.adminToken, ...opts });
const roleId = (name: string) => {
  const role = emu.state.defaultOrg.roles.find((r) => r.name === name);
  if (!role) throw new Error(name);
  return role.id;
};

interface Created {
  clientId: string;
  secret: string;
  orgId: string;
  roles: string[];
  token: string;
  generatedOn: string;
}
interface Listed {
  clients: Array<Record<string, unknown>>;
}

describe.each(['/v2/tokens', '/v2/clientIdSecrets'])('tokens on %s', (base) => {
  it('creates a token in the real format, usable at once, listed without secrets', async () => {
    const created = await api('POST', base, {
      body: { roles: [roleId('Database Administrator')], description: 'ci', tokenExpiry: '2099-01-01T00:00:00Z' },
    });
    expect(created.status).toBe(200);
    const body = created.body as Created;
    expect(Object.keys(body).sort()).toEqual(['clientId', 'generatedOn', 'orgId', 'roles', 'secret', 'token']);
    expect(body.token).toMatch(TOKEN_RE);
    expect(body.token).toHaveLength(97);
    expect(body.token).toBe(`AstraCS:${body.clientId}:${createHash('sha256').update(body.secret).digest('hex')}`);
    expect(body.orgId).toBe(emu.state.defaultOrg.id);
    expect(body.roles).toEqual([roleId('Database Administrator')]);
    expect(body.generatedOn).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z$/);

    // Database Administrator grants org-token-read: the new token can list.
    const listed = await call(emu.baseUrl, 'GET', base, { token: body.token });
    expect(listed.status).toBe(200);
    const entry = (listed.body as Listed).clients.find((c) => c.clientId === body.clientId);
    expect(entry).toEqual({
      clientId: body.clientId,
      roles: [roleId('Database Administrator')],
      generatedOn: like.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      description: 'ci',
      tokenExpiry: '2099-01-01T00:00:00.000Z',
    });
    expect(listed.text).not.toContain(body.secret);
    expect(listed.text).not.toContain(body.token.slice(33));
  });

  it('lists tokens with description "" and tokenExpiry null when unset', async () => {
    const seeded = emu.state.issueToken(emu.state.defaultOrg.id, ['RO User']);
    const listed = await api('GET', base);
    const entry = (listed.body as Listed).clients.find((c) => c.clientId === seeded.clientId);
    expect(entry).toMatchObject({ description: '', tokenExpiry: null, roles: [roleId('RO User')] });
  });

  it('revokes a token (200, empty body), after which it gets 401', async () => {
    const victim = emu.state.issueToken(emu.state.defaultOrg.id, ['Organization Administrator']);
    const deleted = await api('DELETE', `${base}/${victim.clientId}`);
    expect(deleted.status).toBe(200);
    expect(deleted.text).toBe('');
    expect(emu.state.findToken(victim.clientId)).toBeUndefined();
    expect((await call(emu.baseUrl, 'GET', base, { token: victim.token })).status).toBe(401);
  });

  it('answers 404 with an errors[] body for an unknown clientId', async () => {
    const res = await api('DELETE', `${base}/ABCDEFGHIJKLMNOPQRSTUVWX`);
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ errors: [{ ID: like.any(Number), message: like.stringContaining('not found') }] });
  });

  it.each([
    ['no roles key', { description: 'x' }],
    ['empty roles', { roles: [] }],
    ['roles not strings', { roles: [1, 2] }],
    ['roles a string', { roles: 'abc' }],
    ['expiry in the past', { roles: ['x'], tokenExpiry: '2001-01-01T00:00:00Z' }],
    ['expiry not ISO', { roles: ['x'], tokenExpiry: 'next tuesday' }],
    ['expiry a number', { roles: ['x'], tokenExpiry: 1234 }],
    ['not JSON', '{oops'],
  ])('refuses a create with %s (400, text/plain as the published description has it)', async (_label, body) => {
    const token = emu.adminToken;
    const before = emu.state.listTokens(emu.state.defaultOrg.id).length;
    const res = await call(emu.baseUrl, 'POST', base, { token, body });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(res.text).toMatch(/^[a-z].*\S$/);
    expect(emu.state.listTokens(emu.state.defaultOrg.id)).toHaveLength(before);
  });

  it('accepts a role name as a role id and makes a token with no usable role, like the real API', async () => {
    const res = await api('POST', base, { body: { roles: ['Organization Administrator'] } });
    expect(res.status).toBe(200);
    const { token, roles } = res.body as Created;
    expect(roles).toEqual(['Organization Administrator']);
    expect((await call(emu.baseUrl, 'GET', base, { token })).status).toBe(403);
    expect((await call(emu.baseUrl, 'GET', '/v2/currentOrg', { token })).status).toBe(200);
  });

  it('needs org-token-read to list and org-token-write to create and revoke', async () => {
    const viewer = emu.state.issueToken(emu.state.defaultOrg.id, ['UI View Only']).token;
    const ro = emu.state.issueToken(emu.state.defaultOrg.id, ['RO User']).token;
    const target = emu.state.issueToken(emu.state.defaultOrg.id, ['RO User']).clientId;

    expect((await call(emu.baseUrl, 'GET', base, { token: viewer })).status).toBe(200);
    const listDenied = await call(emu.baseUrl, 'GET', base, { token: ro });
    expect(listDenied.status).toBe(403);
    expect(listDenied.body).toEqual({ errors: [{ ID: like.any(Number), message: like.stringContaining('org-token-read') }] });

    const createDenied = await call(emu.baseUrl, 'POST', base, { token: viewer, body: { roles: [roleId('RO User')] } });
    expect(createDenied.status).toBe(403);
    expect(createDenied.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(createDenied.text).toContain('org-token-write');
    const deleteDenied = await call(emu.baseUrl, 'DELETE', `${base}/${target}`, { token: viewer });
    expect(deleteDenied.status).toBe(403);
    expect(emu.state.findToken(target)).toBeDefined();
  });
});

describe('authentication', () => {
  const unauthorized = (res: { status: number; body: unknown }) => {
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ errors: [{ ID: like.any(Number), message: like.any(String) }] });
  };

  it('401s a missing header, a malformed header, a malformed token and an unknown token', async () => {
    unauthorized(await call(emu.baseUrl, 'GET', '/v2/tokens'));
    unauthorized(await call(emu.baseUrl, 'GET', '/v2/tokens', { headers: { Authorization: emu.adminToken } }));
    unauthorized(await call(emu.baseUrl, 'GET', '/v2/tokens', { token: 'AstraCS:short:abc' }));
    unauthorized(await call(emu.baseUrl, 'GET', '/v2/tokens', { token: `AstraCS:${'A'.repeat(24)}:${'0'.repeat(64)}` }));
  });

  it('401s a known clientId with the wrong hash', async () => {
    const { clientId } = emu.state.issueToken(emu.state.defaultOrg.id, ['Organization Administrator']);
    unauthorized(await call(emu.baseUrl, 'GET', '/v2/tokens', { token: `AstraCS:${clientId}:${'a'.repeat(64)}` }));
  });

  it('401s an expired token like an unknown one, and accepts it while unexpired', async () => {
    const expired = emu.state.issueToken(emu.state.defaultOrg.id, ['Organization Administrator'], {
      expiresAt: new Date(Date.now() - 1000),
    });
    unauthorized(await call(emu.baseUrl, 'GET', '/v2/currentOrg', { token: expired.token }));
    const live = emu.state.issueToken(emu.state.defaultOrg.id, ['Organization Administrator'], {
      expiresAt: new Date(Date.now() + 3_600_000),
    });
    expect((await call(emu.baseUrl, 'GET', '/v2/currentOrg', { token: live.token })).status).toBe(200);
  });

  it('grants nothing through a role that was deleted after the token was made', async () => {
    const created = await api('POST', '/v2/organizations/roles', {
      body: {
        name: 'Token Reader',
        policy: { description: '', resources: [`drn:astra:org:${emu.state.defaultOrg.id}`], actions: ['org-token-read'], effect: 'allow' },
      },
    });
    const { id } = created.body as { id: string };
    const { token } = emu.state.issueToken(emu.state.defaultOrg.id, [id]);
    expect((await call(emu.baseUrl, 'GET', '/v2/tokens', { token })).status).toBe(200);
    expect((await api('DELETE', `/v2/organizations/roles/${id}`)).status).toBe(204);
    expect((await call(emu.baseUrl, 'GET', '/v2/tokens', { token })).status).toBe(403);
  });
});

describe('enterprise orgId', () => {
  it('lets an Organization Administrator create a token in another org of the emulator', async () => {
    const other = emu.state.addOrg('Second Org');
    const otherRole = emu.state.findRole(other.id, 'RO User')?.id;
    const res = await api('POST', '/v2/tokens', { body: { roles: [otherRole], orgId: other.id } });
    expect(res.status).toBe(200);
    const body = res.body as Created;
    expect(body.orgId).toBe(other.id);
    expect(emu.state.findToken(body.clientId)?.orgId).toBe(other.id);
    expect(emu.state.listTokens(other.id).map((t) => t.clientId)).toEqual([body.clientId]);
    const current = await call(emu.baseUrl, 'GET', '/v2/currentOrg', { token: body.token });
    expect(current.body).toEqual({ id: other.id });
    // The caller's own org does not list it.
    const mine = await api('GET', '/v2/tokens');
    expect((mine.body as Listed).clients.map((c) => c.clientId)).not.toContain(body.clientId);
  });

  it('403s a non-administrator targeting another org, and an unknown org', async () => {
    const other = emu.state.addOrg('Second Org');
    // A custom role with org-token-write but not Organization Administrator.
    const writer = emu.state.defaultOrg.roles[0]!;
    const custom = { ...writer, id: emu.state.uuid(), name: 'Token Writer', builtIn: false };
    emu.state.defaultOrg.roles.push(custom);
    const { token } = emu.state.issueToken(emu.state.defaultOrg.id, ['Token Writer']);
    const denied = await call(emu.baseUrl, 'POST', '/v2/tokens', { token, body: { roles: ['x'], orgId: other.id } });
    expect(denied.status).toBe(403);
    const unknown = await api('POST', '/v2/tokens', { body: { roles: ['x'], orgId: '00000000-0000-4000-8000-000000000000' } });
    expect(unknown.status).toBe(403);
    expect(emu.state.listTokens(other.id)).toEqual([]);
    // Naming the caller's own org is fine for anyone allowed to create.
    const own = await call(emu.baseUrl, 'POST', '/v2/tokens', { token, body: { roles: ['x'], orgId: emu.state.defaultOrg.id } });
    expect(own.status).toBe(200);
  });
});
