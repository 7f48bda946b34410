// Tables for people, through the built bin against the loopback emulator in each API shape: in a pseudo-terminal 80
// columns wide `role list` keeps the role NAME whole and cuts the id (`--wide` shows it); piped, a token's role names
// are joined with U+001F and a deleted role keeps its marker; a bulk revoke's progress line is cleared before a retry
// warning, and the server's state afterwards is what the output says.
import { describe, expect, it } from 'vitest';
import { API_SHAPES } from '../../src/emulator/handlers.js';
import { HAS_BUILD, NO_BUILD_REASON, runBin, runInPty } from '../helpers/bin.js';
import { withEmulatorServer, type LoopbackEmulator } from '../helpers/emulator.js';
import { addCustomRole } from '../helpers/fixtures/token.js';

const env = (emu: LoopbackEmulator) => ({ ASTRA_DB_APPLICATION_TOKEN: emu.adminToken, ASTRA_API_URL: emu.url });
const LONG_NAME = 'orders keyspace reader for the analytics warehouse';
const DAY = 86_400_000;

describe.skipIf(!HAS_BUILD)(`tables for people through the built bin${HAS_BUILD ? '' : ` (${NO_BUILD_REASON})`}`, () => {
  describe.each(API_SHAPES.map((s) => [s]))('API shape %s', (apiShape) => {
    it('role list at 80 columns: NAME first and whole, the id cut; --wide shows the id', async () => {
      await withEmulatorServer(
        async (emu) => {
          const id = addCustomRole(emu.state, LONG_NAME);
          const r = await runInPty(['role', 'list'], 80, env(emu));
          expect(r.code).toBe(0);
          const lines = r.output.trimEnd().split('\n');
          expect(lines.filter((l) => [...l].length > 80)).toEqual([]);
          expect(lines[0]).toMatch(/^NAME\s+ID\s+TYPE\s+DESCRIP/);
          const row = lines.find((l) => l.startsWith(LONG_NAME));
          expect(row).toBeDefined();
          expect(row).not.toContain(id);
          const wide = await runInPty(['role', 'list', '--wide'], 80, env(emu));
          expect(wide.output.split('\n').find((l) => l.startsWith(LONG_NAME))).toContain(id);
          // The role the table named is the server's.
          expect(emu.state.findRole(emu.state.defaultOrg.id, LONG_NAME)?.id).toBe(id);
        },
        { apiShape },
      );
    });

    it('piped token list: role names joined with U+001F (a name may hold , and ;), a deleted role marked', async () => {
      await withEmulatorServer(
        async (emu) => {
          const org = emu.state.defaultOrg.id;
          const commas = addCustomRole(emu.state, 'readers, writers; and admins');
          const gone = addCustomRole(emu.state, 'temporary');
          const { token } = emu.state.issueToken(org, ['RO User', commas, gone], { description: 'mixed' });
          const clientId = token.split(':')[1]!;
          const orgRoles = emu.state.defaultOrg.roles;
          orgRoles.splice(
            orgRoles.findIndex((r) => r.id === gone),
            1,
          );
          const r = await runBin(['token', 'list'], { env: env(emu) });
          expect(r.code).toBe(0);
          const row = r.stdout.split('\n').find((l) => l.startsWith(`${clientId}\t`))!;
          const [, roles] = row.split('\t');
          expect(roles!.split('\x1f').sort()).toEqual([`(deleted) ${gone}`, 'RO User', 'readers, writers; and admins'].sort());
          // What the row says is what the server holds.
          expect(emu.state.findToken(clientId)?.roles).toHaveLength(3);
        },
        { apiShape },
      );
    });

    it('token prune on a terminal: a retry warning never lands on the progress line; every expired token is gone', async () => {
      await withEmulatorServer(
        async (emu) => {
          const org = emu.state.defaultOrg.id;
          const expired = [1, 2, 3].map(
            (i) => emu.state.issueToken(org, ['RO User'], { expiresAt: new Date(Date.now() - i * DAY) }).token.split(':')[1]!,
          );
          const kept = emu.state.issueToken(org, ['RO User'], { expiresAt: new Date(Date.now() + 30 * DAY) }).token.split(':')[1]!;
          // Whatever path the API shape deletes a token at.
          emu.state.injectFault({ method: 'DELETE', path: new RegExp(`/${expired[1]}$`), status: 503, times: 1 });
          const r = await runInPty(['token', 'prune', '--expired', '--yes', '--concurrency', '1'], 80, env(emu));
          expect(r.code).toBe(0);
          expect(r.output).toMatch(/waiting \S+ before trying again/);
          expect(r.output).not.toMatch(/done[^\r\n]*waiting/);
          expect(r.output).toContain('revoked 3 of 3 tokens');
          for (const id of expired) expect(emu.state.findToken(id)).toBeUndefined();
          expect(emu.state.findToken(kept)).toBeDefined();
        },
        { apiShape },
      );
    });
  });
});
