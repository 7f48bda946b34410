// `token audit --fail-on high` through the built bin against the loopback emulator's default org: the CI gate as a
// scheduled job runs it (real undici transport, real exit code, pipes).
import { execFileSync } from 'node:child_process';
import { symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HAS_BUILD, NO_BUILD_REASON, runBin } from '../../helpers/bin.js';
import { applySeed } from '../../../src/emulator/index.js';
import { withEmulatorServer } from '../../helpers/emulator.js';
import { tempDir } from '../../helpers/temp.js';

describe.skipIf(!HAS_BUILD)(`token audit through the built bin${HAS_BUILD ? '' : ` (${NO_BUILD_REASON})`}`, () => {
  it('exits 9 naming the admin token, and 0 once that finding is suppressed', async () => {
    await withEmulatorServer(async ({ url, adminToken }) => {
      const env = { ASTRA_DB_APPLICATION_TOKEN: adminToken, ASTRA_API_URL: url };
      const admin = adminToken.split(':')[1]!;

      const gate = await runBin(['token', 'audit', '--fail-on', 'high'], { env });
      expect(gate.code).toBe(9);
      expect(gate.stderr).toContain(`error: 1 finding at or above --fail-on high: admin-role ${admin} (1 high, 1 medium, 0 low, 0 info)`);
      expect(gate.stdout.split('\n')[0]!.split('\t').slice(0, 3)).toEqual(['high', 'admin-role', admin]);

      const json = await runBin(['token', 'audit', '--fail-on', 'high', '--json'], { env });
      expect(json.code).toBe(9);
      expect(JSON.parse(json.stdout)).toMatchObject({ auditedWith: admin, summary: { high: 1, medium: 1, low: 0, info: 0 } });
      expect(JSON.parse(json.stderr.trim())).toMatchObject({ error: { code: 'POLICY' } });

      const accepted = await runBin(['token', 'audit', '--fail-on', 'high', '--ignore', `admin-role:${admin}`], { env });
      expect(accepted.code).toBe(0);
      expect(accepted.stdout).toBe(
        `medium\tno-expiry\t${admin}\t\tnever expires\trotate it with an expiry: astra-token token rotate ${admin} --expires 90d\n`,
      );
    });
  });

  it('--fail-on-rule gates on rules (exit 9), an unknown rule is exit 2, and an unused --ignore is warned about', async () => {
    await withEmulatorServer(async ({ url, adminToken, state }) => {
      const env = { ASTRA_DB_APPLICATION_TOKEN: adminToken, ASTRA_API_URL: url };
      const admin = adminToken.split(':')[1]!;
      applySeed(state, { tokens: [{ roles: ['RO User'], description: 'ci-old', age: '200d', expiresIn: '30d' }] });
      const old = state.listTokens(state.defaultOrg.id).find((t) => t.description === 'ci-old')!.clientId;

      const gate = await runBin(['token', 'audit', '--fail-on-rule', 'too-old'], { env });
      expect(gate.code).toBe(9);
      expect(gate.stderr).toContain(`error: 1 finding of --fail-on-rule too-old: too-old ${old} (`);

      const scoped = await runBin(['token', 'audit', '--fail-on-rule', 'no-expiry', '--description', 'ci-*', '--ignore', 'expired'], {
        env,
      });
      expect(scoped.code).toBe(0);
      expect(scoped.stderr).toContain("warning: --ignore: 'expired' matches no finding; remove it\n");
      expect(scoped.stdout).toBe(
        `medium\ttoo-old\t${old}\t\tcreated ${state.findToken(old)!.generatedOn.toISOString()}, more than 3 months ago\trotate it: astra-token token rotate ${old}\n`,
      );
      expect(scoped.stdout).not.toContain(admin);

      const unknown = await runBin(['token', 'audit', '--fail-on-rule', 'no-expiry,admin'], { env });
      expect(unknown).toMatchObject({ code: 2, stdout: '' });
      expect(unknown.stderr).toBe(
        "error: --fail-on-rule: 'admin' is not an audit rule (did you mean admin-role?); rules: admin-role, no-expiry, too-old, broad-custom-role, deleted-role, no-description, expiring, expired, unused-role\n",
      );
    });
  });

  // A CI job takes these files from its repository, where a symlink to /dev/zero or a secret is one commit away.
  it.each(['--baseline', '--ignore-file'])(
    '%s: a device, a FIFO, a symlink and an oversized file exit 2 before any request',
    async (flag) => {
      await withEmulatorServer(async ({ url, adminToken, state }) => {
        const env = { ASTRA_DB_APPLICATION_TOKEN: adminToken, ASTRA_API_URL: url };
        const dir = tempDir();
        const good = join(dir, 'good');
        writeFileSync(good, flag === '--baseline' ? '{"tokens":[],"findings":[]}' : '# nothing\n');
        const link = join(dir, 'link');
        symlinkSync(good, link);
        const fifo = join(dir, 'fifo');
        execFileSync('mkfifo', [fifo]);
        const big = join(dir, 'big');
        writeFileSync(big, ' '.repeat(flag === '--baseline' ? 64 * 1024 * 1024 + 1 : 1024 * 1024 + 1));
        const cases: Array<[string, string]> = [
          ['/dev/zero', 'it is a device, not a regular file'],
          [link, 'it is a symbolic link, which is never followed'],
          [fifo, 'it is a FIFO (named pipe), not a regular file'],
          [big, `it is larger than ${flag === '--baseline' ? 64 : 1} MiB`],
        ];
        for (const [path, reason] of cases) {
          const r = await runBin(['token', 'audit', flag, path], { env });
          expect(r, path).toMatchObject({ code: 2, signal: null, stdout: '', stderr: `error: ${flag}: cannot read ${path}: ${reason}\n` });
        }
        expect(state.requests).toEqual([]);
        expect((await runBin(['token', 'audit', flag, good, '--json'], { env })).code).toBe(0);
      });
    },
  );
});
