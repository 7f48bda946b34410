import { chmodSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readRoleCache, writeRoleCache } from '../../src/config/role-cache.js';
import { cachePlaces, runCli, tempConfigDir, testCacheDir } from '../helpers/cli.js';
import { cacheDir } from '../../src/config/paths.js';
import { tempDir } from '../helpers/temp.js';
import { useEmulator } from '../helpers/emulator.js';
import { ProfileStore } from '../../src/config/store.js';
import { TEST_ORG } from '../helpers/fixtures/org.js';

const emu = useEmulator();

/** A config dir with profile 'prod' saved (validated) against the emulator's default org. */
async function withProfile(): Promise<{ dir: string; env: Record<string, string> }> {
  const dir = tempConfigDir();
  const env = { ASTRA_TOKEN_CONFIG_DIR: dir };
  const add = await runCli(['org', 'add', 'prod', '--with-token', '--api-url', emu.baseUrl], { env, stdin: emu.adminToken });
  expect(add.code).toBe(0);
  return { dir, env };
}

describe('the role name cache behind --role completion', () => {
  it('is refreshed by role list, kept per org, and then completes offline', async () => {
    const { dir, env } = await withProfile();
    const org = emu.state.defaultOrg.id;
    expect(readRoleCache(testCacheDir(), org)).toEqual([]);
    expect((await runCli(['role', 'list'], { env })).code).toBe(0);
    expect(readRoleCache(testCacheDir(), org)).toHaveLength(16);
    expect(readdirSync(testCacheDir())).toEqual([`role-names.${org}.json`]);
    // Nothing but the profiles in the config directory.
    expect(readdirSync(dir)).toEqual(['config.json']);

    const before = emu.state.requests.length;
    const r = await runCli(['__complete', 'fish', '4', '--', 'astra-token', 'token', 'create', '--role', 'Data'], { env });
    expect(r.stdout).toBe('Database Administrator\n');
    expect(emu.state.requests.length).toBe(before);
  });

  it('completion offers the names of the org of the profile in use, never another org’s', async () => {
    const { dir, env } = await withProfile();
    expect((await runCli(['role', 'list'], { env })).code).toBe(0);
    new ProfileStore(dir).update((d) => void d.profiles.push({ ...d.profiles[0]!, name: 'other org', orgId: TEST_ORG }));
    const complete = (...words: string[]) => runCli(['__complete', 'fish', String(words.length - 1), '--', ...words], { env });
    expect((await complete('astra-token', 'token', 'create', '--role', 'Data')).stdout).toBe('Database Administrator\n');
    expect((await complete('astra-token', '--profile', 'other org', 'token', 'create', '--role', 'Data')).stdout).toBe('');
    expect((await complete('astra-token', '--profile=other org', 'token', 'create', '--role', 'Data')).stdout).toBe('');
    expect(
      (
        await runCli(['__complete', 'fish', '4', '--', 'astra-token', 'token', 'create', '--role', 'Data'], {
          env: { ...env, ASTRA_PROFILE: 'other org' },
        })
      ).stdout,
    ).toBe('');
  });

  it('is refreshed by token list as well', async () => {
    const { env } = await withProfile();
    expect((await runCli(['token', 'list', '--json'], { env })).code).toBe(0);
    expect(readRoleCache(testCacheDir(), emu.state.defaultOrg.id)).toContain('R/W User');
  });

  it('is not written for a token from ASTRA_DB_APPLICATION_TOKEN (no profile, so no org to file it under)', async () => {
    const dir = tempConfigDir();
    const env = { ASTRA_TOKEN_CONFIG_DIR: dir, ASTRA_DB_APPLICATION_TOKEN: emu.adminToken, ASTRA_API_URL: emu.baseUrl };
    expect((await runCli(['role', 'list'], { env })).code).toBe(0);
    expect((await runCli(['token', 'list'], { env })).code).toBe(0);
    expect(readdirSync(dir)).toEqual([]);
    expect(existsSync(testCacheDir())).toBe(false);
  });

  it('is rewritten only when its names (or its private mode) changed', () => {
    const dir = tempConfigDir();
    const places = cachePlaces(dir);
    const key = 'org-1';
    const file = join(testCacheDir(), `role-names.${key}.json`);
    writeRoleCache(places, key, ['b', 'a']);
    const first = statSync(file).ino;
    // The same names in another order: the file stays as it was (an atomic rewrite would be a new inode).
    writeRoleCache(places, key, ['a', 'b', 'a']);
    expect(statSync(file).ino).toBe(first);
    writeRoleCache(places, key, ['a', 'c']);
    const second = statSync(file).ino;
    expect(second).not.toBe(first);
    expect(readRoleCache(testCacheDir(), key)).toEqual(['a', 'c']);
    chmodSync(file, 0o644);
    writeRoleCache(places, key, ['a', 'c']);
    expect(statSync(file).ino).not.toBe(second);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });
  it('lives in $XDG_CACHE_HOME/astra-token, else ~/.cache/astra-token, wherever the profiles are', () => {
    expect(cacheDir({ XDG_CACHE_HOME: '/var/cache/me', ASTRA_TOKEN_CONFIG_DIR: '/etc/at' }, '/home/me')).toBe('/var/cache/me/astra-token');
    expect(cacheDir({ ASTRA_TOKEN_CONFIG_DIR: '/etc/at', XDG_CONFIG_HOME: '/cfg' }, '/home/me')).toBe('/home/me/.cache/astra-token');
    expect(cacheDir({ XDG_CACHE_HOME: '' }, '/home/me')).toBe('/home/me/.cache/astra-token');
  });

  it('old caches in the config directory are never read, and the next write removes them (files and links only)', async () => {
    const { dir, env } = await withProfile();
    const org = emu.state.defaultOrg.id;
    const stale = JSON.stringify({ names: ['Stale Role'] });
    writeFileSync(join(dir, `role-names.${org}.json`), stale, { mode: 0o600 });
    writeFileSync(join(dir, `db-names.${org}.json`), stale, { mode: 0o600 });
    writeFileSync(join(dir, 'role-names.json'), stale, { mode: 0o600 });
    // A link is removed as a link: what it points to stays. A directory of that name and other files stay too.
    const outside = join(tempDir('astra-token-outside-'), 'keep.json');
    writeFileSync(outside, stale);
    symlinkSync(outside, join(dir, 'db-names.other-org.json'));
    mkdirSync(join(dir, 'role-names.dir-org.json'));
    writeFileSync(join(dir, 'notes.json'), '{}');

    const complete = (...words: string[]) => runCli(['__complete', 'fish', String(words.length - 1), '--', ...words], { env });
    expect((await complete('astra-token', 'token', 'create', '--role', 'Stale')).stdout).toBe('');
    expect(readdirSync(dir).sort()).toEqual(
      [
        'config.json',
        `db-names.${org}.json`,
        'db-names.other-org.json',
        'notes.json',
        'role-names.dir-org.json',
        `role-names.${org}.json`,
        'role-names.json',
      ].sort(),
    );

    expect((await runCli(['role', 'list'], { env })).code).toBe(0);
    expect(readdirSync(dir).sort()).toEqual(['config.json', 'notes.json', 'role-names.dir-org.json']);
    expect(lstatSync(join(dir, 'role-names.dir-org.json')).isDirectory()).toBe(true);
    expect(readFileSync(outside, 'utf8')).toBe(stale);
    expect((await complete('astra-token', 'token', 'create', '--role', 'Data')).stdout).toBe('Database Administrator\n');
  });
});
