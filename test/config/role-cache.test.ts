import { chmodSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readRoleCache, writeRoleCache } from '../../src/config/role-cache.js';
import { runCli, tempConfigDir } from '../helpers/cli.js';
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
    expect(readRoleCache(dir, org)).toEqual([]);
    expect((await runCli(['role', 'list'], { env })).code).toBe(0);
    expect(readRoleCache(dir, org)).toHaveLength(16);
    expect(readdirSync(dir)).toContain(`role-names.${org}.json`);

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
    const { dir, env } = await withProfile();
    expect((await runCli(['token', 'list', '--json'], { env })).code).toBe(0);
    expect(readRoleCache(dir, emu.state.defaultOrg.id)).toContain('R/W User');
  });

  it('is not written for a token from ASTRA_DB_APPLICATION_TOKEN (no profile, so no org to file it under)', async () => {
    const dir = tempConfigDir();
    const env = { ASTRA_TOKEN_CONFIG_DIR: dir, ASTRA_DB_APPLICATION_TOKEN: emu.adminToken, ASTRA_API_URL: emu.baseUrl };
    expect((await runCli(['role', 'list'], { env })).code).toBe(0);
    expect((await runCli(['token', 'list'], { env })).code).toBe(0);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('is rewritten only when its names (or its private mode) changed', () => {
    const dir = tempConfigDir();
    const key = 'org-1';
    const file = join(dir, `role-names.${key}.json`);
    writeRoleCache(dir, key, ['b', 'a']);
    const first = statSync(file).ino;
    // The same names in another order: the file stays as it was (an atomic rewrite would be a new inode).
    writeRoleCache(dir, key, ['a', 'b', 'a']);
    expect(statSync(file).ino).toBe(first);
    writeRoleCache(dir, key, ['a', 'c']);
    const second = statSync(file).ino;
    expect(second).not.toBe(first);
    expect(readRoleCache(dir, key)).toEqual(['a', 'c']);
    chmodSync(file, 0o644);
    writeRoleCache(dir, key, ['a', 'c']);
    expect(statSync(file).ino).not.toBe(second);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });
});
