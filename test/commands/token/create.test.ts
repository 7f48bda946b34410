import { readFileSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';
import { useEmulator } from '../../helpers/emulator.js';
import { BOGUS_TOKEN, DAY, NOW, addCustomRole, at, envFor, roleId } from '../../helpers/fixtures/token.js';
import { tempDir } from '../../helpers/temp.js';
import { jsonError, like, parseJson } from '../../helpers/typed.js';
import type { NewTokenJson } from '../../../src/commands/token/new-token.js';

const emu = useEmulator({ state: { now: () => NOW } });
const WARNING = 'warning: store this token now: it is shown only once and cannot be retrieved again\n';
const TOKEN_LINE = /^AstraCS:([A-Za-z]{24}):[0-9a-f]{64}\n$/;

/** Tokens other than the admin's, from the emulator's own records. */
const created = () => emu.state.listTokens(emu.state.defaultOrg.id).filter((t) => t.description !== 'emulator admin');
const posts = () => emu.state.requests.filter((q) => q.method === 'POST');
const tempPath = (name: string) => join(tempDir('astra-token-out-'), name);

describe('token create', () => {
  it('prints the token alone on stdout and the warning on stderr', async () => {
    const r = await runCli(['token', 'create', '--role', 'r/w user', '--description', 'orders', '--expires', '30d'], {
      env: envFor(emu),
      now: NOW,
    });
    expect(r.code).toBe(0);
    const [, clientId] = TOKEN_LINE.exec(r.stdout)!;
    expect(r.stderr).toBe(`created token ${clientId} (roles: R/W User; expires in 30 days)\n${WARNING}`);
    const [token] = created();
    expect(token).toMatchObject({ clientId, roles: [roleId(emu.state, 'R/W User')], description: 'orders', expiresAt: at(30 * DAY) });
  });

  it('a role name with colour codes or a line break is shown with them made visible', async () => {
    const hostile = addCustomRole(emu.state, 'ops\u001b[8m hidden\nerror: forged');
    const r = await runCli(['token', 'create', '--role', hostile], { env: envFor(emu), now: NOW });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('(roles: ops\\x1b[8m hidden\\nerror: forged; never expires)');
    expect(r.stderr).not.toContain('\u001b');
  });

  it('is the same on a TTY, with a coloured warning', async () => {
    const r = await runCli(['token', 'create', '--role', 'RO User'], { env: envFor(emu), now: NOW, tty: true });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(TOKEN_LINE);
    expect(r.stderr).toContain('\u001b[33mwarning: \u001b[39mstore this token now');
    expect(r.stderr).toContain('never expires');
  });

  it('-q drops the progress line but never the warning', async () => {
    const r = await runCli(['token', 'create', '--role', 'RO User', '-q'], { env: envFor(emu), now: NOW });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(WARNING);
  });

  it('prints the contract object with --json, filling description and expiry from the request', async () => {
    const r = await runCli(
      ['token', 'create', '--role', 'R/W User', '--description', 'ci', '--expires', '2026-06-01T00:00:00Z', '--json'],
      {
        env: envFor(emu),
        now: NOW,
      },
    );
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(WARNING);
    const out = parseJson<object>(r.stdout);
    expect(Object.keys(out)).toEqual(['clientId', 'token', 'secret', 'orgId', 'roles', 'description', 'generatedOn', 'expiresAt']);
    const [record] = created();
    expect(out).toEqual({
      clientId: record!.clientId,
      token: `AstraCS:${record!.clientId}:${record!.tokenHash}`,
      secret: like.any(String),
      orgId: emu.state.defaultOrg.id,
      roles: [{ id: roleId(emu.state, 'R/W User'), name: 'R/W User' }],
      description: 'ci',
      generatedOn: NOW.toISOString(),
      expiresAt: '2026-06-01T00:00:00.000Z',
    });
    expect(record!.expiresAt).toEqual(new Date('2026-06-01T00:00:00Z'));
  });

  it('takes several roles by name and id, sends only ids, and drops duplicates', async () => {
    const dba = roleId(emu.state, 'Database Administrator');
    const r = await runCli(['token', 'create', '--role', 'RO User', '--role', dba, '--role', 'database administrator', '--json'], {
      env: envFor(emu),
      now: NOW,
    });
    expect(r.code).toBe(0);
    expect(parseJson<{ roles: unknown }>(r.stdout).roles).toEqual([
      { id: roleId(emu.state, 'RO User'), name: 'RO User' },
      { id: dba, name: 'Database Administrator' },
    ]);
    expect(created()[0]!.roles).toEqual([roleId(emu.state, 'RO User'), dba]);
  });

  describe('validation before any request', () => {
    it.each([
      [
        ['--expires', 'tomorrow'],
        "error: --expires: 'tomorrow' is neither a duration (30d, 12h, 90m, 2w, P90D) nor an ISO-8601 instant (2027-01-01T00:00:00Z)\n",
      ],
      [
        ['--expires', '2026-02-01T00:00:00Z'],
        'error: --expires: 2026-02-01T00:00:00.000Z is in the past; give a future instant or a duration\n',
      ],
      [['--org-id', 'not-a-uuid'], "error: --org-id: 'not-a-uuid' is not an organization id (a UUID)\n"],
    ])('%j exits 2 without a request', async (flags, stderr) => {
      const r = await runCli(['token', 'create', '--role', 'RO User', ...flags], { env: envFor(emu), now: NOW });
      expect(r).toEqual({ code: 2, stdout: '', stderr });
      expect(emu.state.requests).toEqual([]);
    });

    it('needs --role', async () => {
      const r = await runCli(['token', 'create'], { env: envFor(emu), now: NOW });
      expect(r.code).toBe(2);
      expect(r.stderr).toBe(
        "error: --role is required: give a role name or id (repeat --role for several); see 'astra-token role list' for the roles of this org\n",
      );
      expect(emu.state.requests).toEqual([]);
    });

    it('refuses an existing --output-file and creates no token', async () => {
      const path = tempPath('token.txt');
      writeFileSync(path, 'precious\n');
      const r = await runCli(['token', 'create', '--role', 'RO User', '--output-file', path], { env: envFor(emu), now: NOW });
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toBe(
        `error: --output-file: ${path} already exists; it is never overwritten; choose a new path or remove the file first\n`,
      );
      expect(readFileSync(path, 'utf8')).toBe('precious\n');
      expect(emu.state.requests).toEqual([]);
      expect(created()).toEqual([]);
    });

    it('refuses an --output-file in a directory that does not exist', async () => {
      const path = join(tempPath('x'), 'missing', 'token.txt');
      const r = await runCli(['token', 'create', '--role', 'RO User', '--output-file', path], { env: envFor(emu), now: NOW });
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('does not exist');
      expect(emu.state.requests).toEqual([]);
    });
  });

  describe('roles', () => {
    it('an unknown role name exits 5 with the closest names and creates nothing', async () => {
      const r = await runCli(['token', 'create', '--role', 'RW User'], { env: envFor(emu), now: NOW });
      expect(r.code).toBe(5);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/^error: no role named 'RW User'; did you mean 'R\/W User'/);
      expect(posts()).toEqual([]);
    });

    it('an ambiguous role name exits 2 listing the candidates with their ids', async () => {
      const a = addCustomRole(emu.state, 'Deployer');
      const b = addCustomRole(emu.state, 'DEPLOYER');
      const r = await runCli(['token', 'create', '--role', 'deployer', '--json'], { env: envFor(emu), now: NOW });
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(jsonError(r.stderr)).toEqual({
        code: 'USAGE',
        message: `role name 'deployer' is ambiguous: Deployer (${a}), DEPLOYER (${b}); pass the role id instead`,
      });
      expect(posts()).toEqual([]);
    });

    it("creates the token in another org with --org-id, passing that org's role id through", async () => {
      const other = emu.state.addOrg('Second Org');
      const otherRole = other.roles.find((r) => r.name === 'RO User')!.id;
      const r = await runCli(['token', 'create', '--role', otherRole, '--org-id', other.id.toUpperCase(), '--json'], {
        env: envFor(emu),
        now: NOW,
      });
      expect(r.code).toBe(0);
      const out = parseJson<NewTokenJson>(r.stdout);
      expect(out.orgId).toBe(other.id);
      expect(out.roles).toEqual([{ id: otherRole, name: otherRole }]);
      expect(emu.state.listTokens(other.id).map((t) => t.clientId)).toEqual([out.clientId]);
    });
  });

  describe('--output-file', () => {
    it('writes the token to a new 0600 file and only the client id to stdout', async () => {
      const path = tempPath('token.txt');
      const r = await runCli(['token', 'create', '--role', 'RO User', '--output-file', path], { env: envFor(emu), now: NOW });
      expect(r.code).toBe(0);
      const [record] = created();
      expect(r.stdout).toBe(`${record!.clientId}\n`);
      expect(readFileSync(path, 'utf8')).toBe(`AstraCS:${record!.clientId}:${record!.tokenHash}\n`);
      expect(statSync(path).mode & 0o777).toBe(0o600);
      expect(r.stderr).toBe(`created token ${record!.clientId} (roles: RO User; never expires); written to ${path} (mode 0600)\n`);
    });

    it('with --json writes the whole object to the file and stdout gets it without token and secret', async () => {
      const path = tempPath('token.json');
      const r = await runCli(['token', 'create', '--role', 'RO User', '--output-file', path, '--json'], { env: envFor(emu), now: NOW });
      expect(r.code).toBe(0);
      const file = parseJson<NewTokenJson>(readFileSync(path, 'utf8'));
      const out = parseJson<object>(r.stdout);
      expect(file.token).toMatch(/^AstraCS:/);
      expect(file.secret).toEqual(expect.any(String));
      expect(out).toEqual({ ...file, token: undefined, secret: undefined, outputFile: path });
      expect(Object.keys(out)).not.toContain('token');
      expect(r.stdout).not.toContain(file.secret);
      expect(r.stdout).not.toContain(file.token);
      expect(statSync(path).mode & 0o777).toBe(0o600);
    });

    it('removes the reserved file again when the create call fails', async () => {
      const dba = emu.state.issueToken(emu.state.defaultOrg.id, ['Database Administrator']).token;
      const path = tempPath('token.txt');
      const r = await runCli(['token', 'create', '--role', 'RO User', '--output-file', path], { env: envFor(emu, dba), now: NOW });
      expect(r.code).toBe(4);
      expect(existsSync(path)).toBe(false);
    });
  });

  describe('errors', () => {
    it('exits 3 on 401', async () => {
      const r = await runCli(['token', 'create', '--role', 'RO User'], { env: envFor(emu, BOGUS_TOKEN), now: NOW });
      expect(r.code).toBe(3);
      expect(r.stdout).toBe('');
    });

    it('exits 4 when the token may read roles but not create tokens (403)', async () => {
      const dba = emu.state.issueToken(emu.state.defaultOrg.id, ['Database Administrator']).token;
      const r = await runCli(['token', 'create', '--role', 'RO User', '--json'], { env: envFor(emu, dba), now: NOW });
      expect(r.code).toBe(4);
      expect(r.stdout).toBe('');
      expect(jsonError(r.stderr)).toMatchObject({ code: 'FORBIDDEN', status: 403 });
      expect(posts()).toEqual([{ method: 'POST', path: '/v2/tokens', status: 403 }]);
    });

    it('exits 7 when the API keeps failing (POST is not retried)', async () => {
      emu.state.injectFault({ method: 'POST', path: '/v2/tokens', status: 503 });
      const r = await runCli(['token', 'create', '--role', 'RO User'], { env: envFor(emu), now: NOW });
      expect(r.code).toBe(7);
      expect(posts()).toHaveLength(1);
      expect(created()).toEqual([]);
    });
  });
});
