// Journeys through the built bin against the emulator on every API shape: names resolve to what the user meant,
// never to more. Each asserts what the server holds afterwards.
import { describe, expect, it } from 'vitest';
import { API_SHAPES } from '../../src/emulator/route-kit.js';
import { HAS_BUILD, NO_BUILD_REASON, runBin } from '../helpers/bin.js';
import { withEmulatorServer, type LoopbackEmulator } from '../helpers/emulator.js';

const env = (emu: LoopbackEmulator) => ({ ASTRA_DB_APPLICATION_TOKEN: emu.adminToken, ASTRA_API_URL: emu.url });
const org = (emu: LoopbackEmulator) => emu.state.defaultOrg;
const roleId = (emu: LoopbackEmulator, name: string) => org(emu).roles.find((r) => r.name === name)!.id;
const tokens = (emu: LoopbackEmulator) => emu.state.listTokens(org(emu).id);
const roleNames = (emu: LoopbackEmulator) =>
  org(emu)
    .roles.map((r) => r.name)
    .sort();
const writes = (emu: LoopbackEmulator) => emu.state.requests.filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.path}`);

describe.skipIf(!HAS_BUILD)(`names resolve to what was meant${HAS_BUILD ? '' : ` (${NO_BUILD_REASON})`}`, () => {
  describe.each(API_SHAPES)('%s', (apiShape) => {
    it('the portal labels name the built-in roles: "API Read Only User" makes an API RO User token', async () => {
      await withEmulatorServer(
        async (emu) => {
          for (const [label, name] of [
            ['API Read Only User', 'API RO User'],
            ['Read/Write User', 'R/W User'],
            ['read only service account', 'RO Svc Acct'],
          ] as const) {
            const r = await runBin(['token', 'create', '--role', label, '--expires', '1d', '--description', label, '--json'], {
              env: env(emu),
            });
            expect(r.stderr).toContain(`(roles: ${name};`);
            expect(r.code).toBe(0);
            const { clientId } = JSON.parse(r.stdout) as { clientId: string };
            const live = tokens(emu).find((t) => t.clientId === clientId)!;
            expect(live.roles).toEqual([roleId(emu, name)]);
            expect(live.description).toBe(label);
          }
        },
        { apiShape },
      );
    }, 60_000);

    it('a near miss suggests no broader role and makes no token', async () => {
      await withEmulatorServer(
        async (emu) => {
          const before = tokens(emu).map((t) => t.clientId);
          const r = await runBin(['token', 'create', '--role', 'API Read Only Usr'], { env: env(emu) });
          expect(r.code).toBe(5);
          expect(r.stdout).toBe('');
          expect(r.stderr).toMatch(/^error: no role named 'API Read Only Usr'; did you mean 'API RO User'/);
          expect(r.stderr).not.toMatch(/Admin|R\/W/);
          expect(tokens(emu).map((t) => t.clientId)).toEqual(before);
          expect(writes(emu)).toEqual([]);
        },
        { apiShape },
      );
    }, 60_000);

    it('an unknown action is refused with did-you-mean and nothing sent; --allow-unknown-action sends it', async () => {
      await withEmulatorServer(
        async (emu) => {
          const before = roleNames(emu);
          const refused = await runBin(['role', 'create', 'orders cql', '--action', 'db-cqll', '--db', 'orders'], { env: env(emu) });
          expect(refused.code).toBe(2);
          expect(refused.stderr).toMatch(/^error: --action: unknown action 'db-cqll'; did you mean 'db-cql'\?/);
          expect(roleNames(emu)).toEqual(before);
          expect(emu.state.requests).toEqual([]);

          const updated = await runBin(['role', 'update', 'RO User', '--add-action', 'db-tabel-drop'], { env: env(emu) });
          expect(updated.code).toBe(2);
          expect(emu.state.requests).toEqual([]);

          const allowed = await runBin(['role', 'create', 'future', '--action', 'org-new-thing', '--allow-unknown-action', '-q'], {
            env: env(emu),
          });
          expect(allowed.code).toBe(0);
          expect(allowed.stderr).toMatch(/^warning: unknown action 'org-new-thing'/);
          expect(org(emu).roles.find((r) => r.name === 'future')!.policy.actions).toEqual(['org-new-thing']);
        },
        { apiShape },
      );
    }, 60_000);

    it('a role name with a bidi control is refused before any request; a custom role with __ORG_ID__ deletes', async () => {
      await withEmulatorServer(
        async (emu) => {
          const bidi = await runBin(['role', 'create', 'resu RW\u202e', '--action', 'db-cql'], { env: env(emu) });
          expect(bidi.code).toBe(2);
          expect(bidi.stderr).toBe('error: role name: a role name must not contain a bidi control (U+202E)\n');
          expect(emu.state.requests).toEqual([]);

          const id = emu.state.uuid();
          org(emu).roles.push({
            id,
            name: 'disguised',
            policy: { description: '', resources: ['drn:astra:org:__ORG_ID__:db:*'], actions: ['db-cql'], effect: 'allow' },
            last_update_datetime: new Date().toISOString(),
            last_update_userid: 'test',
            builtIn: false,
          });
          const del = await runBin(['role', 'delete', 'disguised', '--yes'], { env: env(emu) });
          expect(del.stderr).toBe(`deleted role 'disguised' (${id})\n`);
          expect(del.code).toBe(0);
          expect(org(emu).roles.find((r) => r.id === id)).toBeUndefined();
          // A label still names a built-in role, and a built-in role is still refused.
          const builtIn = await runBin(['role', 'delete', 'Read Only User', '--yes'], { env: env(emu) });
          expect(builtIn.code).toBe(2);
          expect(roleNames(emu)).toContain('RO User');
        },
        { apiShape },
      );
    }, 60_000);
  });
});
