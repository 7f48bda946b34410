// token rotate's flags for what to keep and when to run, in-process: bad input is refused before any request (exit 2,
// one line, nothing created or revoked); --overwrite replaces a file atomically, still 0600.
import { mkdirSync, readFileSync, readdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';
import { useEmulator } from '../../helpers/emulator.js';
import { envFor, roleId } from '../../helpers/fixtures/token.js';
import { DAY, NOW, at, idOf, seed } from '../../helpers/fixtures/rotate.js';
import { tempDir } from '../../helpers/temp.js';

const emu = useEmulator({ state: { now: () => NOW } });
const rotate = (args: string[]) => runCli(['token', 'rotate', ...args], { env: envFor(emu), now: NOW });
const described = (description: string) => emu.state.listTokens(emu.state.defaultOrg.id).filter((t) => t.description === description);
const writes = () => emu.state.requests.filter((q) => q.method !== 'GET');

describe('token rotate: bad input changes nothing', () => {
  it.each([
    [['--if-older-than', '3x'], "error: --if-older-than: '3x' is not a duration; use e.g. 30d, 12h, 90m, 2w or P90D\n"],
    [['--if-expiring-within', '0d'], "error: --if-expiring-within: '0d' must be longer than zero\n"],
    [['--expires', '30d', '--no-expiry'], 'error: --expires and --no-expiry contradict each other: give one of them\n'],
    [['--overwrite'], 'error: --overwrite goes with --output-file: it lets the new token replace that file\n'],
    [['--keyspace', 'sales'], 'error: --keyspace needs --db: a keyspace is always inside a database\n'],
  ])('%j', async (args, stderr) => {
    const old = seed(emu);
    emu.state.requests.length = 0;
    const r = await rotate([idOf(old), '--yes', ...args]);
    expect(r.stderr).toBe(stderr);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(emu.state.requests).toEqual([]);
  });

  it('an inherited lifetime under 1 hour is refused without --allow-short-expiry, and taken with it', async () => {
    const old = emu.state.issueToken(emu.state.defaultOrg.id, ['RO User'], {
      description: 'x',
      expiresAt: at(DAY / 48),
      generatedOn: at(-DAY / 96),
    }).token;
    const r = await rotate([idOf(old), '--yes']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`token ${idOf(old)} was made to live 45 minutes, and the new one would too`);
    expect(described('x').map((t) => t.clientId)).toEqual([idOf(old)]);
    expect(writes()).toEqual([]);
    const ok = await rotate([idOf(old), '--yes', '--allow-short-expiry', '--json']);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ expiresAt: at(45 * 60_000).toISOString() });
  });

  it('--if-expiring-within on a token that never expires: not due, the reason says so', async () => {
    const old = emu.state.issueToken(emu.state.defaultOrg.id, ['RO User'], { description: 'x', expiresAt: null }).token;
    const r = await rotate([idOf(old), '--yes', '--if-expiring-within', '30d', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ rotated: false, clientId: idOf(old), reason: 'it never expires' });
    expect(r.stderr).toBe(`token ${idOf(old)} is not due for rotation (it never expires); nothing was changed\n`);
    expect(writes()).toEqual([]);
  });

  it('either condition makes it due: --if-older-than 5d on a 10-day-old token rotates though --if-expiring-within does not hold', async () => {
    const old = seed(emu);
    const r = await rotate([idOf(old), '--yes', '--if-older-than', '5d', '--if-expiring-within', '1d', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ replaced: idOf(old), revoked: true });
  });

  it('--db gives the new token the scoped role token create --db uses', async () => {
    const old = seed(emu, ['R/W User']);
    const db = emu.state.defaultOrg.databases[0]!.info;
    const r = await rotate([idOf(old), '--yes', '--db', db.name, '--role', 'RO User', '--json']);
    expect(r.code).toBe(0);
    const fresh = JSON.parse(r.stdout) as { clientId: string; roles: Array<{ id: string; name: string }> };
    expect(fresh.roles).toEqual([{ id: roleId(emu.state, `${db.name} RO User`), name: `${db.name} RO User` }]);
    expect(emu.state.findToken(fresh.clientId)!.roles).toEqual([roleId(emu.state, `${db.name} RO User`)]);
  });
});

describe('token rotate --output-file', () => {
  it('an existing file is refused without --overwrite, before anything is created', async () => {
    const old = seed(emu);
    const file = join(tempDir(), 'ci-token');
    writeFileSync(file, 'previous\n');
    const r = await rotate([idOf(old), '--yes', '--output-file', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      `error: --output-file: ${file} already exists; it is never overwritten; choose a new path or remove the file first\n`,
    );
    expect(readFileSync(file, 'utf8')).toBe('previous\n');
    expect(writes()).toEqual([]);
  });

  it('--overwrite replaces it atomically with the new token, mode 0600, no temp file left', async () => {
    const old = seed(emu);
    const dir = tempDir();
    const file = join(dir, 'ci-token');
    writeFileSync(file, 'previous\n', { mode: 0o644 });
    const r = await rotate([idOf(old), '--yes', '--output-file', file, '--overwrite']);
    expect(r.code).toBe(0);
    const token = readFileSync(file, 'utf8');
    expect(token).toMatch(/^AstraCS:[A-Za-z]{24}:[0-9a-f]{64}\n$/);
    expect(r.stdout).toBe(`${idOf(token)}\n`);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir)).toEqual(['ci-token']);
    expect(emu.state.findToken(idOf(old))).toBeUndefined();
  });

  it('--overwrite never replaces a symbolic link or a directory', async () => {
    const old = seed(emu);
    const dir = tempDir();
    writeFileSync(join(dir, 'real'), 'x');
    symlinkSync(join(dir, 'real'), join(dir, 'link'));
    mkdirSync(join(dir, 'sub'));
    for (const [name, what] of [
      ['link', 'a symbolic link'],
      ['sub', 'not a regular file'],
    ]) {
      const r = await rotate([idOf(old), '--yes', '--output-file', join(dir, name!), '--overwrite']);
      expect(r.code).toBe(2);
      expect(r.stderr).toBe(`error: --output-file: ${join(dir, name!)} is ${what}; --overwrite replaces only a regular file\n`);
    }
    expect(readFileSync(join(dir, 'real'), 'utf8')).toBe('x');
    expect(writes()).toEqual([]);
  });
});
