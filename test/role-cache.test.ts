import { describe, expect, it } from 'vitest';
import { chmodSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { readRoleCache, writeRoleCache } from '../src/config/role-cache.js';
import { runCli, tempConfigDir } from './helpers/cli.js';
import { useEmulator } from './helpers/emulator.js';

const emu = useEmulator();

describe('the role name cache behind --role completion', () => {
  it('is refreshed by role list and then completes offline', async () => {
    const dir = tempConfigDir();
    const env = { ASTRA_TOKEN_CONFIG_DIR: dir, ASTRA_DB_APPLICATION_TOKEN: emu.adminToken, ASTRA_API_URL: emu.baseUrl };
    expect(readRoleCache(dir)).toEqual([]);
    expect((await runCli(['role', 'list'], { env })).code).toBe(0);
    expect(readRoleCache(dir)).toHaveLength(16);

    const before = emu.state.requests.length;
    const r = await runCli(['__complete', 'fish', '4', '--', 'astra-token', 'token', 'create', '--role', 'Data'], { env });
    expect(r.stdout).toBe('Database Administrator\n');
    expect(emu.state.requests.length).toBe(before);
  });

  it('is refreshed by token list as well', async () => {
    const dir = tempConfigDir();
    const env = { ASTRA_TOKEN_CONFIG_DIR: dir, ASTRA_DB_APPLICATION_TOKEN: emu.adminToken, ASTRA_API_URL: emu.baseUrl };
    expect((await runCli(['token', 'list', '--json'], { env })).code).toBe(0);
    expect(readRoleCache(dir)).toContain('R/W User');
  });

  it('is rewritten only when its names (or its private mode) changed', () => {
    const dir = tempConfigDir();
    const file = join(dir, 'role-names.json');
    writeRoleCache(dir, ['b', 'a']);
    const first = statSync(file).ino;
    // The same names in another order: the file stays as it was (an atomic rewrite would be a new inode).
    writeRoleCache(dir, ['a', 'b', 'a']);
    expect(statSync(file).ino).toBe(first);
    writeRoleCache(dir, ['a', 'c']);
    const second = statSync(file).ino;
    expect(second).not.toBe(first);
    expect(readRoleCache(dir)).toEqual(['a', 'c']);
    chmodSync(file, 0o644);
    writeRoleCache(dir, ['a', 'c']);
    expect(statSync(file).ino).not.toBe(second);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });
});
