import { describe, expect, it } from 'vitest';
import { BUILT_IN_ROLES } from '../../src/emulator/built-in-roles.js';
import { useEmulator } from '../helpers/emulator.js';
import { call } from '../helpers/emulator-call.js';

const emu = useEmulator();
const api = (method: string, path: string, opts?: Parameters<typeof call>[3]) =>
  call(emu.baseUrl, method, path, { token: emu.adminToken, ...opts });

interface WireRole {
  id: string;
  name: string;
  policy: { description: string; resources: string[]; actions: string[]; effect: string };
  last_update_datetime: string;
  last_update_userid: string;
}

const NAMES = [
  'Organization Administrator',
  'Database Administrator',
  'Billing Admin',
  'UI View Only',
  'Admin User',
  'RO User',
  'R/W User',
  'Admin Svc Acct',
  'RO Svc Acct',
  'R/W Svc Acct',
  'API Admin User',
  'API RO User',
  'API R/W User',
  'API Admin Svc Acct',
  'API RO Svc Acct',
  'API R/W Svc Acct',
];
const orgDrn = () => `drn:astra:org:${emu.state.defaultOrg.id}`;
const newRole = (name = 'orders Database Administrator') => ({
  name,
  policy: {
    description: 'scoped',
    resources: [`${orgDrn()}:db:abc`, `${orgDrn()}:db:abc:keyspace:*`, `${orgDrn()}:db:abc:keyspace:*:table:*`],
    actions: ['db-cql', 'db-table-select'],
    effect: 'allow',
  },
});

describe('roles', () => {
  it('lists the 16 built-in roles as a bare array with the __ORG_ID__ placeholder', async () => {
    const res = await api('GET', '/v2/organizations/roles');
    expect(res.status).toBe(200);
    const roles = res.body as WireRole[];
    expect(Array.isArray(roles)).toBe(true);
    expect(roles.map((r) => r.name).sort()).toEqual([...NAMES].sort());
    for (const role of roles) {
      expect(Object.keys(role).sort()).toEqual(['id', 'last_update_datetime', 'last_update_userid', 'name', 'policy']);
      expect(role.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(role.policy.effect).toBe('allow');
      expect(role.policy.actions.length).toBeGreaterThan(0);
      expect(role.policy.resources.every((r) => r.startsWith('drn:astra:org:__ORG_ID__'))).toBe(true);
    }
    const admin = roles.find((r) => r.name === 'Organization Administrator')!;
    for (const action of [
      'org-token-read',
      'org-token-write',
      'org-role-read',
      'org-role-write',
      'org-role-delete',
      'org-user-read',
      'org-db-view',
    ]) {
      expect(admin.policy.actions).toContain(action);
    }
  });

  it('has built-in roles lacking org-token-write and org-token-read (for 403 tests)', () => {
    expect(BUILT_IN_ROLES.some((r) => r.actions.includes('org-token-read') && !r.actions.includes('org-token-write'))).toBe(true);
    expect(BUILT_IN_ROLES.some((r) => !r.actions.includes('org-token-read'))).toBe(true);
  });

  it('gives each org its own built-in role ids', () => {
    const other = emu.state.addOrg('Other');
    const ids = new Set(emu.state.defaultOrg.roles.map((r) => r.id));
    expect(other.roles.some((r) => ids.has(r.id))).toBe(false);
  });

  it('gets one role, and 404s an unknown one with a bare JSON string', async () => {
    const id = emu.state.findRole(emu.state.defaultOrg.id, 'RO User')!.id;
    const one = await api('GET', `/v2/organizations/roles/${id}`);
    expect(one.status).toBe(200);
    expect((one.body as WireRole).name).toBe('RO User');
    const missing = await api('GET', '/v2/organizations/roles/00000000-0000-4000-8000-000000000000');
    expect(missing.status).toBe(404);
    expect(typeof missing.body).toBe('string');
    expect(missing.text.startsWith('"')).toBe(true);
  });

  it('creates (201), updates (200, empty body) and deletes (204) a custom role', async () => {
    const created = await api('POST', '/v2/organizations/roles', { body: newRole() });
    expect(created.status).toBe(201);
    const role = created.body as WireRole;
    expect(role).toMatchObject({ name: 'orders Database Administrator', policy: newRole().policy });
    expect((await api('GET', '/v2/organizations/roles')).body).toHaveLength(17);

    const updated = await api('PUT', `/v2/organizations/roles/${role.id}`, {
      body: { ...newRole('renamed'), policy: { ...newRole().policy, actions: ['db-cql'] } },
    });
    expect(updated.status).toBe(200);
    expect(updated.text).toBe('');
    const after = (await api('GET', `/v2/organizations/roles/${role.id}`)).body as WireRole;
    expect(after.name).toBe('renamed');
    expect(after.policy.actions).toEqual(['db-cql']);

    const deleted = await api('DELETE', `/v2/organizations/roles/${role.id}`);
    expect(deleted.status).toBe(204);
    expect(deleted.text).toBe('');
    expect((await api('GET', `/v2/organizations/roles/${role.id}`)).status).toBe(404);
    expect((await api('DELETE', `/v2/organizations/roles/${role.id}`)).status).toBe(404);
    expect((await api('PUT', `/v2/organizations/roles/${role.id}`, { body: newRole() })).status).toBe(404);
  });

  it('409s a duplicate role name with a bare JSON string, on create and on rename', async () => {
    const dup = await api('POST', '/v2/organizations/roles', { body: newRole('RO User') });
    expect(dup.status).toBe(409);
    expect(typeof dup.body).toBe('string');
    const mine = (await api('POST', '/v2/organizations/roles', { body: newRole('mine') })).body as WireRole;
    const rename = await api('PUT', `/v2/organizations/roles/${mine.id}`, { body: newRole('Billing Admin') });
    expect(rename.status).toBe(409);
  });

  it('400s a resource that is not a DRN with the unhelpful "unable to create role"', async () => {
    const bad = newRole();
    bad.policy.resources = ['db:*'];
    const res = await api('POST', '/v2/organizations/roles', { body: bad });
    expect(res.status).toBe(400);
    expect(res.body).toBe('unable to create role');
    expect((await api('GET', '/v2/organizations/roles')).body).toHaveLength(16);
  });

  it('400s a body without actions', async () => {
    const res = await api('POST', '/v2/organizations/roles', { body: { name: 'x', policy: { resources: [orgDrn()], actions: [] } } });
    expect(res.status).toBe(400);
  });

  it('refuses to change or delete a built-in role', async () => {
    const id = emu.state.findRole(emu.state.defaultOrg.id, 'RO User')!.id;
    expect((await api('DELETE', `/v2/organizations/roles/${id}`)).status).toBe(400);
    expect((await api('PUT', `/v2/organizations/roles/${id}`, { body: newRole('x') })).status).toBe(400);
    expect(emu.state.findRole(emu.state.defaultOrg.id, 'RO User')).toBeDefined();
  });

  it('needs org-role-read, org-role-write and org-role-delete', async () => {
    const billing = emu.state.issueToken(emu.state.defaultOrg.id, ['Billing Admin']).token;
    const viewer = emu.state.issueToken(emu.state.defaultOrg.id, ['UI View Only']).token;
    expect((await call(emu.baseUrl, 'GET', '/v2/organizations/roles', { token: billing })).status).toBe(403);
    expect((await call(emu.baseUrl, 'GET', '/v2/organizations/roles', { token: viewer })).status).toBe(200);
    expect((await call(emu.baseUrl, 'POST', '/v2/organizations/roles', { token: viewer, body: newRole() })).status).toBe(403);
    const mine = (await api('POST', '/v2/organizations/roles', { body: newRole() })).body as WireRole;
    expect((await call(emu.baseUrl, 'PUT', `/v2/organizations/roles/${mine.id}`, { token: viewer, body: newRole() })).status).toBe(403);
    expect((await call(emu.baseUrl, 'DELETE', `/v2/organizations/roles/${mine.id}`, { token: viewer })).status).toBe(403);
    expect((await call(emu.baseUrl, 'GET', '/v2/organizations/roles')).status).toBe(401);
  });
});
