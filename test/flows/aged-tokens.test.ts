// Journey: testing a prune script offline. The emulator starts from a seed of aged tokens (`emulator --seed`), then
// `token list --older-than` shows the old ones, `token prune --older-than --dry-run` plans them and changes nothing,
// and `token prune --older-than --yes` revokes exactly them: the server keeps the young tokens, with their roles and
// expiry. Built bin, a real emulator process, every API shape.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HAS_BUILD, NO_BUILD_REASON, runBin, startEmulatorProcess, type EmulatorProcess } from '../helpers/bin.js';
import { tempDir } from '../helpers/temp.js';

const SHAPES = ['docs', 'spec', 'mixed'] as const;

const SEED = {
  roles: [{ name: 'ci reader', actions: ['db-table-read'] }],
  tokens: [
    { roles: ['RO User'], description: 'old ci', age: '200d' },
    { roles: ['R/W User'], description: 'old batch', age: '45d', expiresIn: '-5d' },
    { roles: ['ci reader'], description: 'new ci', age: '2d', expiresIn: '30d' },
    { roles: ['RO User', 'ci reader'], description: 'last week', age: '7d' },
  ],
};

interface ServerToken {
  clientId: string;
  roles: string[];
  description: string;
  generatedOn: string;
  tokenExpiry?: string | null;
}

/** The server's own view (the legacy listing answers on every API shape), not the CLI's. */
async function serverTokens(emu: EmulatorProcess): Promise<ServerToken[]> {
  const res = await fetch(`${emu.url}/v2/clientIdSecrets`, { headers: { Authorization: `Bearer ${emu.token}` } });
  expect(res.status).toBe(200);
  return ((await res.json()) as { clients: ServerToken[] }).clients;
}

describe.skipIf(!HAS_BUILD)(`aged tokens from a seed, listed and pruned${HAS_BUILD ? '' : ` (${NO_BUILD_REASON})`}`, () => {
  describe.each(SHAPES)('API shape %s', (apiShape) => {
    it('list --older-than, prune --older-than --dry-run, then for real: only the old tokens are gone', async () => {
      const dir = tempDir();
      const seedFile = join(dir, 'seed.json');
      writeFileSync(seedFile, JSON.stringify(SEED));
      const emu = await startEmulatorProcess(['--seed', seedFile, '--api-shape', apiShape]);
      try {
        const env = { ASTRA_API_URL: emu.url, ASTRA_DB_APPLICATION_TOKEN: emu.token, ASTRA_TOKEN_CONFIG_DIR: join(dir, 'config') };
        const before = await serverTokens(emu);
        const byDescription = new Map(before.map((t) => [t.description, t]));
        const old = ['old ci', 'old batch'].map((d) => byDescription.get(d)!.clientId);

        const list = await runBin(['token', 'list', '--older-than', '30d', '--json'], { env });
        expect(list.code).toBe(0);
        expect((JSON.parse(list.stdout) as Array<{ clientId: string; description: string }>).map((t) => t.clientId)).toEqual(
          // Newest first: 45 days, then 200.
          [old[1], old[0]],
        );

        const plan = await runBin(['token', 'prune', '--older-than', '30d', '--dry-run', '--json'], { env });
        expect(plan.code).toBe(0);
        expect(JSON.parse(plan.stdout)).toEqual([
          { clientId: old[1], deleted: false, reason: 'dry run' },
          { clientId: old[0], deleted: false, reason: 'dry run' },
        ]);
        expect(await serverTokens(emu)).toEqual(before);

        const prune = await runBin(['token', 'prune', '--older-than', '30d', '--yes'], { env });
        expect(prune.code).toBe(0);
        expect(prune.stderr.trim().split('\n').at(-1)).toBe('revoked 2 of 2 tokens');
        // The young tokens and the admin token are live, unchanged (roles, description, creation and expiry).
        const after = await serverTokens(emu);
        expect(after).toEqual(before.filter((t) => !old.includes(t.clientId)));
        expect(after.map((t) => t.description).sort()).toEqual(['emulator admin', 'last week', 'new ci']);
      } finally {
        expect((await emu.stop()).code).toBe(0);
      }
    });
  });
});
