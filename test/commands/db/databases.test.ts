// Databases by name or id everywhere: `db list`, `role create/update --db <name>` (the same lookup and
// did-you-mean as `token create --db`), and the database names shell completion reads from a local cache.
import { describe, expect, it } from 'vitest';
import { readDbCache } from '../../../src/config/role-cache.js';
import { runCli, tempConfigDir, testCacheDir } from '../../helpers/cli.js';
import { useEmulator } from '../../helpers/emulator.js';
import { NOW, envFor } from '../../helpers/fixtures/token.js';

const emu = useEmulator({ state: { now: () => NOW } });
/** A config dir whose current profile is the emulator's admin (validated, so its org id is known). */
async function profileDir(): Promise<string> {
  const dir = tempConfigDir();
  const add = await runCli(['org', 'add', 'p', '--with-token', '--api-url', emu.baseUrl], {
    env: { ASTRA_TOKEN_CONFIG_DIR: dir },
    stdin: emu.adminToken,
  });
  expect(add.code).toBe(0);
  return dir;
}
const db = (name: string) => emu.state.defaultOrg.databases.find((d) => d.info.name === name)!;

describe('db list', () => {
  it('prints id, name, region and status: TSV piped, the contract JSON with --json', async () => {
    const piped = await runCli(['db', 'list'], { env: envFor(emu) });
    expect(piped.code).toBe(0);
    expect(piped.stdout).toBe(
      ['analytics', 'inventory', 'orders'].map((n) => `${db(n).id}\t${n}\t${db(n).info.region}\tACTIVE\n`).join(''),
    );
    const json = await runCli(['db', 'list', '--json'], { env: envFor(emu) });
    expect(JSON.parse(json.stdout)).toEqual(
      ['analytics', 'inventory', 'orders'].map((n) => ({ id: db(n).id, name: n, region: db(n).info.region, status: 'ACTIVE' })),
    );
  });

  it('prints a table with a header on a terminal', async () => {
    const r = await runCli(['db', 'list'], { env: { ...envFor(emu), NO_COLOR: '1' }, tty: true, columns: 80 });
    expect(r.stdout.split('\n')[0]).toMatch(/^NAME\s+ID\s+REGION\s+STATUS$/);
    expect(r.stdout).toContain(db('orders').id);
  });

  it('writes the names completion offers for --db (per org: the profile’s)', async () => {
    const dir = await profileDir();
    await runCli(['db', 'list'], { env: { ASTRA_TOKEN_CONFIG_DIR: dir } });
    expect(readDbCache(testCacheDir(), emu.state.defaultOrg.id)).toEqual(['analytics', 'inventory', 'orders']);
    const r = await runCli(['__complete', 'fish', '4', '--', 'astra-token', 'role', 'create', '--db', 'inv'], {
      env: { ASTRA_TOKEN_CONFIG_DIR: dir },
    });
    expect(r.stdout).toBe('inventory\n');
  });

  it('token create --db also refreshes the cache', async () => {
    const dir = await profileDir();
    const r = await runCli(['token', 'create', '--db', 'orders', '--json'], { env: { ASTRA_TOKEN_CONFIG_DIR: dir }, now: NOW });
    expect(r.code).toBe(0);
    expect(readDbCache(testCacheDir(), emu.state.defaultOrg.id)).toEqual(['analytics', 'inventory', 'orders']);
  });
});

describe('role create/update --db by name', () => {
  it('role create --db orders builds the resources of that database', async () => {
    const r = await runCli(['role', 'create', 'orders reader', '--action', 'db-cql', '--db', 'orders', '--json'], { env: envFor(emu) });
    expect(r.stderr).not.toMatch(/error/);
    expect(r.code).toBe(0);
    const role = JSON.parse(r.stdout) as { resources: string[] };
    expect(role.resources).toContain(`drn:astra:org:${emu.state.defaultOrg.id}:db:${db('orders').id}`);
  });

  it('role update --db ORDERS (case-insensitive) adds that database', async () => {
    await runCli(['role', 'create', 'reader', '--action', 'db-cql'], { env: envFor(emu) });
    const r = await runCli(['role', 'update', 'reader', '--db', 'ORDERS', '--json'], { env: envFor(emu) });
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as { resources: string[] }).resources).toContain(
      `drn:astra:org:${emu.state.defaultOrg.id}:db:${db('orders').id}`,
    );
  });

  it('an unknown name exits 5 with the closest name, before any write', async () => {
    const r = await runCli(['role', 'create', 'x', '--action', 'db-cql', '--db', 'ordres'], { env: envFor(emu) });
    expect(r.code).toBe(5);
    expect(r.stderr).toMatch(/no database named 'ordres'.*did you mean 'orders'/);
    expect(emu.state.requests.filter((q) => q.method !== 'GET')).toEqual([]);
  });
});
