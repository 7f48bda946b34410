import { describe, expect, it } from 'vitest';
import { useEmulator } from '../helpers/emulator.js';
import { call } from '../helpers/emulator-call.js';
import { like } from '../helpers/typed.js';

const emu = useEmulator();
const api = (method: string, path: string, token: string | null = emu.adminToken) => call(emu.baseUrl, method, path, { token });
const seed = (role: string) => emu.state.issueToken(emu.state.defaultOrg.id, [role]).token;

describe('organization', () => {
  it('GET /v2/currentOrg answers {id} for any valid token, 401 otherwise', async () => {
    expect((await api('GET', '/v2/currentOrg')).body).toEqual({ id: emu.state.defaultOrg.id });
    expect((await api('GET', '/v2/currentOrg', seed('Billing Admin'))).status).toBe(200);
    expect((await api('GET', '/v2/currentOrg', null)).status).toBe(401);
  });

  it('GET /v2/organizations/users gives the org name and users with resolved roles', async () => {
    const res = await api('GET', '/v2/organizations/users');
    expect(res.status).toBe(200);
    const org = emu.state.defaultOrg;
    const admin = emu.state.findRole(org.id, 'Organization Administrator')!;
    expect(res.body).toEqual({
      orgID: org.id,
      orgName: 'Emulated Org',
      users: [
        { userID: like.any(String), email: like.stringContaining('@'), status: 'active', roles: [{ id: admin.id, name: admin.name }] },
      ],
    });
  });

  it('needs org-user-read for users', async () => {
    const res = await api('GET', '/v2/organizations/users', seed('RO User'));
    expect(res.status).toBe(403);
    expect(res.body).toEqual({ errors: [{ ID: like.any(Number), message: like.stringContaining('org-user-read') }] });
  });
});

describe('databases', () => {
  it('lists the three seeded databases and gets one by id', async () => {
    const res = await api('GET', '/v2/databases');
    expect(res.status).toBe(200);
    const dbs = res.body as Array<{ id: string; orgId: string; status: string; info: { name: string } }>;
    expect(dbs.map((d) => d.info.name)).toEqual(['orders', 'inventory', 'analytics']);
    expect(dbs.every((d) => d.status === 'ACTIVE' && d.orgId === emu.state.defaultOrg.id)).toBe(true);
    const one = await api('GET', `/v2/databases/${dbs[1]!.id}`);
    expect(one.status).toBe(200);
    expect((one.body as { info: { name: string } }).info.name).toBe('inventory');
  });

  it('404s an unknown database with errors[], and needs org-db-view', async () => {
    const missing = await api('GET', '/v2/databases/00000000-0000-4000-8000-000000000000');
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({ errors: [{ ID: like.any(Number), message: like.any(String) }] });
    expect((await api('GET', '/v2/databases', seed('Billing Admin'))).status).toBe(403);
    expect((await api('GET', '/v2/databases', seed('RO User'))).status).toBe(200);
  });
});
