// The CI recipe through the BUILT bin against the emulator process: the job's own token rotates itself into a file.
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HAS_BUILD, NO_BUILD_REASON, runBin, startEmulatorProcess } from '../../helpers/bin.js';
import { tempDir } from '../../helpers/temp.js';

describe.skipIf(!HAS_BUILD)(`token rotate through the built bin${HAS_BUILD ? '' : ` (${NO_BUILD_REASON})`}`, () => {
  it('astra-token token rotate "$ID" --yes --output-file new-token', async () => {
    const emu = await startEmulatorProcess();
    try {
      const dir = tempDir('rotate-bin-');
      const config = { ASTRA_TOKEN_CONFIG_DIR: dir };
      const admin = { ...config, ASTRA_DB_APPLICATION_TOKEN: emu.token, ASTRA_API_URL: emu.url };
      const created = await runBin(['token', 'create', '--role', 'Organization Administrator', '--description', 'ci', '--json'], {
        env: admin,
      });
      expect(created.code).toBe(0);
      const ci = JSON.parse(created.stdout) as { clientId: string; token: string };

      // The job runs with the token it rotates.
      const job = { ...config, ASTRA_DB_APPLICATION_TOKEN: ci.token, ASTRA_API_URL: emu.url };
      const file = join(dir, 'new-token');
      const r = await runBin(['token', 'rotate', ci.clientId, '--yes', '--output-file', file], { env: job });
      expect(r.stderr).toContain(`; ${ci.clientId} is revoked\n`);
      expect(r.code).toBe(0);
      const fresh = readFileSync(file, 'utf8');
      expect(fresh).toMatch(/^AstraCS:[A-Za-z]{24}:[0-9a-f]{64}\n$/);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(r.stdout).toBe(`${fresh.split(':')[1]}\n`);

      const withNew = await runBin(['--token-file', file, 'org', 'current', '--json'], { env: { ...config, ASTRA_API_URL: emu.url } });
      expect(withNew.code).toBe(0);
      expect(JSON.parse(withNew.stdout)).toMatchObject({ orgId: emu.orgId });
      const withOld = await runBin(['org', 'current'], { env: job });
      expect(withOld.code).toBe(3);
      const list = await runBin(['token', 'list', '--json'], { env: admin });
      const ids = (JSON.parse(list.stdout) as Array<{ clientId: string; description: string }>).filter((t) => t.description === 'ci');
      expect(ids.map((t) => t.clientId)).toEqual([fresh.split(':')[1]]);
    } finally {
      await emu.stop();
    }
  });
});
