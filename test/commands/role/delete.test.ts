import { beforeEach, describe, expect, it } from 'vitest';
import { useEmulator } from '../../helpers/emulator.js';
import { cli, orgDrn, roleOf, seedRole, sent } from '../../helpers/fixtures/role.js';

const emu = useEmulator();
const run = cli(emu);

// A TTY prompt goes through readline, which echoes the answer with cursor codes around it.
// eslint-disable-next-line no-control-regex -- strips ESC-led cursor codes readline echoes
const screen = (text: string) => text.replace(/\u001b\[[0-9;]*[A-Za-z]/g, '').replace(/\r/g, '');

let role: ReturnType<typeof seedRole>;
beforeEach(() => {
  role = seedRole(emu, 'orders reader', { actions: ['db-cql'] });
});

describe('role delete', () => {
  it('--yes deletes without asking; nothing on stdout, a message on stderr', async () => {
    const res = await run(['role', 'delete', 'orders reader', '--yes']);
    expect(res.code).toBe(0);
    expect(res.stdout).toBe('');
    expect(res.stderr).toBe(`deleted role 'orders reader' (${role.id})\n`);
    expect(roleOf(emu, role.id)).toBeUndefined();
    expect(sent(emu)).toEqual(['GET /v2/organizations/roles', 'GET /v2/tokens', `DELETE /v2/organizations/roles/${role.id}`]);
  });

  it('--json prints what was deleted', async () => {
    const res = await run(['role', 'delete', role.id, '-y', '--json', '-q']);
    expect(res.code).toBe(0);
    expect(JSON.parse(res.stdout)).toEqual({ id: role.id, name: 'orders reader', deleted: true });
    expect(res.stderr).toBe('');
  });

  it('without a TTY and without --yes exits 2 and touches nothing', async () => {
    const res = await run(['role', 'delete', 'orders reader']);
    expect(res.code).toBe(2);
    expect(res.stderr).toBe('error: role delete needs confirmation: pass --yes (no terminal to ask on, or --no-input)\n');
    expect(sent(emu)).toEqual([]);
    expect(roleOf(emu, role.id)).toBeDefined();
  });

  it('--no-input on a TTY needs --yes too', async () => {
    const res = await run(['role', 'delete', 'orders reader', '--no-input'], { tty: true });
    expect(res.code).toBe(2);
    expect(sent(emu)).toEqual([]);
  });

  it('asks on a TTY and deletes on yes', async () => {
    const res = await run(['role', 'delete', 'orders reader', '--no-color'], { tty: true, stdin: 'y\n' });
    expect(res.code).toBe(0);
    expect(screen(res.stderr)).toBe(`Delete role 'orders reader' (${role.id})? [y/N] y\n✓ deleted role 'orders reader' (${role.id})\n`);
    expect(roleOf(emu, role.id)).toBeUndefined();
  });

  it('asks on a TTY and keeps the role on anything but yes (exit 2)', async () => {
    const res = await run(['role', 'delete', 'orders reader', '--no-color'], { tty: true, stdin: 'n\n' });
    expect(res.code).toBe(2);
    expect(screen(res.stderr)).toBe(
      `Delete role 'orders reader' (${role.id})? [y/N] n\nerror: role 'orders reader' not deleted: not confirmed\n`,
    );
    expect(roleOf(emu, role.id)).toBeDefined();
    expect(sent(emu)).toEqual(['GET /v2/organizations/roles', 'GET /v2/tokens']);
  });

  it('warns which tokens still hold the role: client id and description', async () => {
    const org = emu.state.defaultOrg.id;
    const ci = emu.state.issueToken(org, [role.id], { description: 'ci deploy' });
    const bare = emu.state.issueToken(org, [role.id, 'RO User']);
    emu.state.issueToken(org, ['RO User'], { description: 'not a holder' });
    const res = await run(['role', 'delete', role.id, '--yes']);
    expect(res.code).toBe(0);
    expect(res.stderr).toBe(
      "warning: 2 tokens still hold role 'orders reader'; they will lose the permissions it grants:\n" +
        `  ${ci.clientId}  "ci deploy"\n` +
        `  ${bare.clientId}  (no description)\n` +
        `deleted role 'orders reader' (${role.id})\n`,
    );
    expect(roleOf(emu, role.id)).toBeUndefined();
  });

  it('warns in the singular for one token, before the question', async () => {
    const holder = emu.state.issueToken(emu.state.defaultOrg.id, [role.id], { description: 'orders app' });
    const res = await run(['role', 'delete', role.id, '--no-color'], { tty: true, stdin: 'n\n' });
    expect(screen(res.stderr)).toBe(
      `warning: 1 token still holds role 'orders reader'; it will lose the permissions it grants:\n  ${holder.clientId}  "orders app"\n` +
        `Delete role 'orders reader' (${role.id})? [y/N] n\nerror: role 'orders reader' not deleted: not confirmed\n`,
    );
    expect(roleOf(emu, role.id)).toBeDefined();
  });

  it('names the first twenty holders, then how many more and where to see them all', async () => {
    const holders = Array.from({ length: 23 }, (_, i) =>
      emu.state.issueToken(emu.state.defaultOrg.id, [role.id], { description: `app ${i}` }),
    );
    const res = await run(['role', 'delete', role.id, '--yes']);
    expect(res.code).toBe(0);
    const lines = res.stderr.split('\n');
    expect(lines[0]).toBe("warning: 23 tokens still hold role 'orders reader'; they will lose the permissions it grants:");
    expect(lines.slice(1, 21)).toEqual(holders.slice(0, 20).map((t, i) => `  ${t.clientId}  "app ${i}"`));
    expect(lines[21]).toBe(`  ... and 3 more (see: astra-token token list --role ${role.id})`);
    expect(lines[22]).toBe(`deleted role 'orders reader' (${role.id})`);
  });

  it('a description cannot forge lines or colour in the warning', async () => {
    const holder = emu.state.issueToken(emu.state.defaultOrg.id, [role.id], { description: 'evil\n\u001b[31mdeleted everything' });
    const res = await run(['role', 'delete', role.id, '--yes']);
    expect(res.stderr.split('\n')[1]).toMatch(new RegExp(`^  ${holder.clientId}  "evil.*deleted everything"$`));
    expect(res.stderr).not.toContain('\u001b');
    expect(res.stderr.split('\n')).toHaveLength(4);
  });

  it('deletes without the warning when the token may not list tokens', async () => {
    const deleter = seedRole(emu, 'role janitor', {
      actions: ['org-role-read', 'org-role-delete'],
      resources: [orgDrn(emu), `${orgDrn(emu)}:role:*`],
    });
    const token = emu.state.issueToken(emu.state.defaultOrg.id, [deleter.id]).token;
    emu.state.issueToken(emu.state.defaultOrg.id, [role.id]);
    const res = await cli(emu, token)(['role', 'delete', 'orders reader', '--yes']);
    expect(res.code).toBe(0);
    expect(res.stderr).toBe(`deleted role 'orders reader' (${role.id})\n`);
    expect(emu.state.requests.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
      'GET /v2/organizations/roles 200',
      'GET /v2/tokens 403',
      `DELETE /v2/organizations/roles/${role.id} 204`,
    ]);
  });

  it.each(['Organization Administrator', 'api r/w user'])('refuses the built-in role %s by name before any request', async (name) => {
    const res = await run(['role', 'delete', name, '--yes']);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/^error: '[^']+' is a built-in role: built-in roles cannot be deleted; only custom roles can be deleted\n$/);
    expect(sent(emu)).toEqual([]);
  });

  it('refuses a built-in role given by id after only reading the role list', async () => {
    const id = roleOf(emu, 'RO User')!.id;
    const res = await run(['role', 'delete', id, '--yes']);
    expect(res.code).toBe(2);
    expect(res.stderr).toBe("error: 'RO User' is a built-in role: built-in roles cannot be deleted; only custom roles can be deleted\n");
    expect(sent(emu)).toEqual(['GET /v2/organizations/roles']);
    expect(roleOf(emu, id)).toBeDefined();
  });

  it('an unknown role exits 5', async () => {
    const res = await run(['role', 'delete', 'orders readr', '--yes']);
    expect(res.code).toBe(5);
    expect(res.stderr).toBe("error: no role named 'orders readr'; did you mean 'orders reader'? (see 'astra-token role list')\n");
    expect(sent(emu)).toEqual(['GET /v2/organizations/roles']);
  });

  it('exits 4 when the token lacks org-role-delete', async () => {
    const dba = emu.state.issueToken(emu.state.defaultOrg.id, ['Database Administrator']).token;
    const res = await cli(emu, dba)(['role', 'delete', 'orders reader', '--yes']);
    expect(res.code).toBe(4);
    expect(res.stderr).toBe(
      `error: role does not permit org-role-delete (HTTP 403 from DELETE /v2/organizations/roles/${role.id}); the credential's roles lack org-role-delete; use a token with the Organization Administrator role\n`,
    );
    expect(roleOf(emu, role.id)).toBeDefined();
  });
});
