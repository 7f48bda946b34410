import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempConfigDir } from '../../helpers/cli.js';
import { useEmulator } from '../../helpers/emulator.js';
import { envFor, roleId } from '../../helpers/fixtures/token.js';
import { DAY, NOW, idOf, profileToken, saveProfile, seed, works } from '../../helpers/fixtures/rotate.js';
import { tempDir } from '../../helpers/temp.js';

const emu = useEmulator({ state: { now: () => NOW } });
const WARNING = 'warning: store this token now: it is shown only once and cannot be retrieved again\n';
const posts = () => emu.state.requests.filter((q) => q.method === 'POST');
const newTokens = (old: string) =>
  emu.state.listTokens(emu.state.defaultOrg.id).filter((t) => t.clientId !== idOf(old) && t.description !== 'emulator admin');

describe('token rotate', () => {
  it('creates a token with the same roles, description and lifetime, prints it, then revokes the old one', async () => {
    const old = seed(emu, ['R/W User', 'RO User'], 'orders service');
    const r = await runCli(['token', 'rotate', idOf(old), '--yes'], { env: envFor(emu), now: NOW });
    expect(r.code).toBe(0);
    const [fresh] = newTokens(old);
    const token = r.stdout.trimEnd();
    expect(r.stdout).toBe(`${token}\n`);
    expect(idOf(token)).toBe(fresh!.clientId);
    expect(r.stderr).toBe(
      `created token ${fresh!.clientId} (roles: R/W User, RO User; expires in 40 days)\n${WARNING}rotated ${idOf(old)} -> ${fresh!.clientId}; ${idOf(old)} is revoked\n`,
    );
    expect(fresh!.roles).toEqual([roleId(emu.state, 'R/W User'), roleId(emu.state, 'RO User')]);
    expect(fresh!.description).toBe('orders service');
    // The seed lived 40 days (10 days old, 30 to go): the new one gets 40 days from now.
    expect(fresh!.expiresAt).toEqual(new Date(NOW.getTime() + 40 * DAY));
    expect(works(emu, token)).toBe(true);
    expect(emu.state.findToken(idOf(old))).toBeUndefined();
  });

  it('creates first, checks the new token, and revokes last', async () => {
    const old = seed(emu);
    await runCli(['token', 'rotate', idOf(old), '--yes'], { env: envFor(emu), now: NOW });
    const calls = emu.state.requests.map((q) => `${q.method} ${q.path}`);
    expect(calls.slice(2)).toEqual(['POST /v2/tokens', 'GET /v2/currentOrg', `DELETE /v2/tokens/${idOf(old)}`]);
    expect(calls.slice(0, 2).sort()).toEqual(['GET /v2/organizations/roles', 'GET /v2/tokens']);
  });

  it('--json gives the contract object with replaced and revoked, and nothing else on stdout', async () => {
    const old = seed(emu, ['R/W User'], 'orders');
    const r = await runCli(['token', 'rotate', idOf(old), '--yes', '--json', '--expires', '30d', '--description', 'orders v2'], {
      env: envFor(emu),
      now: NOW,
    });
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(Object.keys(doc)).toEqual([
      'clientId',
      'token',
      'secret',
      'orgId',
      'roles',
      'description',
      'generatedOn',
      'expiresAt',
      'replaced',
      'revoked',
    ]);
    expect(doc).toMatchObject({
      orgId: emu.state.defaultOrg.id,
      roles: [{ id: roleId(emu.state, 'R/W User'), name: 'R/W User' }],
      description: 'orders v2',
      expiresAt: new Date(NOW.getTime() + 30 * DAY).toISOString(),
      replaced: idOf(old),
      revoked: true,
    });
    // Exactly what writeJson prints: the document is written in two parts, but reads as one.
    expect(r.stdout).toBe(JSON.stringify(doc, null, 2) + '\n');
    expect(emu.state.findToken(doc.clientId as string)?.description).toBe('orders v2');
  });

  it('--output-file writes the token (0600) and prints only the client id', async () => {
    const dir = tempDir('rotate-');
    const file = join(dir, 'new-token');
    const old = seed(emu);
    const r = await runCli(['token', 'rotate', idOf(old), '--yes', '--output-file', file], { env: envFor(emu), now: NOW });
    expect(r.code).toBe(0);
    const token = readFileSync(file, 'utf8');
    expect(token).toMatch(/^AstraCS:[A-Za-z]{24}:[0-9a-f]{64}\n$/);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(r.stdout).toBe(`${idOf(token)}\n`);
    expect(r.stderr).not.toContain(token.trim());
    expect(works(emu, token.trim())).toBe(true);
    expect(works(emu, old)).toBe(false);
  });

  it('--output-file with --json: the file gets the token object, stdout the object without secrets', async () => {
    const dir = tempDir('rotate-');
    const file = join(dir, 'new.json');
    const old = seed(emu);
    const r = await runCli(['token', 'rotate', idOf(old), '--yes', '--output-file', file, '--json'], { env: envFor(emu), now: NOW });
    expect(r.code).toBe(0);
    const saved = JSON.parse(readFileSync(file, 'utf8')) as { token: string; clientId: string };
    const doc = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(doc).toMatchObject({ clientId: saved.clientId, outputFile: file, replaced: idOf(old), revoked: true });
    expect(doc).not.toHaveProperty('token');
    expect(doc).not.toHaveProperty('secret');
  });

  it('an existing --output-file is refused before anything is created', async () => {
    const dir = tempDir('rotate-');
    const old = seed(emu);
    const r = await runCli(['token', 'rotate', idOf(old), '--yes', '--output-file', dir], { env: envFor(emu), now: NOW });
    expect(r.code).toBe(2);
    expect(emu.state.requests).toEqual([]);
  });

  it('--keep-old keeps the old token and needs no confirmation', async () => {
    const old = seed(emu);
    const r = await runCli(['token', 'rotate', idOf(old), '--keep-old', '--json'], { env: envFor(emu), now: NOW });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ replaced: idOf(old), revoked: false });
    expect(r.stderr).toContain(
      `kept the old token ${idOf(old)} (--keep-old); revoke it once nothing uses it: astra-token token delete ${idOf(old)} --yes\n`,
    );
    expect(works(emu, old)).toBe(true);
    expect(newTokens(old)).toHaveLength(1);
  });

  it('exits 5 for an unknown client id, creating nothing', async () => {
    const old = seed(emu);
    const typo = idOf(old).slice(0, -1) + (idOf(old).endsWith('a') ? 'b' : 'a');
    const r = await runCli(['token', 'rotate', typo, '--yes'], { env: envFor(emu), now: NOW });
    expect(r).toEqual({
      code: 5,
      stdout: '',
      stderr: `error: no token with client id ${typo} in this org; nothing was changed; did you mean ${idOf(old)}? (client ids are case-sensitive)\n`,
    });
    expect(posts()).toEqual([]);
  });

  it('refuses a bad --expires before any request', async () => {
    const old = seed(emu);
    const r = await runCli(['token', 'rotate', idOf(old), '--yes', '--expires', 'soon'], { env: envFor(emu), now: NOW });
    expect(r.code).toBe(2);
    expect(emu.state.requests).toEqual([]);
  });

  describe('confirmation', () => {
    it('without a TTY and without --yes exits 2 touching nothing', async () => {
      const old = seed(emu);
      const r = await runCli(['token', 'rotate', idOf(old)], { env: envFor(emu), now: NOW });
      expect(r).toEqual({
        code: 2,
        stdout: '',
        stderr: 'error: rotating a token needs confirmation: pass --yes (no terminal to ask on, or --no-input)\n',
      });
      expect(emu.state.requests).toEqual([]);
    });

    it('--no-input on a TTY still needs --yes', async () => {
      const old = seed(emu);
      const r = await runCli(['token', 'rotate', idOf(old), '--no-input'], { env: envFor(emu), now: NOW, tty: true, stdin: 'y\n' });
      expect(r.code).toBe(2);
      expect(emu.state.requests).toEqual([]);
    });

    it('asks on a TTY, showing the token and the profile that will be switched; yes rotates', async () => {
      const dir = tempConfigDir();
      const old = seed(emu, ['R/W User'], 'orders');
      saveProfile(dir, emu, 'ci', old, false);
      const r = await runCli(['token', 'rotate', idOf(old), '--no-color'], {
        env: { ...envFor(emu), ASTRA_TOKEN_CONFIG_DIR: dir },
        now: NOW,
        tty: true,
        stdin: 'y\n',
      });
      expect(r.code).toBe(0);
      expect(
        r.stderr.startsWith(
          `About to rotate this token:\n  ${idOf(old)}  R/W User "orders"\n` +
            `A new token with the same roles is created and handed over first; then ${idOf(old)} is revoked and applications still using it lose access.\n` +
            "Profile 'ci' is switched to the new token.\n",
        ),
      ).toBe(true);
      expect(r.stderr).toContain('Rotate this token? [y/N] ');
      expect(works(emu, old)).toBe(false);
      expect(works(emu, profileToken(dir, 'ci')!)).toBe(true);
    });

    it('no on the TTY changes nothing (exit 2)', async () => {
      const old = seed(emu);
      const r = await runCli(['token', 'rotate', idOf(old), '--no-color'], { env: envFor(emu), now: NOW, tty: true, stdin: 'n\n' });
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('Rotate this token? [y/N] ');
      expect(r.stderr.endsWith('\nerror: not confirmed; nothing was changed\n')).toBe(true);
      expect(posts()).toEqual([]);
      expect(works(emu, old)).toBe(true);
    });
  });

  describe('profiles', () => {
    it('switches every profile holding the old token, and leaves the others alone', async () => {
      const dir = tempConfigDir();
      const old = seed(emu);
      const other = seed(emu, ['RO User'], 'other');
      saveProfile(dir, emu, 'a', old);
      saveProfile(dir, emu, 'b', old, false);
      saveProfile(dir, emu, 'c', other, false);
      const r = await runCli(['token', 'rotate', idOf(old), '--yes'], { env: { ...envFor(emu), ASTRA_TOKEN_CONFIG_DIR: dir }, now: NOW });
      expect(r.code).toBe(0);
      const fresh = r.stdout.trim();
      expect(profileToken(dir, 'a')).toBe(fresh);
      expect(profileToken(dir, 'b')).toBe(fresh);
      expect(profileToken(dir, 'c')).toBe(other);
      expect(r.stderr).toContain(`profile 'a' now uses token ${idOf(fresh)}\nprofile 'b' now uses token ${idOf(fresh)}\n`);
    });

    it("rotating the active profile's own token end to end: org current works with the new one, the old gets 401", async () => {
      const dir = tempConfigDir();
      const admin = emu.adminToken;
      const env = { ASTRA_TOKEN_CONFIG_DIR: dir };
      const add = await runCli(['org', 'add', 'ci', '--with-token', '--api-url', emu.baseUrl], { env, stdin: admin, now: NOW });
      expect(add.code).toBe(0);

      const r = await runCli(['token', 'rotate', idOf(admin), '--yes', '--json'], { env, now: NOW });
      expect(r.code).toBe(0);
      const doc = JSON.parse(r.stdout) as { token: string; revoked: boolean };
      expect(doc.revoked).toBe(true);
      expect(profileToken(dir, 'ci')).toBe(doc.token);
      // The revoke of the old token was sent with the new one (the old one was still valid until then).
      expect(emu.state.requests.at(-1)).toEqual({ method: 'DELETE', path: `/v2/tokens/${idOf(admin)}`, status: 200 });

      const current = await runCli(['org', 'current', '--json'], { env, now: NOW });
      expect(current.code).toBe(0);
      expect(JSON.parse(current.stdout)).toMatchObject({ profile: 'ci', orgId: emu.state.defaultOrg.id });
      const withOld = await runCli(['org', 'current'], { env: { ...env, ASTRA_DB_APPLICATION_TOKEN: admin }, now: NOW });
      expect(withOld.code).toBe(3);
    });

    it('the CI case: the token from the environment rotates itself into a file', async () => {
      const dir = tempDir('rotate-');
      const file = join(dir, 'new-token');
      const old = seed(emu);
      const r = await runCli(['token', 'rotate', idOf(old), '--yes', '--output-file', file], { env: envFor(emu, old), now: NOW });
      expect(r.code).toBe(0);
      const fresh = readFileSync(file, 'utf8').trim();
      expect(works(emu, fresh)).toBe(true);
      expect(works(emu, old)).toBe(false);
      expect(existsSync(file)).toBe(true);
    });
  });
});
