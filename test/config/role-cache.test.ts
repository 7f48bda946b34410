import { describe, expect, it } from 'vitest';
import { readRoleCache } from '../../src/config/role-cache.js';
import { runCli, tempConfigDir } from '../helpers/cli.js';
import { useEmulator } from '../helpers/emulator.js';

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
});
