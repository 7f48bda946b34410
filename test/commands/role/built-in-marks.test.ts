// A custom role is custom whatever text its resources hold: the `__ORG_ID__` placeholder the built-in roles are
// written against, put in a custom role's resource, once made it pass for built-in (role list said "built-in",
// role delete refused it, and the audit's custom-role rules skipped it).
import { describe, expect, it } from 'vitest';
import { useEmulator } from '../../helpers/emulator.js';
import { cli, orgDrn, roleOf, seedRole } from '../../helpers/fixtures/role.js';

const emu = useEmulator();
const run = cli(emu);

function seedDisguised() {
  return seedRole(emu, 'disguised', {
    actions: ['db-cql', 'db-table-select'],
    resources: [orgDrn(emu), `${orgDrn(emu)}:db:*`, 'drn:astra:org:__ORG_ID__:db:*'],
  });
}

describe('a custom role with __ORG_ID__ in a resource', () => {
  it('is listed as custom', async () => {
    const role = seedDisguised();
    const r = await run(['role', 'get', role.id, '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ id: role.id, builtIn: false });
  });

  it('can be deleted like any custom role', async () => {
    const role = seedDisguised();
    const r = await run(['role', 'delete', 'disguised', '--yes']);
    expect(r.stderr).toBe(`deleted role 'disguised' (${role.id})\n`);
    expect(r.code).toBe(0);
    expect(roleOf(emu, role.id)).toBeUndefined();
  });

  it('is audited as a custom role (broad-custom-role, unused-role)', async () => {
    const role = seedDisguised();
    const r = await run(['token', 'audit', '--json']);
    const rules = (JSON.parse(r.stdout) as { findings: Array<{ rule: string; roleId: string | null }> }).findings
      .filter((f) => f.roleId === role.id)
      .map((f) => f.rule)
      .sort();
    expect(rules).toEqual(['broad-custom-role', 'unused-role']);
  });

  it('while a built-in role is still refused, by name, by label and by id', async () => {
    const ro = emu.state.defaultOrg.roles.find((x) => x.name === 'RO User')!;
    for (const ref of ['RO User', 'Read Only User', ro.id]) {
      const r = await run(['role', 'delete', ref, '--yes']);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/^error: 'RO User' is a built-in role: built-in roles cannot be deleted/);
    }
    expect(roleOf(emu, ro.id)).toBeDefined();
  });
});
