import { describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';
import { useEmulator } from '../../helpers/emulator.js';
import { BOGUS_TOKEN, DAY, NOW, at, clientIdOf, envFor } from '../../helpers/fixtures/token.js';
import { jsonError } from '../../helpers/typed.js';

const emu = useEmulator({ state: { now: () => NOW } });

function issue(roles: string[] = ['RO User'], description = ''): string {
  return clientIdOf(
    emu.state.issueToken(emu.state.defaultOrg.id, roles, { description, expiresAt: at(30 * DAY), generatedOn: at(-DAY) }).token,
  );
}
const exists = (clientId: string) => emu.state.findToken(clientId) !== undefined;
const deletes = () => emu.state.requests.filter((q) => q.method === 'DELETE');

describe('token delete', () => {
  it('revokes with --yes and reports on stderr', async () => {
    const a = issue();
    const r = await runCli(['token', 'delete', a, '--yes'], { env: envFor(emu), now: NOW });
    expect(r).toEqual({ code: 0, stdout: '', stderr: `revoked ${a}\n` });
    expect(exists(a)).toBe(false);
  });

  it('a token secret (its 64-hex part) given as a client id is refused without quoting any of it', async () => {
    const hex = emu.adminToken.split(':')[2]!;
    for (const args of [
      ['token', 'delete', hex, '--yes'],
      ['token', 'audit', '--ignore', `admin-role:${hex}!`],
    ]) {
      const r = await runCli(args, { env: envFor(emu), now: NOW });
      expect(r.code).toBe(2);
      expect(r.stderr).not.toContain(hex.slice(0, 16));
      expect(r.stderr).toContain('[redacted]');
    }
  });

  it('checks the list first and then deletes', async () => {
    const a = issue();
    await runCli(['token', 'delete', a, '--yes'], { env: envFor(emu), now: NOW });
    const calls = emu.state.requests.map((q) => `${q.method} ${q.path}`);
    expect(calls.slice(-1)).toEqual([`DELETE /v2/tokens/${a}`]);
    expect(calls.slice(0, -1).sort()).toEqual(['GET /v2/organizations/roles', 'GET /v2/tokens']);
  });

  it('prints the contract report with --json', async () => {
    const a = issue();
    const b = issue();
    const r = await runCli(['token', 'delete', a, b, '--yes', '--json'], { env: envFor(emu), now: NOW });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual([
      { clientId: a, deleted: true },
      { clientId: b, deleted: true },
    ]);
  });

  it('revokes many tokens concurrently with a per-id report', async () => {
    const ids = Array.from({ length: 12 }, () => issue());
    const r = await runCli(['token', 'delete', ...ids, '--yes', '--json'], { env: envFor(emu), now: NOW });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(ids.map((clientId) => ({ clientId, deleted: true })));
    expect(ids.some(exists)).toBe(false);
    expect(deletes()).toHaveLength(12);
  });

  describe('confirmation', () => {
    it('without a TTY and without --yes exits 2 touching nothing', async () => {
      const a = issue();
      const r = await runCli(['token', 'delete', a], { env: envFor(emu), now: NOW });
      expect(r).toEqual({
        code: 2,
        stdout: '',
        stderr: 'error: revoking tokens needs confirmation: pass --yes (no terminal to ask on, or --no-input)\n',
      });
      expect(emu.state.requests).toEqual([]);
      expect(exists(a)).toBe(true);
    });

    it('with --no-input on a TTY still needs --yes', async () => {
      const a = issue();
      const r = await runCli(['token', 'delete', a, '--no-input'], { env: envFor(emu), now: NOW, tty: true, stdin: 'y\n' });
      expect(r.code).toBe(2);
      expect(exists(a)).toBe(true);
    });

    it('asks on a TTY and revokes on yes', async () => {
      const a = issue(['R/W User'], 'orders');
      const r = await runCli(['token', 'delete', a, '--no-color'], { env: envFor(emu), now: NOW, tty: true, stdin: 'y\n' });
      expect(r.code).toBe(0);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(
        new RegExp(
          `^About to revoke 1 token; applications using it lose access at once:\n  ${a}  R/W User "orders"\n.*Revoke this token\\? \\[y/N\\] `,
        ),
      );
      expect(r.stderr.endsWith(`✓ revoked ${a}\n`)).toBe(true);
      expect(exists(a)).toBe(false);
    });

    it('asks on a TTY and exits 2 on no, revoking nothing', async () => {
      const a = issue();
      const b = issue();
      const r = await runCli(['token', 'delete', a, b, '--no-color'], { env: envFor(emu), now: NOW, tty: true, stdin: 'n\n' });
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('Revoke these 2 tokens? [y/N] ');
      expect(r.stderr).toContain('error: not confirmed; nothing was revoked\n');
      expect(deletes()).toEqual([]);
      expect(exists(a) && exists(b)).toBe(true);
    });
  });

  describe('unknown ids', () => {
    it('exit 5 and revoke nothing, even the known ones', async () => {
      const a = issue();
      const r = await runCli(['token', 'delete', a, 'NoSuchTokenAtAllInThisOrg', '--yes'], { env: envFor(emu), now: NOW });
      expect(r.code).toBe(5);
      expect(r.stdout).toBe('');
      expect(r.stderr).toBe(
        "error: no token with client id NoSuchTokenAtAllInThisOrg in this org; nothing was revoked; see 'astra-token token list'; pass --if-exists to skip tokens that do not exist\n",
      );
      expect(exists(a)).toBe(true);
      expect(deletes()).toEqual([]);
    });

    it('suggest a close client id (they are case-sensitive)', async () => {
      const a = issue();
      const r = await runCli(['token', 'delete', a.toLowerCase(), '--yes'], { env: envFor(emu), now: NOW });
      expect(r.code).toBe(5);
      expect(r.stderr).toContain(`did you mean ${a}? (client ids are case-sensitive)`);
    });

    it('are skipped with --if-exists: exit 0, reported as not found', async () => {
      const a = issue();
      const r = await runCli(['token', 'delete', 'NoSuchTokenAtAllInThisOrg', a, '--yes', '--if-exists', '--json'], {
        env: envFor(emu),
        now: NOW,
      });
      expect(r.code).toBe(0);
      expect(JSON.parse(r.stdout)).toEqual([
        { clientId: 'NoSuchTokenAtAllInThisOrg', deleted: false, reason: 'not found' },
        { clientId: a, deleted: true },
      ]);
      const plain = await runCli(['token', 'delete', 'NoSuchTokenAtAllInThisOrg', '--yes', '--if-exists'], { env: envFor(emu), now: NOW });
      expect(plain).toEqual({ code: 0, stdout: '', stderr: '- NoSuchTokenAtAllInThisOrg: not found, nothing to revoke\n' });
    });

    it('a token that vanishes between the list and the delete (404) exits 5, or 0 with --if-exists', async () => {
      const a = issue();
      // Gone on both routes: a 404 on /v2/tokens/{id} alone may only mean the route is missing.
      emu.state.injectFault({ method: 'DELETE', path: `/v2/*/${a}`, status: 404, times: 2 });
      const r = await runCli(['token', 'delete', a, '--yes'], { env: envFor(emu), now: NOW });
      expect(r.code).toBe(5);
      expect(r.stderr).toContain(`✗ ${a}: `);
      expect(r.stderr).toMatch(new RegExp(`^error: could not revoke ${a} \\(`, 'm'));

      emu.state.injectFault({ method: 'DELETE', path: `/v2/*/${a}`, status: 404, times: 2 });
      const tolerated = await runCli(['token', 'delete', a, '--yes', '--if-exists', '--json'], { env: envFor(emu), now: NOW });
      expect(tolerated.code).toBe(0);
      expect(JSON.parse(tolerated.stdout)).toEqual([{ clientId: a, deleted: false, reason: 'not found' }]);
    });
  });

  describe('the self-revoke guard', () => {
    it('refuses the token the command runs with (exit 2, no request)', async () => {
      const self = clientIdOf(emu.adminToken);
      const other = issue();
      const r = await runCli(['token', 'delete', other, self, '--yes'], { env: envFor(emu), now: NOW });
      expect(r).toEqual({
        code: 2,
        stdout: '',
        stderr: `error: refusing to revoke ${self}: it is the token this command is authenticated with; pass --force to revoke it anyway (this command then loses its access)\n`,
      });
      expect(emu.state.requests).toEqual([]);
      expect(exists(other)).toBe(true);
    });

    it('revokes it with --force, after the others', async () => {
      const self = clientIdOf(emu.adminToken);
      const others = [issue(), issue(), issue()];
      const r = await runCli(['token', 'delete', self, ...others, '--yes', '--force', '--json'], { env: envFor(emu), now: NOW });
      expect(r.code).toBe(0);
      expect(JSON.parse(r.stdout)).toEqual([self, ...others].map((clientId) => ({ clientId, deleted: true })));
      expect(deletes().at(-1)).toEqual({ method: 'DELETE', path: `/v2/tokens/${self}`, status: 200 });
    });
  });

  describe('--dry-run', () => {
    it('lists what would go and changes nothing (piped, no --yes needed)', async () => {
      const a = issue(['R/W User'], 'orders');
      const r = await runCli(['token', 'delete', a, '--dry-run'], { env: envFor(emu), now: NOW });
      expect(r.code).toBe(0);
      expect(r.stdout).toBe(`${a}\tR/W User\torders\t${at(-DAY).toISOString()}\t${at(30 * DAY).toISOString()}\n`);
      expect(r.stderr).toBe('dry run: 1 token would be revoked; nothing was changed\n');
      expect(deletes()).toEqual([]);
      expect(exists(a)).toBe(true);
    });

    it('shows a table on a TTY without prompting', async () => {
      const a = issue();
      const r = await runCli(['token', 'delete', a, '--dry-run', '--no-color'], { env: envFor(emu), now: NOW, tty: true });
      expect(r.code).toBe(0);
      expect(r.stdout.split('\n')[0]).toMatch(/^CLIENT ID\s+ROLES\s+DESCRIPTION\s+CREATED\s+EXPIRES\s+STATUS$/);
      expect(r.stdout).toContain(a);
      expect(exists(a)).toBe(true);
    });

    it('reports deleted:false with --json', async () => {
      const a = issue();
      const r = await runCli(['token', 'delete', a, 'NoSuchTokenAtAllInThisOrg', '--dry-run', '--if-exists', '--json'], {
        env: envFor(emu),
        now: NOW,
      });
      expect(r.code).toBe(0);
      expect(JSON.parse(r.stdout)).toEqual([
        { clientId: a, deleted: false, reason: 'dry run' },
        { clientId: 'NoSuchTokenAtAllInThisOrg', deleted: false, reason: 'not found' },
      ]);
      expect(deletes()).toEqual([]);
    });
  });

  describe('failures', () => {
    it('some failing exits 8 naming each failure, after revoking the rest', async () => {
      const [a, b, c] = [issue(), issue(), issue()];
      emu.state.injectFault({
        method: 'DELETE',
        path: `/v2/tokens/${b}`,
        status: 400,
        body: '{"errors":[{"ID":1,"message":"token is locked"}]}',
      });
      const r = await runCli(['token', 'delete', a, b, c, '--yes', '--json'], { env: envFor(emu), now: NOW });
      expect(r.code).toBe(8);
      const reason = `token is locked [1] (HTTP 400 from DELETE /v2/tokens/${b})`;
      expect(JSON.parse(r.stdout)).toEqual([
        { clientId: a, deleted: true },
        { clientId: b, deleted: false, reason },
        { clientId: c, deleted: true },
      ]);
      expect(jsonError(r.stderr)).toEqual({ code: 'PARTIAL', message: `revoked 2 of 3 tokens; failed: ${b} (${reason})` });
      expect([exists(a), exists(b), exists(c)]).toEqual([false, true, false]);
    });

    it('piped, the partial report goes to stderr line by line', async () => {
      const [a, b] = [issue(), issue()];
      emu.state.injectFault({
        method: 'DELETE',
        path: `/v2/tokens/${a}`,
        status: 400,
        body: '{"errors":[{"ID":1,"message":"token is locked"}]}',
      });
      const r = await runCli(['token', 'delete', a, b, '--yes'], { env: envFor(emu), now: NOW });
      expect(r.code).toBe(8);
      expect(r.stdout).toBe('');
      const reason = `token is locked [1] (HTTP 400 from DELETE /v2/tokens/${a})`;
      expect(r.stderr).toBe(`✗ ${a}: ${reason}\nrevoked ${b}\nerror: revoked 1 of 2 tokens; failed: ${a} (${reason})\n`);
    });

    it('exits 4 when the token may list but not revoke (403)', async () => {
      const dba = emu.state.issueToken(emu.state.defaultOrg.id, ['Database Administrator']).token;
      const a = issue();
      const r = await runCli(['token', 'delete', a, '--yes'], { env: envFor(emu, dba), now: NOW });
      expect(r.code).toBe(4);
      expect(r.stderr).toMatch(new RegExp(`^error: could not revoke ${a} \\(role does not permit org-token-write`, 'm'));
      expect(exists(a)).toBe(true);
    });

    it('exits 4 when the token may not even list tokens', async () => {
      const rw = emu.state.issueToken(emu.state.defaultOrg.id, ['R/W User']).token;
      const r = await runCli(['token', 'delete', issue(), '--yes'], { env: envFor(emu, rw), now: NOW });
      expect(r.code).toBe(4);
      expect(deletes()).toEqual([]);
    });

    it('exits 3 on 401', async () => {
      const r = await runCli(['token', 'delete', issue(), '--yes'], { env: envFor(emu, BOGUS_TOKEN), now: NOW });
      expect(r.code).toBe(3);
      expect(deletes()).toEqual([]);
    });

    it('retries a transient 503 on DELETE and succeeds', async () => {
      const a = issue();
      emu.state.injectFault({ method: 'DELETE', path: `/v2/tokens/${a}`, status: 503 });
      const r = await runCli(['token', 'delete', a, '--yes'], { env: envFor(emu), now: NOW });
      expect(r.code).toBe(0);
      expect(exists(a)).toBe(false);
    });
  });
});
