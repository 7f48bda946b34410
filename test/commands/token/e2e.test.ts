// The built bin as a child process against the emulator over loopback HTTP: the real undici transport, the real
// process edge (exit codes, streams that are pipes), and JSON a script would parse.
import { describe, expect, it } from 'vitest';
import { HAS_BUILD, NO_BUILD_REASON, runBin } from '../../helpers/bin.js';
import { withEmulatorServer } from '../../helpers/emulator.js';

const run = (args: string[], env: Record<string, string>) => runBin(args, { env });

describe.skipIf(!HAS_BUILD)(`token lifecycle through the built bin${HAS_BUILD ? '' : ` (${NO_BUILD_REASON})`}`, () => {
  it('create --json -> list --json -> delete --yes --json', async () => {
    await withEmulatorServer(async ({ url, adminToken, state }) => {
      const env = { ASTRA_DB_APPLICATION_TOKEN: adminToken, ASTRA_API_URL: url };

      const create = await run(['token', 'create', '--role', 'R/W User', '--description', 'e2e', '--expires', '30d', '--json'], env);
      expect(create.stderr).toContain('shown only once');
      expect(create.code).toBe(0);
      const token = JSON.parse(create.stdout) as { clientId: string; token: string; roles: Array<{ name: string }>; expiresAt: string };
      expect(token.token).toMatch(new RegExp(`^AstraCS:${token.clientId}:[0-9a-f]{64}$`));
      expect(token.roles.map((r) => r.name)).toEqual(['R/W User']);
      expect(state.findToken(token.clientId)?.description).toBe('e2e');

      const list = await run(['token', 'list', '--json'], env);
      expect(list.code).toBe(0);
      const listed = JSON.parse(list.stdout) as Array<{ clientId: string; description: string; expiresAt: string | null }>;
      expect(listed.find((t) => t.clientId === token.clientId)).toMatchObject({ description: 'e2e', expiresAt: token.expiresAt });

      const del = await run(['token', 'delete', token.clientId, '--yes', '--json'], env);
      expect(del.code).toBe(0);
      expect(JSON.parse(del.stdout)).toEqual([{ clientId: token.clientId, deleted: true }]);
      expect(state.findToken(token.clientId)).toBeUndefined();

      const again = await run(['token', 'delete', token.clientId, '--yes'], env);
      expect(again.code).toBe(5);
      expect(again.stdout).toBe('');
    });
  });
});
