import { describe, expect, it } from 'vitest';
import { useEmulator } from '../../helpers/emulator.js';
import { addProfile, cliWithDir, UNKNOWN_TOKEN, type Cli } from '../../helpers/fixtures/org.js';
import { jsonError } from '../../helpers/typed.js';

const emu = useEmulator();

/** Three profiles: "prod" (current, admin), "ro team/a.b" (RO token: no org name), "later" (--no-validate). */
async function seeded(): Promise<Cli> {
  const cli = cliWithDir();
  await addProfile(cli, emu, 'prod', emu.adminToken);
  await addProfile(cli, emu, 'ro team/a.b', emu.state.issueToken(emu.state.defaultOrg.id, ['RO User']).token);
  await cli.run(['org', 'add', 'later', '--with-token', '--no-validate', '--env', 'dev'], { stdin: UNKNOWN_TOKEN });
  return cli;
}

describe('org list', () => {
  it('prints tab-separated rows sorted by name when piped, and never a token', async () => {
    const cli = await seeded();
    const id = emu.state.defaultOrg.id;
    const r = await cli.run(['org', 'list']);
    expect(r).toEqual({
      code: 0,
      stdout: [
        'later\t\t\thttps://api.dev.cloud.datastax.com\t\tfile',
        `prod\t${id}\tEmulated Org\t${emu.baseUrl}\t*\tfile`,
        `ro team/a.b\t${id}\t\t${emu.baseUrl}\t\tfile`,
        '',
      ].join('\n'),
      stderr: '',
    });
    expect(r.stdout).not.toMatch(/AstraCS|[0-9a-f]{64}/);
  });

  it.each([
    ['shortened', [] as string[]],
    ['full with --wide', ['--wide']],
  ])('prints an aligned table with headers on a terminal, the org id %s', async (_, wide) => {
    const cli = await seeded();
    const fullId = emu.state.defaultOrg.id;
    const id = wide.length ? fullId : `${fullId.slice(0, 8)}…`;
    const r = await cli.run(['org', 'list', ...wide], { tty: true, env: { NO_COLOR: '1' } });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const pad = (cells: string[], widths: number[]) =>
      cells
        .map((c, i) => c.padEnd(widths[i]!))
        .join('  ')
        .trimEnd();
    const widths = [
      'ro team/a.b'.length,
      id.length,
      'Emulated Org'.length,
      'https://api.dev.cloud.datastax.com'.length,
      'CURRENT'.length,
      'STORAGE'.length,
    ];
    expect(r.stdout).toBe(
      [
        pad(['NAME', 'ORG ID', 'ORG NAME', 'API URL', 'CURRENT', 'STORAGE'], widths),
        pad(['later', '-', '-', 'https://api.dev.cloud.datastax.com', '', 'file'], widths),
        pad(['prod', id, 'Emulated Org', emu.baseUrl, '*', 'file'], widths),
        pad(['ro team/a.b', id, '-', emu.baseUrl, '', 'file'], widths),
        '',
      ].join('\n'),
    );
  });

  it('colours the current marker on a terminal only', async () => {
    const cli = await seeded();
    expect((await cli.run(['org', 'list'], { tty: true })).stdout).toContain('\u001b[32m*\u001b[39m');
    expect((await cli.run(['org', 'list'])).stdout).not.toContain('\u001b[');
  });

  it('prints the contract array with --json', async () => {
    const cli = await seeded();
    const id = emu.state.defaultOrg.id;
    const r = await cli.run(['org', 'list', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([
      { name: 'later', current: false, orgId: null, orgName: null, apiUrl: 'https://api.dev.cloud.datastax.com', storage: 'file' },
      { name: 'prod', current: true, orgId: id, orgName: 'Emulated Org', apiUrl: emu.baseUrl, storage: 'file' },
      { name: 'ro team/a.b', current: false, orgId: id, orgName: null, apiUrl: emu.baseUrl, storage: 'file' },
    ]);
  });

  it('with no profiles: nothing on stdout, a note on a terminal only, [] with --json', async () => {
    const cli = cliWithDir();
    expect(await cli.run(['org', 'list'])).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(await cli.run(['org', 'list'], { tty: true, env: { NO_COLOR: '1' } })).toEqual({
      code: 0,
      stdout: '',
      stderr: 'no profiles saved yet; add one with: astra-token org add <name>\n',
    });
    expect(await cli.run(['org', 'list', '--json'])).toEqual({ code: 0, stdout: '[]\n', stderr: '' });
  });

  it('needs no credential and makes no request', async () => {
    const cli = await seeded();
    const before = emu.state.requests.length;
    await cli.run(['org', 'list'], { env: { ASTRA_DB_APPLICATION_TOKEN: UNKNOWN_TOKEN } });
    expect(emu.state.requests.length).toBe(before);
  });
});

describe('org switch', () => {
  it('makes another profile current and leaves every profile untouched', async () => {
    const cli = await seeded();
    const before = cli.config().profiles;
    const r = await cli.run(['org', 'switch', 'ro team/a.b']);
    expect(r).toEqual({
      code: 0,
      stdout: '',
      stderr: `switched to profile 'ro team/a.b': org ${emu.state.defaultOrg.id}\n`,
    });
    expect(cli.config().current).toBe('ro team/a.b');
    expect(cli.config().profiles).toEqual(before);
  });

  it('says so when the profile is already current, and prints the item with --json', async () => {
    const cli = await seeded();
    const r = await cli.run(['org', 'switch', 'prod', '--json']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(`profile 'prod' is already the current one: org 'Emulated Org' (${emu.state.defaultOrg.id})\n`);
    expect(JSON.parse(r.stdout)).toEqual({
      name: 'prod',
      current: true,
      orgId: emu.state.defaultOrg.id,
      orgName: 'Emulated Org',
      apiUrl: emu.baseUrl,
      storage: 'file',
    });
  });

  it('warns when the environment overrides the profile just picked', async () => {
    const cli = await seeded();
    const env = await cli.run(['org', 'switch', 'later'], { env: { ASTRA_DB_APPLICATION_TOKEN: emu.adminToken } });
    expect(env.stderr).toBe(
      "switched to profile 'later': org not validated\nwarning: ASTRA_DB_APPLICATION_TOKEN is set in this shell and takes precedence over 'later' until it is unset\n",
    );
    const profile = await cli.run(['org', 'switch', 'prod'], { env: { ASTRA_PROFILE: 'later' } });
    expect(profile.stderr).toContain(
      "warning: ASTRA_PROFILE=later is set in this shell and takes precedence over 'prod' until it is unset\n",
    );
  });

  it('exits 5 on an unknown name, naming the known ones and a close match; nothing changes', async () => {
    const cli = await seeded();
    const before = cli.raw();
    expect(await cli.run(['org', 'switch', 'prdo'])).toEqual({
      code: 5,
      stdout: '',
      stderr: "error: no profile named 'prdo'; did you mean 'prod'? known profiles: 'prod', 'ro team/a.b', 'later'\n",
    });
    const json = await cli.run(['org', 'switch', 'nothing-like-it', '--json']);
    expect(json.code).toBe(5);
    expect(json.stdout).toBe('');
    expect(jsonError(json.stderr)).toEqual({
      code: 'NOT_FOUND',
      message: "no profile named 'nothing-like-it'",
      hint: "known profiles: 'prod', 'ro team/a.b', 'later'",
    });
    expect(cli.raw()).toBe(before);
  });

  it('matches names exactly (case matters)', async () => {
    const cli = await seeded();
    const r = await cli.run(['org', 'switch', 'PROD']);
    expect(r.code).toBe(5);
    expect(r.stderr).toContain("did you mean 'prod'?");
  });
});
