import { describe, expect, it } from 'vitest';
import { useEmulator } from '../../helpers/emulator.js';
import { addProfile, cliWithDir, clientIdOf, stripAnsi, type Cli } from '../../helpers/fixtures/org.js';

const emu = useEmulator();

async function seeded(): Promise<Cli> {
  const cli = cliWithDir();
  await addProfile(cli, emu, 'prod', emu.adminToken);
  await addProfile(cli, emu, 'staging', emu.adminToken);
  await addProfile(cli, emu, 'dev box', emu.adminToken);
  return cli;
}

describe('org remove', () => {
  it('without a terminal needs --yes, and exits 2 touching nothing', async () => {
    const cli = await seeded();
    const before = cli.raw();
    expect(await cli.run(['org', 'remove', 'staging'])).toEqual({
      code: 2,
      stdout: '',
      stderr: "error: removing profile 'staging' needs confirmation: pass --yes (no terminal to ask on, or --no-input)\n",
    });
    expect((await cli.run(['org', 'remove', 'staging', '--no-input'], { tty: true, env: { NO_COLOR: '1' } })).code).toBe(2);
    expect(cli.raw()).toBe(before);
  });

  it('with --yes removes a profile that is not current, leaving the others untouched', async () => {
    const cli = await seeded();
    const before = cli.config();
    const r = await cli.run(['org', 'remove', 'staging', '--yes']);
    expect(r).toEqual({
      code: 0,
      stdout: '',
      stderr: `removed profile 'staging'; its token ${clientIdOf(emu.adminToken)} was not revoked and stays live until it expires or is revoked in the Astra portal (next time, 'org remove --revoke' revokes it first)\n`,
    });
    expect(cli.config()).toEqual({ ...before, profiles: before.profiles.filter((p) => p.name !== 'staging') });
    expect(emu.state.requests.filter((q) => q.method === 'DELETE')).toEqual([]);
  });

  it('removing the current profile leaves none current and says how to pick one', async () => {
    const cli = await seeded();
    const r = await cli.run(['org', 'remove', 'prod', '-y', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      name: 'prod',
      current: true,
      orgId: emu.state.defaultOrg.id,
      orgName: 'Emulated Org',
      apiUrl: emu.baseUrl,
      storage: 'file',
    });
    expect(r.stderr.split('\n')[1]).toBe(
      "No profile is current now; pick one with: astra-token org switch <name> (saved: 'dev box', 'staging')",
    );
    expect(cli.config().current).toBeNull();
    const next = await cli.run(['org', 'current']);
    expect(next.code).toBe(3);
    expect(next.stderr).toBe(
      "error: no credential found: no profile is current; pick one with `astra-token org switch <name>` or --profile <name> (saved: 'staging', 'dev box'), set ASTRA_DB_APPLICATION_TOKEN, or pass --token-file <path>\n",
    );
  });

  it('removing the last profile says how to add one', async () => {
    const cli = cliWithDir();
    await addProfile(cli, emu, 'only', emu.adminToken);
    const r = await cli.run(['org', 'remove', 'only', '--yes']);
    expect(r.stderr.split('\n')[1]).toBe('No profiles are left; add one with: astra-token org add <name>');
    expect(cli.config()).toEqual({ version: 2, current: null, profiles: [] });
  });

  it('asks on a terminal: yes removes', async () => {
    const cli = await seeded();
    const r = await cli.run(['org', 'remove', 'dev box'], { tty: true, columns: 300, stdin: 'y\n', env: { NO_COLOR: '1' } });
    expect(r.code).toBe(0);
    expect(stripAnsi(r.stderr)).toContain(
      `Remove profile 'dev box' (org 'Emulated Org' (${emu.state.defaultOrg.id}))? Its token is forgotten here, not revoked; answer 'revoke' to revoke it first. [y/N/revoke] `,
    );
    expect(cli.config().profiles.map((p) => p.name)).toEqual(['prod', 'staging']);
  });

  it('the question fits the terminal it is asked on (80 columns), the answer room on its last line', async () => {
    const cli = await seeded();
    const r = await cli.run(['org', 'remove', 'dev box'], { tty: true, columns: 80, stdin: 'n\n', env: { NO_COLOR: '1' } });
    expect(r.code).toBe(2);
    const asked = stripAnsi(r.stderr).split('Remove profile')[1]!.split('[y/N/revoke] ')[0]!;
    const lines = `Remove profile${asked}[y/N/revoke] `.split('\n');
    expect(lines.length).toBeGreaterThan(1);
    expect(lines.filter((l) => [...l].length > 80)).toEqual([]);
    expect(lines.join(' ')).toBe(
      `Remove profile 'dev box' (org 'Emulated Org' (${emu.state.defaultOrg.id}))? Its token is forgotten here, not revoked; answer 'revoke' to revoke it first. [y/N/revoke] `,
    );
  });

  it('asks on a terminal: anything else keeps the profile and exits 2', async () => {
    const cli = await seeded();
    const before = cli.raw();
    const r = await cli.run(['org', 'remove', 'prod'], { tty: true, stdin: 'n\n', env: { NO_COLOR: '1' } });
    expect(r.code).toBe(2);
    expect(stripAnsi(r.stderr).endsWith("error: not removed: profile 'prod' is kept\n")).toBe(true);
    expect(cli.raw()).toBe(before);
  });

  it("--revoke revokes the profile's own token through its own credential, then forgets the profile", async () => {
    const cli = await seeded();
    const own = emu.state.issueToken(emu.state.defaultOrg.id, ['Organization Administrator'], { description: 'leaving' });
    await addProfile(cli, emu, 'leaving', own.token);
    const r = await cli.run(['org', 'remove', 'leaving', '--revoke', '--yes']);
    expect(r).toEqual({ code: 0, stdout: '', stderr: `revoked token ${own.clientId} and removed profile 'leaving'\n` });
    expect(emu.state.findToken(own.clientId)).toBeUndefined();
    expect(emu.state.findToken(clientIdOf(emu.adminToken))).toBeDefined();
    expect(cli.config().profiles.map((p) => p.name)).toEqual(['prod', 'staging', 'dev box']);
  });

  it('answering "revoke" at the prompt revokes first', async () => {
    const cli = await seeded();
    const own = emu.state.issueToken(emu.state.defaultOrg.id, ['Organization Administrator']);
    await addProfile(cli, emu, 'leaving', own.token);
    const r = await cli.run(['org', 'remove', 'leaving'], { tty: true, stdin: 'revoke\n', env: { NO_COLOR: '1' } });
    expect(r.code).toBe(0);
    expect(emu.state.findToken(own.clientId)).toBeUndefined();
    expect(cli.config().profiles.map((p) => p.name)).not.toContain('leaving');
  });

  it('--revoke that the token may not do: exit 4, the profile kept, the token still live', async () => {
    const cli = await seeded();
    const own = emu.state.issueToken(emu.state.defaultOrg.id, ['RO User']);
    await addProfile(cli, emu, 'reader', own.token, '--no-validate');
    const before = cli.raw();
    const r = await cli.run(['org', 'remove', 'reader', '--revoke', '--yes']);
    expect(r.code).toBe(4);
    expect(r.stderr).toContain(
      `error: could not revoke token ${own.clientId} of profile 'reader' at ${emu.baseUrl}: its roles do not allow revoking tokens; the profile was kept`,
    );
    expect(cli.raw()).toBe(before);
    expect(emu.state.findToken(own.clientId)).toBeDefined();
  });

  it('exits 5 on an unknown name before asking anything', async () => {
    const cli = await seeded();
    const r = await cli.run(['org', 'remove', 'stagin'], { tty: true, env: { NO_COLOR: '1' } });
    expect(r).toEqual({
      code: 5,
      stdout: '',
      stderr: "error: no profile named 'stagin'; did you mean 'staging'? known profiles: 'prod', 'staging', 'dev box'\n",
    });
  });
});
