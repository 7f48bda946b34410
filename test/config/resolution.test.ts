// The contract's credential order, every pair: --token-file, ASTRA_DB_APPLICATION_TOKEN, --profile/ASTRA_PROFILE,
// the current profile. Each source carries a token of its own org, so the live org id proves which one was used.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveCredential } from '../../src/config/credentials.js';
import { clientIdOf, ProfileStore, type ConfigData, type Profile } from '../../src/config/store.js';
import { useEmulator } from '../helpers/emulator.js';
import { tempConfigDir } from '../helpers/cli.js';
import { cliWithDir } from '../helpers/fixtures/org.js';
import { jsonError, like, parseJson } from '../helpers/typed.js';

const emu = useEmulator();

type Source = 'token-file' | 'env' | 'profile' | 'current';
const ORDER: Source[] = ['token-file', 'env', 'profile', 'current'];
const pairs = ORDER.flatMap((a, i) => ORDER.slice(i + 1).map((b) => [a, b] as const));

function setUp(sources: readonly Source[]) {
  const orgs = Object.fromEntries(ORDER.map((s) => [s, { id: emu.state.addOrg(`Org of ${s}`).id }])) as Record<Source, { id: string }>;
  const token = (s: Source) => emu.state.issueToken(orgs[s].id, ['Organization Administrator']).token;
  const cli = cliWithDir();
  new ProfileStore(cli.dir).update((data) => {
    for (const name of ['picked', 'current'] as const) {
      const t = token(name === 'picked' ? 'profile' : 'current');
      data.profiles.push({
        name,
        storage: 'file',
        token: t,
        clientId: clientIdOf(t),
        apiUrl: emu.baseUrl,
        updatedAt: '2026-01-01T00:00:00.000Z',
      });
    }
    data.current = sources.includes('current') ? 'current' : null;
  });
  const argv = ['org', 'current', '--json', '--api-url', emu.baseUrl];
  const env: Record<string, string> = {};
  if (sources.includes('token-file')) {
    const file = join(cli.dir, 'token.txt');
    writeFileSync(file, `${token('token-file')}\n`);
    argv.push('--token-file', file);
  }
  if (sources.includes('env')) env.ASTRA_DB_APPLICATION_TOKEN = token('env');
  if (sources.includes('profile')) argv.push('--profile', 'picked');
  return { cli, argv, env, orgs };
}

const expectedSource = (s: Source) => (s === 'profile' ? 'profile:picked' : s === 'current' ? 'profile:current' : s);

describe('credential resolution order', () => {
  it.each(pairs)('%s beats %s', async (winner, loser) => {
    const { cli, argv, env, orgs } = setUp([winner, loser]);
    const r = await cli.run(argv, { env });
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { source: string; orgId: string; profile: string | null };
    expect(out.source).toBe(expectedSource(winner));
    expect(out.orgId).toBe(orgs[winner].id);
    expect(out.profile).toBe(winner === 'profile' ? 'picked' : winner === 'current' ? 'current' : null);
    const shadowed =
      loser === 'profile'
        ? `warning: --profile 'picked' is not used: ${winner === 'env' ? 'ASTRA_DB_APPLICATION_TOKEN' : '--token-file'} takes precedence\n`
        : '';
    expect(r.stderr).toBe(shadowed);
  });

  it('--profile beats ASTRA_PROFILE, which beats the current profile', async () => {
    const { cli, argv, orgs } = setUp(['current']);
    new ProfileStore(cli.dir).update((d) => {
      d.profiles.push({ ...d.profiles[0]!, name: 'third', token: emu.state.issueToken(orgs.env.id, ['Organization Administrator']).token });
    });
    const viaEnv = await cli.run(argv, { env: { ASTRA_PROFILE: 'picked' } });
    expect(JSON.parse(viaEnv.stdout)).toMatchObject({ source: 'profile:picked', orgId: orgs.profile.id });
    const viaFlag = await cli.run([...argv, '-p', 'third'], { env: { ASTRA_PROFILE: 'picked' } });
    expect(JSON.parse(viaFlag.stdout)).toMatchObject({ source: 'profile:third', orgId: orgs.env.id });
  });

  it('an unknown --profile is exit 5 even when a current profile exists', async () => {
    const { cli, argv } = setUp(['current']);
    const r = await cli.run([...argv, '--profile', 'pickd']);
    expect(r.code).toBe(5);
    expect(jsonError(r.stderr).hint).toBe("did you mean 'picked'? known profiles: 'picked', 'current'");
  });

  it('a token from a file or the environment never reads the profile store (even a corrupt one)', async () => {
    const cli = cliWithDir();
    writeFileSync(join(cli.dir, 'config.json'), '{ not json');
    const r = await cli.run(['org', 'current', '--json', '--api-url', emu.baseUrl], {
      env: { ASTRA_DB_APPLICATION_TOKEN: emu.adminToken },
    });
    expect(r.code).toBe(0);
    expect(parseJson<{ source: string }>(r.stdout).source).toBe('env');
  });
});

describe('resolveCredential', () => {
  const config = (apiUrl: string, token = emu.adminToken): ConfigData => ({
    version: 2,
    current: 'x',
    profiles: [{ name: 'x', storage: 'file', token, clientId: clientIdOf(token), apiUrl, updatedAt: '' }],
  });
  const deps = (c: ConfigData, env: Record<string, string> = {}) => ({
    env,
    config: () => c,
    profileToken: (p: Profile) => Promise.resolve(p.token!),
    readStdin: () => Promise.resolve(''),
  });

  it('refuses a stored plain-http URL to a remote host (a hand-edited file)', async () => {
    await expect(resolveCredential({}, deps(config('http://api.example.com')))).rejects.toMatchObject({
      code: 'USAGE',
      message: like.stringContaining("the API URL of profile 'x': refusing plain http to api.example.com"),
    });
  });

  it('accepts loopback http and lets --api-url / --env override the stored URL', async () => {
    expect((await resolveCredential({}, deps(config('http://127.0.0.1:8181/')))).apiUrl).toBe('http://127.0.0.1:8181');
    expect((await resolveCredential({ env: 'dev' }, deps(config('http://127.0.0.1:8181')))).apiUrl).toBe(
      'https://api.dev.cloud.datastax.com',
    );
  });

  it('checks the format of a stored token', async () => {
    await expect(resolveCredential({}, deps(config(emu.baseUrl, 'AstraCS:short')))).rejects.toMatchObject({
      code: 'USAGE',
      message: like.stringMatching(/^the token from profile 'x' is not a valid Astra token/),
    });
  });

  it('ignores an empty ASTRA_DB_APPLICATION_TOKEN and ASTRA_PROFILE', async () => {
    const cred = await resolveCredential({}, deps(config(emu.baseUrl), { ASTRA_DB_APPLICATION_TOKEN: '', ASTRA_PROFILE: '' }));
    expect(cred.source).toBe('profile:x');
  });

  it('does not touch the disk when the store directory does not exist', async () => {
    const dir = join(tempConfigDir(), 'missing');
    const store = new ProfileStore(dir);
    expect(store.read()).toEqual({ version: 2, current: null, profiles: [] });
    await expect(import('node:fs').then((fs) => fs.existsSync(dir))).resolves.toBe(false);
  });

  it('warns on every command, not only org current, when an outranked --profile is not used', async () => {
    const cli = cliWithDir();
    const r = await cli.run(['role', 'list', '--json', '--profile', 'nope', '--api-url', emu.baseUrl], {
      env: { ASTRA_DB_APPLICATION_TOKEN: emu.adminToken },
    });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("warning: --profile 'nope' is not used: ASTRA_DB_APPLICATION_TOKEN takes precedence\n");
    expect(JSON.parse(r.stdout)).toHaveLength(16);
  });
});
