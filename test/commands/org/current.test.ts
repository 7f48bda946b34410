import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useEmulator } from '../../helpers/emulator.js';
import { addProfile, cliWithDir, clientIdOf, UNKNOWN_TOKEN } from '../../helpers/fixtures/org.js';
import { parseJson } from '../../helpers/typed.js';

const emu = useEmulator();

describe('org current', () => {
  it('shows the current profile and its live org as label/value rows when piped', async () => {
    const cli = cliWithDir();
    await addProfile(cli, emu, 'prod', emu.adminToken);
    const r = await cli.run(['org', 'current']);
    expect(r).toEqual({
      code: 0,
      stdout: [
        'Profile\tprod',
        'Source\tprofile:prod',
        `Org ID\t${emu.state.defaultOrg.id}`,
        'Org name\tEmulated Org',
        `API URL\t${emu.baseUrl}`,
        `Client ID\t${clientIdOf(emu.adminToken)}`,
        '',
      ].join('\n'),
      stderr: '',
    });
  });

  it('prints aligned labels on a terminal', async () => {
    const cli = cliWithDir();
    await addProfile(cli, emu, 'prod', emu.adminToken);
    const r = await cli.run(['org', 'current'], { tty: true, env: { NO_COLOR: '1' } });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      [
        'Profile:   prod',
        'Source:    profile:prod',
        `Org ID:    ${emu.state.defaultOrg.id}`,
        'Org name:  Emulated Org',
        `API URL:   ${emu.baseUrl}`,
        `Client ID: ${clientIdOf(emu.adminToken)}`,
        '',
      ].join('\n'),
    );
  });

  it('prints the contract object with --json, live from the API', async () => {
    const cli = cliWithDir();
    await addProfile(cli, emu, 'prod', emu.adminToken);
    const before = emu.state.requests.length;
    const r = await cli.run(['org', 'current', '--json']);
    expect(r.code).toBe(0);
    expect(Object.keys(parseJson<object>(r.stdout))).toEqual(['profile', 'source', 'clientId', 'orgId', 'orgName', 'apiUrl']);
    expect(JSON.parse(r.stdout)).toEqual({
      profile: 'prod',
      source: 'profile:prod',
      clientId: clientIdOf(emu.adminToken),
      orgId: emu.state.defaultOrg.id,
      orgName: 'Emulated Org',
      apiUrl: emu.baseUrl,
    });
    expect(emu.state.requests.slice(before).map((q) => q.path)).toEqual(['/v2/currentOrg', '/v2/organizations/users']);
  });

  it('reports the environment as the source, with no profile', async () => {
    const cli = cliWithDir();
    const r = await cli.run(['org', 'current', '--json'], {
      env: { ASTRA_DB_APPLICATION_TOKEN: emu.adminToken, ASTRA_API_URL: emu.baseUrl },
    });
    expect(JSON.parse(r.stdout)).toEqual({
      profile: null,
      source: 'env',
      clientId: clientIdOf(emu.adminToken),
      orgId: emu.state.defaultOrg.id,
      orgName: 'Emulated Org',
      apiUrl: emu.baseUrl,
    });
    const piped = await cli.run(['org', 'current'], { env: { ASTRA_DB_APPLICATION_TOKEN: emu.adminToken, ASTRA_API_URL: emu.baseUrl } });
    expect(piped.stdout.split('\n')[0]).toBe('Profile\t');
  });

  it('reports a token file as the source', async () => {
    const cli = cliWithDir();
    const file = join(cli.dir, 'token');
    writeFileSync(file, emu.adminToken);
    const r = await cli.run(['org', 'current', '--json', '--token-file', file, '--api-url', emu.baseUrl]);
    expect(JSON.parse(r.stdout)).toMatchObject({ profile: null, source: 'token-file' });
  });

  it('gives a null org name (and a note) when the token may not read users', async () => {
    const cli = cliWithDir();
    await addProfile(cli, emu, 'ro', emu.state.issueToken(emu.state.defaultOrg.id, ['RO User']).token);
    const r = await cli.run(['org', 'current', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      profile: 'ro',
      source: 'profile:ro',
      clientId: expect.any(String) as string,
      orgId: emu.state.defaultOrg.id,
      orgName: null,
      apiUrl: emu.baseUrl,
    });
    expect(r.stderr).toBe('note: this token may not read the org name (it needs org-user-read)\n');
  });

  it('exits 3 when the API rejects the token, naming the source and the API URL', async () => {
    const cli = cliWithDir();
    await cli.run(['org', 'add', 'stale', '--with-token', '--no-validate', '--api-url', emu.baseUrl], { stdin: UNKNOWN_TOKEN });
    expect(await cli.run(['org', 'current'])).toEqual({
      code: 3,
      stdout: '',
      stderr:
        `error: the API at ${emu.baseUrl} rejected the token from profile 'stale' (HTTP 401); ` +
        'it is revoked, expired, or from another environment (--env, --api-url); save a fresh one with `astra-token org add <name> --force`\n',
    });
  });

  it('exits 3 without any credential, naming the three ways to provide one', async () => {
    const cli = cliWithDir();
    expect(await cli.run(['org', 'current'])).toEqual({
      code: 3,
      stdout: '',
      stderr:
        'error: no credential found; save one with `astra-token org add <name>`, set ASTRA_DB_APPLICATION_TOKEN, or pass --token-file <path>\n',
    });
  });

  it('warns when a profile token now belongs to another org than the one saved', async () => {
    const cli = cliWithDir();
    await addProfile(cli, emu, 'prod', emu.adminToken);
    const other = emu.state.addOrg('Other Org');
    const token = emu.state.issueToken(other.id, ['Organization Administrator']).token;
    const config = cli.config();
    config.profiles[0]!.token = token;
    writeFileSync(join(cli.dir, 'config.json'), JSON.stringify(config));
    const r = await cli.run(['org', 'current', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ orgId: other.id, orgName: 'Other Org' });
    expect(r.stderr).toBe(
      `warning: profile 'prod' was saved for org ${emu.state.defaultOrg.id}, but its token now belongs to org ${other.id}\n`,
    );
  });
});
