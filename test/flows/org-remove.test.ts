// Journeys: `org remove --revoke` revokes the profile's token through that profile's own credential and API (not the
// active one) before forgetting it; a revoke that fails keeps the profile. Without --revoke nothing is revoked and no
// command is printed that would fail once the profile is gone. Built bin, loopback emulator, every API shape.
import { describe, expect, it } from 'vitest';
import { HAS_BUILD, NO_BUILD_REASON, runBin } from '../helpers/bin.js';
import { withEmulatorServer, type LoopbackEmulator } from '../helpers/emulator.js';
import { tempDir } from '../helpers/temp.js';

const SHAPES = ['docs', 'spec', 'mixed'] as const;
/** An API nothing listens on: a command that used it instead of the profile's own would fail. */
const ELSEWHERE = 'http://127.0.0.1:9';

async function savedProfile(emu: LoopbackEmulator, name: string, roles: string[]) {
  const dir = tempDir();
  const own = emu.state.issueToken(emu.state.defaultOrg.id, roles, { description: name });
  const add = await runBin(['org', 'add', name, '--with-token', '--api-url', emu.url, '--storage', 'file', '--no-validate'], {
    input: own.token,
    env: { ASTRA_TOKEN_CONFIG_DIR: dir },
  });
  expect(add.code).toBe(0);
  const profiles = async () =>
    (JSON.parse((await runBin(['org', 'list', '--json'], { env: { ASTRA_TOKEN_CONFIG_DIR: dir } })).stdout) as Array<{ name: string }>).map(
      (p) => p.name,
    );
  return { dir, own, profiles };
}

describe.skipIf(!HAS_BUILD)(`org remove journeys${HAS_BUILD ? '' : ` (${NO_BUILD_REASON})`}`, () => {
  describe.each(SHAPES)('API shape %s', (apiShape) => {
    it("--revoke: the token is revoked through the profile's own API (the active API is elsewhere), then the profile goes", async () => {
      await withEmulatorServer(
        async (emu) => {
          const { dir, own, profiles } = await savedProfile(emu, 'leaving', ['Organization Administrator']);
          const r = await runBin(['org', 'remove', 'leaving', '--revoke', '--yes'], {
            env: { ASTRA_TOKEN_CONFIG_DIR: dir, ASTRA_API_URL: ELSEWHERE },
          });
          expect(r.code).toBe(0);
          expect(r.stderr.split('\n')[0]).toBe(`revoked token ${own.clientId} and removed profile 'leaving'`);
          expect(emu.state.findToken(own.clientId)).toBeUndefined();
          expect(await profiles()).toEqual([]);
        },
        { apiShape },
      );
    });

    it('--revoke that fails (the token may not revoke tokens): exit 4, the profile kept, the token live', async () => {
      await withEmulatorServer(
        async (emu) => {
          const { dir, own, profiles } = await savedProfile(emu, 'reader', ['RO User']);
          const r = await runBin(['org', 'remove', 'reader', '--revoke', '--yes'], { env: { ASTRA_TOKEN_CONFIG_DIR: dir } });
          expect(r.code).toBe(4);
          expect(r.stderr).toContain(`could not revoke token ${own.clientId} of profile 'reader'`);
          expect(r.stderr).toContain('the profile was kept');
          expect(emu.state.findToken(own.clientId)).toBeDefined();
          expect(await profiles()).toEqual(['reader']);
        },
        { apiShape },
      );
    });

    it('without --revoke: nothing is revoked and no astra-token command is printed (none would work afterwards)', async () => {
      await withEmulatorServer(
        async (emu) => {
          const { dir, own, profiles } = await savedProfile(emu, 'kept-live', ['RO User']);
          const r = await runBin(['org', 'remove', 'kept-live', '--yes'], { env: { ASTRA_TOKEN_CONFIG_DIR: dir } });
          expect(r.code).toBe(0);
          expect(r.stderr).toContain(`its token ${own.clientId} was not revoked`);
          // The only command printed is the general advice to add a profile (no profile is left), which works as printed.
          expect(r.stderr).not.toMatch(/token delete|org remove \S+ --revoke/);
          expect(emu.state.findToken(own.clientId)).toBeDefined();
          expect(emu.state.requests.filter((q) => q.method === 'DELETE')).toEqual([]);
          expect(await profiles()).toEqual([]);
        },
        { apiShape },
      );
    });
  });
});
