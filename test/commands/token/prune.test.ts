import { http } from 'msw';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';
import { useEmulator } from '../../helpers/emulator.js';
import { DAY, NOW, at, clientIdOf, envFor } from '../../helpers/fixtures/token.js';

const emu = useEmulator({ state: { now: () => NOW } });

interface Seed {
  description?: string;
  expiresAt?: Date | null;
  generatedOn?: Date;
}
function issue({ description = '', expiresAt = at(30 * DAY), generatedOn = at(-DAY) }: Seed = {}): string {
  return clientIdOf(emu.state.issueToken(emu.state.defaultOrg.id, ['RO User'], { description, expiresAt, generatedOn }).token);
}
const exists = (id: string) => emu.state.findToken(id) !== undefined;
const deletes = () => emu.state.requests.filter((q) => q.method === 'DELETE');

describe('token prune', () => {
  describe('validation before any request', () => {
    it('needs at least one selector', async () => {
      const r = await runCli(['token', 'prune', '--yes'], { env: envFor(emu), now: NOW });
      expect(r).toEqual({
        code: 2,
        stdout: '',
        stderr:
          'error: token prune needs at least one filter: --expired, --older-than, --expiring-within, --role or --description; filters combine: a token is revoked when it matches all of them\n',
      });
      expect(emu.state.requests).toEqual([]);
    });

    it.each(['0', '33', 'x', '2.5', '-1'])('refuses --concurrency %s', async (n) => {
      const r = await runCli(['token', 'prune', '--expired', '--yes', '--concurrency', n], { env: envFor(emu), now: NOW });
      expect(r).toEqual({ code: 2, stdout: '', stderr: `error: --concurrency: '${n}' is not a whole number from 1 to 32\n` });
      expect(emu.state.requests).toEqual([]);
    });

    it('refuses a bad --older-than', async () => {
      const r = await runCli(['token', 'prune', '--older-than', 'ages', '--yes'], { env: envFor(emu), now: NOW });
      expect(r.code).toBe(2);
      expect(r.stderr).toBe("error: --older-than: 'ages' is not a duration; use e.g. 30d, 12h, 90m, 2w or P90D\n");
      expect(emu.state.requests).toEqual([]);
    });

    it('without a TTY and without --yes exits 2 touching nothing', async () => {
      const a = issue({ expiresAt: at(-DAY) });
      const r = await runCli(['token', 'prune', '--expired'], { env: envFor(emu), now: NOW });
      expect(r).toEqual({
        code: 2,
        stdout: '',
        stderr: 'error: revoking tokens needs confirmation: pass --yes (no terminal to ask on, or --no-input)\n',
      });
      expect(emu.state.requests).toEqual([]);
      expect(exists(a)).toBe(true);
    });
  });

  describe('filters (AND)', () => {
    it('--expired revokes the expired tokens only, with a report on stderr', async () => {
      const expired = issue({ expiresAt: at(-DAY), generatedOn: at(-3 * DAY) });
      const live = issue();
      const never = issue({ expiresAt: null });
      const r = await runCli(['token', 'prune', '--expired', '--yes'], { env: envFor(emu), now: NOW });
      expect(r).toEqual({ code: 0, stdout: '', stderr: `revoked ${expired}\nrevoked 1 of 1 token\n` });
      expect([exists(expired), exists(live), exists(never)]).toEqual([false, true, true]);
    });

    it('--older-than goes by the creation time', async () => {
      const old = issue({ generatedOn: at(-100 * DAY) });
      const young = issue({ generatedOn: at(-10 * DAY) });
      const r = await runCli(['token', 'prune', '--older-than', '90d', '--yes', '--json'], { env: envFor(emu), now: NOW });
      expect(r.code).toBe(0);
      expect(JSON.parse(r.stdout)).toEqual([{ clientId: old, deleted: true }]);
      expect(exists(young)).toBe(true);
    });

    it('--description is a glob over the whole description: * and ? match, everything else is literal', async () => {
      const ci1 = issue({ description: 'ci-build-1' });
      const ci2 = issue({ description: 'ci-deploy' });
      const notCi = issue({ description: 'my ci-build' });
      const dotted = issue({ description: 'a.b' });
      const axb = issue({ description: 'axb' });
      const r1 = await runCli(['token', 'prune', '--description', 'ci-*', '--dry-run', '--json'], { env: envFor(emu), now: NOW });
      expect((JSON.parse(r1.stdout) as Array<{ clientId: string }>).map((x) => x.clientId).sort()).toEqual([ci1, ci2].sort());
      const r2 = await runCli(['token', 'prune', '--description', 'a.?', '--dry-run', '--json'], { env: envFor(emu), now: NOW });
      expect(JSON.parse(r2.stdout)).toEqual([{ clientId: dotted, deleted: false, reason: 'dry run' }]);
      expect([exists(notCi), exists(axb)]).toEqual([true, true]);
      expect(deletes()).toEqual([]);
    });

    it('filters combine with AND', async () => {
      const both = issue({ description: 'ci-1', expiresAt: at(-DAY) });
      const onlyExpired = issue({ description: 'orders', expiresAt: at(-DAY) });
      const onlyCi = issue({ description: 'ci-2' });
      const r = await runCli(['token', 'prune', '--expired', '--description', 'ci-*', '--yes', '--json'], { env: envFor(emu), now: NOW });
      expect(r.code).toBe(0);
      expect(JSON.parse(r.stdout)).toEqual([{ clientId: both, deleted: true }]);
      expect([exists(onlyExpired), exists(onlyCi)]).toEqual([true, true]);
    });

    it('nothing matching is not an error', async () => {
      issue();
      const r = await runCli(['token', 'prune', '--expired', '--yes', '--json'], { env: envFor(emu), now: NOW });
      expect(r).toEqual({ code: 0, stdout: '[]\n', stderr: 'no token matches; nothing to revoke\n' });
      expect(deletes()).toEqual([]);
    });
  });

  describe('--dry-run', () => {
    it('lists what would go (piped: tab-separated rows) and changes nothing', async () => {
      const a = issue({ description: 'old one', expiresAt: at(-DAY), generatedOn: at(-5 * DAY) });
      issue();
      const r = await runCli(['token', 'prune', '--expired', '--dry-run'], { env: envFor(emu), now: NOW });
      expect(r.code).toBe(0);
      expect(r.stdout).toBe(`${a}\tRO User\told one\t${at(-5 * DAY).toISOString()}\t${at(-DAY).toISOString()}\n`);
      expect(r.stderr).toBe('dry run: 1 token of 3 would be revoked; nothing was changed\n');
      expect(deletes()).toEqual([]);
    });

    it('needs no --yes', async () => {
      const r = await runCli(['token', 'prune', '--expired', '--dry-run', '--json'], { env: envFor(emu), now: NOW });
      expect(r).toEqual({ code: 0, stdout: '[]\n', stderr: '' });
    });
  });

  describe('its own credential', () => {
    it('is skipped and reported unless --force', async () => {
      const admin = clientIdOf(emu.adminToken);
      const other = issue({ description: 'emulator admin copy' });
      const r = await runCli(['token', 'prune', '--description', 'emulator admin*', '--yes', '--json'], { env: envFor(emu), now: NOW });
      expect(r.code).toBe(0);
      const report = JSON.parse(r.stdout) as Array<{ clientId: string }>;
      expect(report).toHaveLength(2);
      expect(report).toContainEqual({ clientId: other, deleted: true });
      expect(report).toContainEqual({
        clientId: admin,
        deleted: false,
        reason: 'it is the token this command is authenticated with; kept (pass --force to revoke it too)',
      });
      expect(exists(admin)).toBe(true);
    });

    it('piped, the skip is a note on stderr', async () => {
      const admin = clientIdOf(emu.adminToken);
      const r = await runCli(['token', 'prune', '--description', 'emulator admin', '--yes'], { env: envFor(emu), now: NOW });
      expect(r).toEqual({
        code: 0,
        stdout: '',
        stderr: `${admin}: it is the token this command is authenticated with; kept (pass --force to revoke it too)\nno token besides this command's own matches; nothing to revoke\n`,
      });
    });

    it('with --force it is revoked, last', async () => {
      const admin = clientIdOf(emu.adminToken);
      const others = [issue({ description: 'emulator admin 2' }), issue({ description: 'emulator admin 3' })];
      const r = await runCli(['token', 'prune', '--description', 'emulator admin*', '--yes', '--force', '--json'], {
        env: envFor(emu),
        now: NOW,
      });
      expect(r.code).toBe(0);
      expect(deletes().at(-1)?.path).toBe(`/v2/tokens/${admin}`);
      expect([admin, ...others].some(exists)).toBe(false);
    });
  });

  describe('concurrency, progress and failures', () => {
    it('on a TTY draws a progress line on stderr and clears it before the report', async () => {
      const ids = [0, 1, 2].map((i) => issue({ expiresAt: at(-DAY), generatedOn: at(-(i + 2) * DAY) }));
      const r = await runCli(['token', 'prune', '--expired', '--yes', '--no-color'], { env: envFor(emu), now: NOW, tty: true });
      expect(r.code).toBe(0);
      const lines = ids.map((id) => `✓ revoked ${id}\n`).join('');
      expect(r.stderr).toBe(
        '\r\x1b[Krevoking: 0/3 done\r\x1b[Krevoking: 1/3 done\r\x1b[Krevoking: 2/3 done\r\x1b[Krevoking: 3/3 done\r\x1b[K' +
          `${lines}revoked 3 of 3 tokens\n`,
      );
    });

    it('a retry warning clears the progress line first and draws it again below itself', async () => {
      const a = issue({ expiresAt: at(-DAY) });
      emu.state.injectFault({ method: 'DELETE', path: `/v2/tokens/${a}`, status: 503, times: 1 });
      const r = await runCli(['token', 'prune', '--expired', '--yes', '--no-color'], { env: envFor(emu), now: NOW, tty: true });
      expect(r.code).toBe(0);
      expect(exists(a)).toBe(false);
      // Never `revoking: 0/1 donewaiting …`: the line is cleared, the warning written, the progress drawn again.
      expect(r.stderr).not.toMatch(/done[^\r\n]*waiting/);
      const clear = '\r\x1b[K';
      const [first, warning, rest] = [r.stderr.slice(0, 40), r.stderr.split('\n')[0]!, r.stderr.split('\n')[1]!];
      expect(first.startsWith(`${clear}revoking: 0/1 done${clear}waiting `)).toBe(true);
      expect(warning).toMatch(/ before trying again: .+$/);
      expect(rest.startsWith(`revoking: 0/1 done${clear}revoking: 1/1 done${clear}✓ revoked ${a}`)).toBe(true);
    });

    it("the prompt and the summary count the same tokens when this command's own is kept", async () => {
      const admin = clientIdOf(emu.adminToken);
      const others = [issue({ description: 'emulator admin 2' }), issue({ description: 'emulator admin 3' })];
      const r = await runCli(['token', 'prune', '--description', 'emulator admin*', '--no-color'], {
        env: envFor(emu),
        now: NOW,
        tty: true,
        stdin: 'y\n',
      });
      expect(r.code).toBe(0);
      expect(r.stderr).toContain('About to revoke 2 tokens;');
      expect(r.stderr).toContain('Revoke these 2 tokens?');
      expect(r.stderr).toContain(`- ${admin}: it is the token this command is authenticated with`);
      expect(r.stderr.trimEnd().split('\n').at(-1)).toBe('revoked 2 of 2 tokens');
      expect(others.some(exists)).toBe(false);
      expect(exists(admin)).toBe(true);
    });

    it('piped there is no progress line, and -q keeps only failures', async () => {
      const a = issue({ expiresAt: at(-DAY), generatedOn: at(-2 * DAY) });
      const b = issue({ expiresAt: at(-DAY), generatedOn: at(-3 * DAY) });
      emu.state.injectFault({ method: 'DELETE', path: `/v2/tokens/${b}`, status: 403 });
      const r = await runCli(['token', 'prune', '--expired', '--yes', '-q'], { env: envFor(emu), now: NOW });
      expect(r.code).toBe(8);
      expect(r.stderr).toBe(
        `✗ ${b}: injected fault [403] (HTTP 403 from DELETE /v2/tokens/${b})\nerror: revoked 1 of 2 tokens; failed: ${b} (injected fault [403] (HTTP 403 from DELETE /v2/tokens/${b}))\n`,
      );
      expect([exists(a), exists(b)]).toEqual([false, true]);
    });

    it('reports failures per token in --json and exits 8', async () => {
      const a = issue({ expiresAt: at(-DAY), generatedOn: at(-2 * DAY) });
      const b = issue({ expiresAt: at(-DAY), generatedOn: at(-3 * DAY) });
      emu.state.injectFault({ method: 'DELETE', path: `/v2/tokens/${a}`, status: 500, times: 4 });
      const r = await runCli(['token', 'prune', '--expired', '--yes', '--json'], { env: envFor(emu), now: NOW });
      expect(r.code).toBe(8);
      const report = JSON.parse(r.stdout) as Array<{ clientId: string; deleted: boolean; reason?: string }>;
      expect(report.map((x) => [x.clientId, x.deleted])).toEqual([
        [a, false],
        [b, true],
      ]);
      expect(report[0]!.reason).toMatch(/HTTP 500/);
      expect(JSON.parse(r.stderr)).toMatchObject({ error: { code: 'PARTIAL' } });
    });

    it('when nothing could be revoked for one reason, that reason is the exit code (403 -> 4)', async () => {
      issue({ expiresAt: at(-DAY) });
      issue({ expiresAt: at(-DAY) });
      emu.state.injectFault({ method: 'DELETE', status: 403, times: 2 });
      const r = await runCli(['token', 'prune', '--expired', '--yes'], { env: envFor(emu), now: NOW });
      expect(r.code).toBe(4);
    });

    it('a token revoked by someone else meanwhile is reported, not a failure', async () => {
      const a = issue({ expiresAt: at(-DAY) });
      // Gone between the list and the delete.
      emu.server.use(http.delete('*/v2/tokens/:clientId', () => void emu.state.revokeToken(a)));
      const r = await runCli(['token', 'prune', '--expired', '--yes', '--json'], { env: envFor(emu), now: NOW });
      expect(r.code).toBe(0);
      expect(JSON.parse(r.stdout)).toEqual([{ clientId: a, deleted: false, reason: 'not found' }]);
    });

    it('never runs more deletes at once than --concurrency', async () => {
      Array.from({ length: 12 }, () => issue({ expiresAt: at(-DAY) }));
      let inFlight = 0;
      let peak = 0;
      emu.server.use(
        http.delete('*/v2/tokens/:clientId', async () => {
          inFlight += 1;
          peak = Math.max(peak, inFlight);
          await new Promise((resolve) => setTimeout(resolve, 5));
          inFlight -= 1;
          // Falls through to the emulator's own handler.
        }),
      );
      const r = await runCli(['token', 'prune', '--expired', '--yes', '--concurrency', '3'], { env: envFor(emu), now: NOW });
      expect(r.code).toBe(0);
      expect(peak).toBe(3);
      expect(deletes()).toHaveLength(12);
    });
  });

  describe('interrupted', () => {
    it('stops starting deletes, lets those in flight finish, reports every token and exits 130', async () => {
      const ids = Array.from({ length: 20 }, (_, i) => issue({ expiresAt: at(-DAY), generatedOn: at(-(i + 2) * DAY) }));
      const controller = new AbortController();
      let started = 0;
      emu.server.use(
        http.delete('*/v2/tokens/:clientId', () => {
          started += 1;
          // Ctrl-C while the fifth delete is on the wire.
          if (started === 5) controller.abort();
        }),
      );
      const r = await runCli(['token', 'prune', '--expired', '--yes', '--json', '--concurrency', '2'], {
        env: envFor(emu),
        now: NOW,
        signal: controller.signal,
      });
      expect(r.code).toBe(130);
      const report = JSON.parse(r.stdout) as Array<{ clientId: string; deleted: boolean; reason?: string }>;
      expect(report.map((x) => x.clientId)).toEqual(ids);
      // The deletes on the wire when the interrupt came (the fifth and its neighbour) completed.
      const done = report.filter((x) => x.deleted);
      expect(done.length).toBeGreaterThanOrEqual(5);
      expect(done.length).toBeLessThanOrEqual(6);
      for (const x of report) {
        expect(exists(x.clientId)).toBe(!x.deleted);
        if (!x.deleted) expect(x.reason).toBe('interrupted');
      }
      expect(deletes()).toHaveLength(done.length);
      expect(JSON.parse(r.stderr)).toMatchObject({
        error: { code: 'INTERRUPTED', message: `interrupted: ${20 - done.length} tokens not revoked` },
      });
    });

    it('piped, the summary is printed before the exit', async () => {
      Array.from({ length: 6 }, () => issue({ expiresAt: at(-DAY) }));
      const controller = new AbortController();
      let started = 0;
      emu.server.use(
        http.delete('*/v2/tokens/:clientId', () => {
          if (++started === 2) controller.abort();
        }),
      );
      const r = await runCli(['token', 'prune', '--expired', '--yes', '--concurrency', '1'], {
        env: envFor(emu),
        now: NOW,
        signal: controller.signal,
      });
      expect(r.code).toBe(130);
      expect(r.stderr.split('\n').slice(-4)).toEqual([
        'revoked 2 of 6 tokens',
        // The never-started ones: one line with their count, not one line each.
        '- 4 not started (interrupted)',
        expect.stringMatching(/^error: interrupted: 4 tokens not revoked \([A-Za-z, ]+\)$/),
        '',
      ]);
    });
  });
});
