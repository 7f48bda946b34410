// Journeys through the built bin against the emulator on every API shape: `--db` reuses a scoped role only when it
// is exactly what `--db` would make. A role widened since (`role update --add-action org-token-write`) is exit 6
// for `token create --db` and `token exec --db`, no token is made, and the role is named.
import { describe, expect, it } from 'vitest';
import { API_SHAPES } from '../../src/emulator/route-kit.js';
import { HAS_BUILD, NO_BUILD_REASON, runBin } from '../helpers/bin.js';
import { withEmulatorServer, type LoopbackEmulator } from '../helpers/emulator.js';

const env = (emu: LoopbackEmulator) => ({ ASTRA_DB_APPLICATION_TOKEN: emu.adminToken, ASTRA_API_URL: emu.url });
const org = (emu: LoopbackEmulator) => emu.state.defaultOrg;
const liveIds = (emu: LoopbackEmulator) =>
  emu.state
    .listTokens(org(emu).id)
    .map((t) => t.clientId)
    .sort();
const SCOPED = 'orders Database Administrator';
const scoped = (emu: LoopbackEmulator) => org(emu).roles.find((r) => r.name === SCOPED);

describe.skipIf(!HAS_BUILD)(`scoped roles are reused only as made${HAS_BUILD ? '' : ` (${NO_BUILD_REASON})`}`, () => {
  describe.each(API_SHAPES)('%s', (apiShape) => {
    it('a widened scoped role is refused by token create --db and token exec --db: exit 6, no token live', async () => {
      await withEmulatorServer(
        async (emu) => {
          const first = await runBin(['token', 'create', '--db', 'orders', '--expires', '1h', '--json'], { env: env(emu) });
          expect(first.code).toBe(0);
          const role = scoped(emu)!;
          const dba = org(emu).roles.find((r) => r.name === 'Database Administrator')!;
          expect([...role.policy.actions].sort()).toEqual([...dba.policy.actions].sort());

          const widen = await runBin(['role', 'update', SCOPED, '--add-action', 'org-token-write', '-q'], { env: env(emu) });
          expect(widen.code).toBe(0);
          expect(scoped(emu)!.policy.actions).toContain('org-token-write');

          const before = liveIds(emu);
          const expected = new RegExp(
            `^error: a role named '${SCOPED}' \\(${role.id}\\) exists but allows other actions than 'Database Administrator'.*; it is not reused; see 'astra-token role get ${role.id}'`,
          );
          const create = await runBin(['token', 'create', '--db', 'orders'], { env: env(emu) });
          expect(create.code).toBe(6);
          expect(create.stdout).toBe('');
          expect(create.stderr).toMatch(expected);
          const exec = await runBin(['token', 'exec', '--db', 'orders', '--', process.execPath, '-e', 'process.exit(0)'], {
            env: env(emu),
          });
          expect(exec.code).toBe(6);
          expect(exec.stderr).toMatch(expected);
          expect(liveIds(emu)).toEqual(before);
          // The role is left as the user made it; nothing else was written.
          expect(scoped(emu)!.policy.actions).toContain('org-token-write');
          expect(org(emu).roles.filter((r) => r.name.startsWith('orders '))).toHaveLength(1);
        },
        { apiShape },
      );
    }, 60_000);

    it('a scoped role pointed at another database is refused too; an untouched one is reused', async () => {
      await withEmulatorServer(
        async (emu) => {
          expect((await runBin(['token', 'create', '--db', 'orders', '--expires', '1h', '--json'], { env: env(emu) })).code).toBe(0);
          const reused = await runBin(['token', 'create', '--db', 'orders', '--expires', '1h', '--json'], { env: env(emu) });
          expect(reused.code).toBe(0);
          expect(reused.stderr).toContain(`reusing role '${SCOPED}'`);
          const { clientId } = JSON.parse(reused.stdout) as { clientId: string };
          expect(emu.state.listTokens(org(emu).id).find((t) => t.clientId === clientId)!.roles).toEqual([scoped(emu)!.id]);

          const inventory = org(emu).databases.find((d) => d.info.name === 'inventory')!;
          const moved = await runBin(['role', 'update', SCOPED, '--db', inventory.id, '-q'], { env: env(emu) });
          expect(moved.code).toBe(0);
          const before = liveIds(emu);
          const r = await runBin(['token', 'create', '--db', 'orders'], { env: env(emu) });
          expect(r.code).toBe(6);
          expect(r.stderr).toMatch(/covers other resources than this scope; it is not reused/);
          expect(liveIds(emu)).toEqual(before);
        },
        { apiShape },
      );
    }, 60_000);

    it('a database whose name holds ESC/BEL or a line break names no role: exit 2, nothing made', async () => {
      await withEmulatorServer(
        async (emu) => {
          const db = org(emu).databases.find((d) => d.info.name === 'analytics')!;
          db.info.name = 'analytics\u001b]0;owned\u0007\nOrganization Administrator';
          const roles = org(emu).roles.length;
          const before = liveIds(emu);
          for (const argv of [
            ['token', 'create', '--db', db.id],
            ['token', 'exec', '--db', db.id, '--', process.execPath, '-e', 'process.exit(0)'],
          ]) {
            const r = await runBin(argv, { env: env(emu) });
            expect(r.code).toBe(2);
            expect(r.stderr).toMatch(new RegExp(`^error: database ${db.id} has a name that cannot name a role`));
            expect(r.stderr).not.toContain('\u001b');
          }
          expect(org(emu).roles).toHaveLength(roles);
          expect(liveIds(emu)).toEqual(before);
        },
        { apiShape },
      );
    }, 60_000);
  });
});
