// The README's "Rotating tokens in CI" recipe, its exact commands taken from README.md, run through the built bin on
// every API shape: the setup once, then the cron line three times (each time the token has come due) and once more
// when it is not due; then the README's audit gate on that set-up.
import { chmodSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { BIN, ROOT, runBin } from '../helpers/bin.js';
import { DAY, FLOW_TIMEOUT_MS, describeShapes, type Flow } from '../helpers/flow.js';
import { tempDir } from '../helpers/temp.js';

/** The `sh` blocks of the README section, in order. */
function recipe(): { setup: string; cron: string } {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const start = readme.indexOf('## Rotating tokens in CI');
  const section = readme.slice(start, readme.indexOf('\n## ', start + 1));
  const blocks = [...section.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]!);
  expect(blocks).toHaveLength(2);
  return { setup: blocks[0]!, cron: blocks[1]! };
}

/** Runs a README block with `sh` in `dir`, `astra-token` on PATH being the built bin. */
async function sh(flow: Flow, script: string, env: Record<string, string | undefined>) {
  const shims = tempDir('astra-token-shim-');
  writeFileSync(join(shims, 'astra-token'), `#!/bin/sh\nexec '${process.execPath}' '${BIN}' "$@"\n`);
  chmodSync(join(shims, 'astra-token'), 0o755);
  return runBin(['-c', `cd '${flow.dir}' && ${script}`], {
    command: '/bin/sh',
    env: { ASTRA_TOKEN_CONFIG_DIR: flow.dir, ASTRA_API_URL: flow.emu.url, PATH: `${shims}:${process.env.PATH ?? ''}`, ...env },
  });
}

const ciTokens = (flow: Flow) => flow.live().filter((t) => t.description === 'ci orders');

describeShapes('README: a CI token that rotates itself from cron', (run) => {
  it(
    'three due runs rotate into the same file (0600, the live token), a run not due changes nothing, the audit gate passes',
    () =>
      run(async (flow) => {
        const { setup, cron } = recipe();
        const file = join(flow.dir, 'ci-token');
        const made = await sh(flow, setup, { ASTRA_DB_APPLICATION_TOKEN: flow.emu.adminToken });
        expect(made.stderr).not.toContain('error');
        expect(made.code).toBe(0);
        const rotator = flow.emu.state.findRole(flow.emu.state.defaultOrg.id, 'token rotator')!;
        expect(rotator.policy.actions.sort()).toEqual(['org-role-read', 'org-token-read', 'org-token-write']);
        const rw = flow.emu.state.findRole(flow.emu.state.defaultOrg.id, 'R/W User')!.id;

        for (let runNo = 1; runNo <= 3; runNo++) {
          const [current] = ciTokens(flow);
          expect(ciTokens(flow)).toHaveLength(1);
          expect(readFileSync(file, 'utf8').split(':')[1]).toBe(current!.clientId);
          // 61 days pass: 29 of its 90 days are left, so the run is due.
          current!.generatedOn = new Date(Date.now() - 61 * DAY);
          current!.expiresAt = new Date(Date.now() + 29 * DAY);

          const r = await sh(flow, cron, {});
          expect(r.stderr).toContain(`${current!.clientId} is revoked`);
          expect(r.code).toBe(0);
          const content = readFileSync(file, 'utf8');
          expect(content).toMatch(/^AstraCS:[A-Za-z]{24}:[0-9a-f]{64}\n$/);
          expect(statSync(file).mode & 0o777).toBe(0o600);
          const [fresh] = ciTokens(flow);
          expect(ciTokens(flow)).toHaveLength(1);
          expect(fresh!.clientId).toBe(content.split(':')[1]);
          expect(flow.token(current!.clientId)).toBeUndefined();
          expect(fresh!.roles).toEqual([rotator.id, rw]);
          expect(Math.abs(fresh!.expiresAt!.getTime() - fresh!.generatedOn.getTime() - 90 * DAY)).toBeLessThan(2000);
        }

        // Not due: exit 0, stdout empty, the file and the server as they were.
        const before = readFileSync(file, 'utf8');
        const liveBefore = flow.live().map((t) => t.clientId);
        const idle = await sh(flow, cron, {});
        expect(idle.code).toBe(0);
        expect(idle.stdout).toBe('');
        expect(idle.stderr).toMatch(/is not due for rotation/);
        expect(readFileSync(file, 'utf8')).toBe(before);
        expect(flow.live().map((t) => t.clientId)).toEqual(liveBefore);

        // The README's audit gate, run with a read-only token once the emulator's own admin token is gone: the rotator is
        // reported as admin-role (it can mint any role's token); the recorded suppression is what lets the gate pass.
        const auditor = flow.emu.state.issueToken(flow.emu.state.defaultOrg.id, ['UI View Only'], {
          description: 'audit job',
          expiresAt: new Date(Date.now() + 60 * DAY),
        }).token;
        flow.emu.state.revokeToken(flow.emu.adminToken.split(':')[1]!);
        const env = { ASTRA_DB_APPLICATION_TOKEN: auditor };
        const strict = await sh(flow, 'astra-token token audit --fail-on high --json', env);
        expect(strict.code).toBe(9);
        const report = JSON.parse(strict.stdout) as {
          findings: Array<{ rule: string; clientId: string; roleId: string; message: string }>;
        };
        expect(report.findings.filter((f) => f.rule === 'admin-role')).toEqual([
          expect.objectContaining({
            clientId: ciTokens(flow)[0]!.clientId,
            roleId: rotator.id,
            message: expect.stringContaining('can mint a token of any role') as string,
          }),
        ]);
        const gate = await sh(flow, 'astra-token token audit --fail-on high --ignore-file .astra-audit-ignore', env);
        expect(gate.stderr).not.toContain('error');
        expect(gate.code).toBe(0);
      }),
    FLOW_TIMEOUT_MS,
  );
});
