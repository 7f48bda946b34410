import { describe, expect, it } from 'vitest';
import { formatLocal } from '../../../src/output/format-time.js';
import { runCli } from '../../helpers/cli.js';
import { useEmulator } from '../../helpers/emulator.js';
import { BOGUS_TOKEN, DAY, NOW, addCustomRole, at, clientIdOf, envFor, roleId } from '../../helpers/fixtures/token.js';
import { jsonError, parseJson } from '../../helpers/typed.js';

const emu = useEmulator({ state: { now: () => NOW } });
const ORPHAN_ROLE = '00000000-0000-4000-8000-000000000000';

/** Four tokens besides the admin's: active, expiring, expired, and one holding a role id that no longer exists. */
function seed() {
  const org = emu.state.defaultOrg.id;
  const id = (t: string) => clientIdOf(t);
  const admin = id(emu.adminToken);
  const active = id(
    emu.state.issueToken(org, ['R/W User'], { description: 'orders service', expiresAt: at(12 * DAY), generatedOn: at(-3 * DAY) }).token,
  );
  const expiring = id(emu.state.issueToken(org, ['RO User'], { expiresAt: at(3 * DAY), generatedOn: at(-1 * DAY) }).token);
  const expired = id(
    emu.state.issueToken(org, ['RO User', 'Database Administrator'], {
      description: 'old batch job',
      expiresAt: at(-3 * DAY),
      generatedOn: at(-30 * DAY),
    }).token,
  );
  const orphan = id(emu.state.issueToken(org, [ORPHAN_ROLE], { description: 'orphan', generatedOn: at(-60 * DAY) }).token);
  return { admin, active, expiring, expired, orphan };
}

const iso = (ms: number) => at(ms).toISOString();

describe('token list', () => {
  it('prints tab-separated rows, newest first, ISO UTC, no header when piped', async () => {
    const t = seed();
    const r = await runCli(['token', 'list'], { env: envFor(emu), now: NOW });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(
      [
        `${t.admin}\tOrganization Administrator\temulator admin\t${iso(0)}\t`,
        `${t.expiring}\tRO User\t\t${iso(-1 * DAY)}\t${iso(3 * DAY)}`,
        `${t.active}\tR/W User\torders service\t${iso(-3 * DAY)}\t${iso(12 * DAY)}`,
        // Role names joined with U+001F (no role name can hold a control character); a deleted role keeps its marker.
        `${t.expired}\tRO User\x1fDatabase Administrator\told batch job\t${iso(-30 * DAY)}\t${iso(-3 * DAY)}`,
        `${t.orphan}\t(deleted) ${ORPHAN_ROLE}\torphan\t${iso(-60 * DAY)}\t`,
      ].join('\n') + '\n',
    );
  });

  it('makes one tokens call and one roles call', async () => {
    seed();
    await runCli(['token', 'list'], { env: envFor(emu), now: NOW });
    expect(emu.state.requests.map((q) => `${q.method} ${q.path}`).sort()).toEqual(['GET /v2/organizations/roles', 'GET /v2/tokens']);
  });

  it('prints an aligned table with local times, relative expiry and a status on a TTY with --wide', async () => {
    const t = seed();
    const r = await runCli(['token', 'list', '--no-color', '--wide'], { env: envFor(emu), now: NOW, tty: true, columns: 200 });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const widths = [24, `(deleted) ${ORPHAN_ROLE}`.length, 'emulator admin'.length, 16, 'expired 3 days ago'.length, 8];
    const row = (...cells: string[]) =>
      cells
        .map((c, i) => c.padEnd(widths[i]!))
        .join('  ')
        .trimEnd();
    const local = (days: number) => formatLocal(at(days * DAY));
    expect(r.stdout).toBe(
      [
        row('CLIENT ID', 'ROLES', 'DESCRIPTION', 'CREATED', 'EXPIRES', 'STATUS'),
        row(t.admin, 'Organization Administrator', 'emulator admin', local(0), 'never', 'active'),
        row(t.expiring, 'RO User', '', local(-1), 'in 3 days', 'expiring'),
        row(t.active, 'R/W User', 'orders service', local(-3), 'in 12 days', 'active'),
        row(t.expired, 'RO User, Database Administrator', 'old batch job', local(-30), 'expired 3 days ago', 'expired'),
        row(t.orphan, `(deleted) ${ORPHAN_ROLE}`, 'orphan', local(-60), 'never', 'active'),
      ].join('\n') + '\n',
    );
  });

  it('at 80 columns the deleted-role marker stays visible; the id is what gets cut', async () => {
    const t = seed();
    const r = await runCli(['token', 'list', '--no-color'], { env: envFor(emu), now: NOW, tty: true, columns: 80 });
    const row = r.stdout.split('\n').find((l) => l.startsWith(t.orphan))!;
    expect(row).toContain('(deleted)');
    expect(
      Math.max(
        ...r.stdout
          .trimEnd()
          .split('\n')
          .map((l) => [...l].length),
      ),
    ).toBeLessThanOrEqual(80);
  });

  it('colours the status on a TTY', async () => {
    seed();
    const r = await runCli(['token', 'list'], { env: envFor(emu), now: NOW, tty: true, columns: 200 });
    expect(r.stdout).toContain('\u001b[32mactive\u001b[39m');
    expect(r.stdout).toContain('\u001b[33mexpiring\u001b[39m');
    expect(r.stdout).toContain('\u001b[31mexpired\u001b[39m');
  });

  it('shortens long descriptions to fit the terminal, but never when piped', async () => {
    const long = 'a description that goes on for far longer than any terminal column should ever have to hold';
    emu.state.issueToken(emu.state.defaultOrg.id, ['RO User'], { description: long });
    const tty = await runCli(['token', 'list', '--no-color'], { env: envFor(emu), now: NOW, tty: true, columns: 100 });
    const lines = tty.stdout.trimEnd().split('\n');
    expect(lines.every((l) => [...l].length <= 100)).toBe(true);
    expect(tty.stdout).toContain('…');
    expect(tty.stdout).not.toContain(long);
    const piped = await runCli(['token', 'list'], { env: envFor(emu), now: NOW });
    expect(piped.stdout).toContain(`\t${long}\t`);
  });

  it('prints the contract JSON with --json', async () => {
    const t = seed();
    const r = await runCli(['token', 'list', '--json'], { env: envFor(emu), now: NOW });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const role = (name: string) => ({ id: roleId(emu.state, name), name });
    expect(JSON.parse(r.stdout)).toEqual([
      {
        clientId: t.admin,
        roles: [role('Organization Administrator')],
        description: 'emulator admin',
        generatedOn: iso(0),
        expiresAt: null,
        expired: false,
      },
      {
        clientId: t.expiring,
        roles: [role('RO User')],
        description: '',
        generatedOn: iso(-1 * DAY),
        expiresAt: iso(3 * DAY),
        expired: false,
      },
      {
        clientId: t.active,
        roles: [role('R/W User')],
        description: 'orders service',
        generatedOn: iso(-3 * DAY),
        expiresAt: iso(12 * DAY),
        expired: false,
      },
      {
        clientId: t.expired,
        roles: [role('RO User'), role('Database Administrator')],
        description: 'old batch job',
        generatedOn: iso(-30 * DAY),
        expiresAt: iso(-3 * DAY),
        expired: true,
      },
      {
        clientId: t.orphan,
        roles: [{ id: ORPHAN_ROLE, name: null }],
        description: 'orphan',
        generatedOn: iso(-60 * DAY),
        expiresAt: null,
        expired: false,
      },
    ]);
    expect(Object.keys(parseJson<object[]>(r.stdout)[0]!)).toEqual([
      'clientId',
      'roles',
      'description',
      'generatedOn',
      'expiresAt',
      'expired',
    ]);
  });

  describe('filters', () => {
    const ids = (stdout: string) =>
      stdout
        .trimEnd()
        .split('\n')
        .filter(Boolean)
        .map((l) => l.split('\t')[0]);

    it('--role matches a role name case-insensitively', async () => {
      const t = seed();
      const r = await runCli(['token', 'list', '--role', 'ro user'], { env: envFor(emu), now: NOW });
      expect(r.code).toBe(0);
      expect(ids(r.stdout)).toEqual([t.expiring, t.expired]);
    });

    it('--role matches a role id', async () => {
      const t = seed();
      const r = await runCli(['token', 'list', '--role', roleId(emu.state, 'R/W User')], { env: envFor(emu), now: NOW });
      expect(ids(r.stdout)).toEqual([t.active]);
    });

    it('--role accepts the id of a deleted role that tokens still hold', async () => {
      const t = seed();
      const r = await runCli(['token', 'list', '--role', ORPHAN_ROLE], { env: envFor(emu), now: NOW });
      expect(r.code).toBe(0);
      expect(ids(r.stdout)).toEqual([t.orphan]);
    });

    it('--role with an unknown name exits 5 with the closest names', async () => {
      seed();
      const r = await runCli(['token', 'list', '--role', 'R/W Usr'], { env: envFor(emu), now: NOW });
      expect(r.code).toBe(5);
      expect(r.stdout).toBe('');
      expect(r.stderr).toBe("error: no role named 'R/W Usr'; did you mean 'R/W User'? (see 'astra-token role list')\n");
    });

    it('--role with an ambiguous name exits 2 listing the candidates', async () => {
      const a = addCustomRole(emu.state, 'Deployer');
      const b = addCustomRole(emu.state, 'deployer');
      const r = await runCli(['token', 'list', '--role', 'DEPLOYER'], { env: envFor(emu), now: NOW });
      expect(r.code).toBe(2);
      expect(r.stderr).toBe(`error: role name 'DEPLOYER' is ambiguous: Deployer (${a}), deployer (${b}); pass the role id instead\n`);
    });

    it('--expired keeps only expired tokens', async () => {
      const t = seed();
      const r = await runCli(['token', 'list', '--expired'], { env: envFor(emu), now: NOW });
      expect(ids(r.stdout)).toEqual([t.expired]);
    });

    it('--expiring-within keeps live tokens expiring inside the window', async () => {
      const t = seed();
      expect(ids((await runCli(['token', 'list', '--expiring-within', '7d'], { env: envFor(emu), now: NOW })).stdout)).toEqual([
        t.expiring,
      ]);
      expect(ids((await runCli(['token', 'list', '--expiring-within', 'P2W'], { env: envFor(emu), now: NOW })).stdout)).toEqual([
        t.expiring,
        t.active,
      ]);
    });

    it('filters combine with AND', async () => {
      const t = seed();
      const r = await runCli(['token', 'list', '--role', 'RO User', '--expiring-within', '30d'], { env: envFor(emu), now: NOW });
      expect(ids(r.stdout)).toEqual([t.expiring]);
      const none = await runCli(['token', 'list', '--role', 'R/W User', '--expired'], { env: envFor(emu), now: NOW });
      expect(none).toEqual({ code: 0, stdout: '', stderr: '' });
    });

    it('a bad duration exits 2 before any request', async () => {
      const r = await runCli(['token', 'list', '--expiring-within', 'soon'], { env: envFor(emu), now: NOW });
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toBe("error: --expiring-within: 'soon' is not a duration; use e.g. 30d, 12h, 90m, 2w or P90D\n");
      expect(emu.state.requests).toEqual([]);
    });
  });

  describe('an empty result', () => {
    it('prints nothing and exits 0 when piped', async () => {
      seed();
      const r = await runCli(['token', 'list', '--role', 'Billing Admin'], { env: envFor(emu), now: NOW });
      expect(r).toEqual({ code: 0, stdout: '', stderr: '' });
    });

    it('notes it on stderr on a TTY', async () => {
      seed();
      const r = await runCli(['token', 'list', '--role', 'Billing Admin'], { env: envFor(emu), now: NOW, tty: true });
      expect(r).toEqual({ code: 0, stdout: '', stderr: 'no tokens match the given filters\n' });
    });

    it('is [] with --json', async () => {
      const r = await runCli(['token', 'list', '--expired', '--json'], { env: envFor(emu), now: NOW });
      expect(r).toEqual({ code: 0, stdout: '[]\n', stderr: '' });
    });
  });

  describe('errors', () => {
    it('exits 3 when the API rejects the token (401)', async () => {
      const r = await runCli(['token', 'list'], { env: envFor(emu, BOGUS_TOKEN), now: NOW });
      expect(r.code).toBe(3);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/^error: .*HTTP 401/);
    });

    it('exits 4 when the token may not read tokens (403), as JSON with --json', async () => {
      const rw = emu.state.issueToken(emu.state.defaultOrg.id, ['R/W User']).token;
      const r = await runCli(['token', 'list', '--json'], { env: envFor(emu, rw), now: NOW });
      expect(r.code).toBe(4);
      expect(r.stdout).toBe('');
      const error = jsonError(r.stderr);
      expect(error).toMatchObject({ code: 'FORBIDDEN', status: 403 });
      expect(error.message).toContain('org-token-read');
    });

    it('shows role ids when the token may list tokens but not roles', async () => {
      const reader = addCustomRole(emu.state, 'Token Reader');
      emu.state.defaultOrg.roles.find((r) => r.id === reader)!.policy.actions = ['org-token-read'];
      const token = emu.state.issueToken(emu.state.defaultOrg.id, [reader], { generatedOn: at(-DAY) }).token;
      const r = await runCli(['token', 'list'], { env: envFor(emu, token), now: NOW });
      expect(r.code).toBe(0);
      expect(r.stderr).toBe('warning: this credential may not read roles (org-role-read): roles are shown by id\n');
      expect(r.stdout).toBe(`${clientIdOf(token)}\t${reader}\t\t${iso(-DAY)}\t\n`);
      // A --role filter needs the role list: then the 403 is the answer.
      const filtered = await runCli(['token', 'list', '--role', 'Token Reader'], { env: envFor(emu, token), now: NOW });
      expect(filtered.code).toBe(4);
    });
  });
});
