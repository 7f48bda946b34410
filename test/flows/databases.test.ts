// Journeys through the built bin against the emulator on every API shape, with 300 databases: the API pages (25 by
// default, 100 at most), and `db list` and every `--db <name>` read every page; `db list --all` adds terminated ones.
import { describe, expect, it } from 'vitest';
import { API_SHAPES } from '../../src/emulator/route-kit.js';
import { HAS_BUILD, NO_BUILD_REASON, runBin } from '../helpers/bin.js';
import { withEmulatorServer, type LoopbackEmulator } from '../helpers/emulator.js';
import { addDatabases } from '../helpers/fixtures/databases.js';

const env = (emu: LoopbackEmulator) => ({ ASTRA_DB_APPLICATION_TOKEN: emu.adminToken, ASTRA_API_URL: emu.url });
const org = (emu: LoopbackEmulator) => emu.state.defaultOrg;

describe.skipIf(!HAS_BUILD)(`300 databases${HAS_BUILD ? '' : ` (${NO_BUILD_REASON})`}`, () => {
  describe.each(API_SHAPES)('%s', (apiShape) => {
    it('db list shows all of them, --db <the 300th> works, --all adds the terminated ones', async () => {
      await withEmulatorServer(
        async (emu) => {
          // The three seeded databases and 297 more: the 300th is the last made.
          const made = addDatabases(emu.state, 297);
          const last = made.at(-1)!;
          const gone = made.slice(0, 5);
          for (const db of gone) db.status = 'TERMINATED';
          const usable = org(emu).databases.filter((d) => d.status !== 'TERMINATED');

          const list = await runBin(['db', 'list', '--json'], { env: env(emu) });
          expect(list.code).toBe(0);
          const listed = JSON.parse(list.stdout) as Array<{ id: string; status: string }>;
          expect(listed.map((d) => d.id).sort()).toEqual(usable.map((d) => d.id).sort());
          expect(listed).toHaveLength(295);

          const all = await runBin(['db', 'list', '--all'], { env: env(emu) });
          expect(all.code).toBe(0);
          const rows = all.stdout.trimEnd().split('\n');
          expect(rows).toHaveLength(300);
          expect(
            rows
              .filter((row) => row.endsWith('\tTERMINATED'))
              .map((row) => row.split('\t')[0])
              .sort(),
          ).toEqual(gone.map((d) => d.id).sort());

          const create = await runBin(['token', 'create', '--db', last.info.name, '--expires', '1h', '--json'], { env: env(emu) });
          expect(create.stderr).not.toMatch(/^error/m);
          expect(create.code).toBe(0);
          const { clientId } = JSON.parse(create.stdout) as { clientId: string };
          const role = org(emu).roles.find((r) => r.name === `${last.info.name} Database Administrator`)!;
          expect(role.policy.resources).toContain(`drn:astra:org:${org(emu).id}:db:${last.id}`);
          expect(emu.state.listTokens(org(emu).id).find((t) => t.clientId === clientId)!.roles).toEqual([role.id]);

          // A terminated database is no --db target: it is not found, and nothing is made.
          const roles = org(emu).roles.length;
          const dead = await runBin(['token', 'create', '--db', gone[0]!.info.name], { env: env(emu) });
          expect(dead.code).toBe(5);
          expect(org(emu).roles).toHaveLength(roles);

          // Each listing read every page: 3 for db list, 4 for --all (300 fills three pages), 3 per --db lookup.
          const reads = emu.state.requests.filter((r) => r.method === 'GET' && r.path === '/v2/databases');
          expect(reads.length).toBeGreaterThanOrEqual(13);
        },
        { apiShape },
      );
    }, 90_000);
  });
});
