// Journeys: what a credential reaches. `token exec` hides the caller's saved profiles from the command (an astra-token
// inside cannot fall back to the caller's broader credential) unless --share-config; a token from the environment
// with no API chosen says which API it goes to when the profile in use points at another. Built bin, every API shape.
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, HAS_BUILD, NO_BUILD_REASON, runBin } from '../helpers/bin.js';
import { withEmulatorServer, type LoopbackEmulator } from '../helpers/emulator.js';
import { leftovers } from '../helpers/fixtures/exec.js';
import { tempDir } from '../helpers/temp.js';

const SHAPES = ['docs', 'spec', 'mixed'] as const;

describe.skipIf(!HAS_BUILD)(`credential reach journeys${HAS_BUILD ? '' : ` (${NO_BUILD_REASON})`}`, () => {
  // An `astra-token` on PATH, as an installed copy would be, for the command that exec runs.
  let binDir: string;
  beforeAll(() => {
    binDir = mkdtempSync(join(tmpdir(), 'astra-token-flow-bin-'));
    writeFileSync(join(binDir, 'astra-token'), `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} "$@"\n`);
    chmodSync(join(binDir, 'astra-token'), 0o755);
  });
  afterAll(() => rmSync(binDir, { recursive: true, force: true }));

  /** A config dir whose current profile 'admin' holds the emulator's admin token. */
  async function callerWithProfile(emu: LoopbackEmulator): Promise<string> {
    const dir = tempDir();
    const add = await runBin(['org', 'add', 'admin', '--with-token', '--api-url', emu.url, '--storage', 'file'], {
      input: emu.adminToken,
      env: { ASTRA_TOKEN_CONFIG_DIR: dir },
    });
    expect(add.code).toBe(0);
    return dir;
  }

  describe.each(SHAPES)('API shape %s', (apiShape) => {
    it("exec --env-name: an astra-token inside sees no profile of the caller's (exit 3), and the private dir is gone after", async () => {
      await withEmulatorServer(
        async (emu) => {
          const dir = await callerWithProfile(emu);
          const seen = join(tempDir(), 'config-dir');
          const env = { ASTRA_TOKEN_CONFIG_DIR: dir, PATH: `${binDir}${delimiter}${process.env.PATH ?? '/usr/bin:/bin'}`, SEEN: seen };
          const r = await runBin(
            [
              'token',
              'exec',
              '--role',
              'RO User',
              '--env-name',
              'MY_TOKEN',
              '--',
              'sh',
              '-c',
              'echo "$ASTRA_TOKEN_CONFIG_DIR" > "$SEEN"; astra-token token list',
            ],
            { env },
          );
          expect(r.code).toBe(3);
          expect(r.stderr).toContain('error: no credential found');
          const privateDir = readFileSync(seen, 'utf8').trim();
          expect(privateDir).not.toBe(dir);
          expect(existsSync(privateDir)).toBe(false);
          expect(leftovers(emu.state)).toEqual([]);

          const shared = await runBin(
            ['token', 'exec', '--role', 'RO User', '--env-name', 'MY_TOKEN', '--share-config', '--', 'astra-token', 'token', 'list'],
            {
              env,
            },
          );
          expect(shared.code).toBe(0);
          expect(leftovers(emu.state)).toEqual([]);
        },
        { apiShape },
      );
    });

    it("a token from the environment with no API chosen: one note on stderr names the API used and the profile's; stdout untouched", async () => {
      await withEmulatorServer(
        async (emu) => {
          const dir = await callerWithProfile(emu);
          // The default API is reached only through a proxy on loopback that refuses: nothing leaves this machine.
          const r = await runBin(['--timeout', '2', 'token', 'list'], {
            env: {
              ASTRA_TOKEN_CONFIG_DIR: dir,
              ASTRA_DB_APPLICATION_TOKEN: emu.adminToken,
              HTTPS_PROXY: 'http://127.0.0.1:9',
              NO_PROXY: '',
            },
          });
          expect(r.code).toBe(7);
          expect(r.stdout).toBe('');
          const notes = r.stderr.split('\n').filter((l) => l.includes('is sent to'));
          expect(notes).toEqual([
            `warning: the token from ASTRA_DB_APPLICATION_TOKEN is sent to https://api.astra.datastax.com (the default), not to ${emu.url} of profile 'admin'; to use that API, set ASTRA_API_URL=${emu.url} or pass --api-url ${emu.url} (either also silences this note)`,
          ]);
          // Choosing the API, as the note says, silences it and reaches the profile's API.
          const chosen = await runBin(['token', 'list', '--json'], {
            env: { ASTRA_TOKEN_CONFIG_DIR: dir, ASTRA_DB_APPLICATION_TOKEN: emu.adminToken, ASTRA_API_URL: emu.url },
          });
          expect(chosen.code).toBe(0);
          expect(chosen.stderr).toBe('');
          expect(JSON.parse(chosen.stdout)).toEqual(expect.any(Array));
        },
        { apiShape },
      );
    });
  });
});
