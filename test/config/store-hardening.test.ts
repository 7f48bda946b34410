// The profile store on a shared or broken machine (issue 15): planted symlinks, FIFOs, huge files, SNAP, killed
// writers, stale locks, and other users' directories. Mode and ownership cases run the built bin as user nobody:
// CI runs as root, for whom modes mean nothing.
import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  existsSync,
  linkSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ProfileStore } from '../../src/config/store.js';
import { writeFileAtomic } from '../../src/config/safe-fs.js';
import { HAS_BUILD, NO_BUILD_REASON, runBin } from '../helpers/bin.js';
import { runCli } from '../helpers/cli.js';
import { cliWithDir, fileProfile, UNKNOWN_TOKEN } from '../helpers/fixtures/org.js';
import { reachableTempDir } from '../helpers/temp.js';

/** A fresh directory that user nobody can reach, even when $TMPDIR is private; removed after the test. */
const base = () => reachableTempDir('astra-token-store-');
const mode = (path: string) => statSync(path).mode & 0o777;
const profile = fileProfile;
const addArgs = (name: string) => ['org', 'add', name, '--with-token', '--no-validate'];
const NOBODY = 65534;
const NOGROUP = 65534;

describe('config.json that is not a regular file is refused (exit 2), never followed or waited on', () => {
  it('a symlink: reads and writes refuse it, and the file it points to is left alone', async () => {
    const dir = join(base(), 'cfg');
    mkdirSync(dir, { mode: 0o700 });
    const other = join(dir, '..', 'other.json');
    writeFileSync(other, '{"unrelated": true}\n');
    symlinkSync(other, join(dir, 'config.json'));
    const cli = cliWithDir(dir);
    const why = `cannot read the profile store ${join(dir, 'config.json')}: it is a symbolic link, which is never followed`;
    for (const r of [await cli.run(['org', 'list']), await cli.run(addArgs('a'), { stdin: UNKNOWN_TOKEN })]) {
      expect(r).toMatchObject({ code: 2, stdout: '' });
      expect(r.stderr).toContain(
        `error: ${why}; the profile store must be a regular file: move it away, or set ASTRA_TOKEN_CONFIG_DIR to a private directory`,
      );
    }
    expect(readFileSync(other, 'utf8')).toBe('{"unrelated": true}\n');
  });

  it('a symlink to /dev/urandom is refused without reading it', async () => {
    const cli = cliWithDir(join(base()));
    symlinkSync('/dev/urandom', join(cli.dir, 'config.json'));
    const r = await cli.run(['org', 'list']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('it is a symbolic link, which is never followed');
  });

  it('a FIFO: every command answers at once instead of hanging', async () => {
    const cli = cliWithDir(base());
    execFileSync('mkfifo', [join(cli.dir, 'config.json')]);
    const list = await cli.run(['org', 'list']);
    expect(list.code).toBe(2);
    expect(list.stderr).toContain('it is a FIFO (named pipe), not a regular file; the profile store must be a regular file');
    expect((await cli.run(addArgs('a'), { stdin: UNKNOWN_TOKEN })).code).toBe(2);
    expect((await cli.run(['token', 'list'])).code).toBe(2);
  });

  it('a file larger than 1 MiB is refused unread', async () => {
    const cli = cliWithDir(base());
    writeFileSync(join(cli.dir, 'config.json'), `{"profiles": [], "pad": "${'x'.repeat(1024 * 1024)}"}`);
    const r = await cli.run(['org', 'list']);
    expect(r).toMatchObject({ code: 2, stdout: '' });
    expect(r.stderr).toBe(
      `error: cannot read the profile store ${join(cli.dir, 'config.json')}: it is larger than 1 MiB; a profile store is a few kilobytes: move this file away (profiles are re-created with 'astra-token org add'), or set ASTRA_TOKEN_CONFIG_DIR to a private directory\n`,
    );
  });
});

describe('--token-file has a size cap', () => {
  it('/dev/zero is refused after 1 MiB, exit 2', async () => {
    const r = await runCli(['token', 'list', '--token-file', '/dev/zero'], { env: { ASTRA_TOKEN_CONFIG_DIR: base() } });
    expect(r).toEqual({ code: 2, stdout: '', stderr: 'error: --token-file: cannot read /dev/zero: it is larger than 1 MiB\n' });
  });
});

describe('writes are atomic whatever the environment', () => {
  it('with SNAP set, the file is still replaced by rename, never rewritten in place', () => {
    const dir = base();
    const store = new ProfileStore(dir);
    store.update((d) => void d.profiles.push(profile('a')));
    // A second name for the old file: an in-place write would change what it shows.
    const snapshot = join(dir, 'snapshot');
    linkSync(join(dir, 'config.json'), snapshot);
    const before = readFileSync(snapshot, 'utf8');
    const saved = process.env.SNAP;
    process.env.SNAP = '/snap/astra-token/1';
    try {
      new ProfileStore(dir).update((d) => void d.profiles.push(profile('b')));
    } finally {
      if (saved === undefined) delete process.env.SNAP;
      else process.env.SNAP = saved;
    }
    expect(readFileSync(snapshot, 'utf8')).toBe(before);
    expect(new ProfileStore(dir).read().profiles.map((p) => p.name)).toEqual(['a', 'b']);
  });

  it('a temp file left by a killed write is removed by the next write; a live writer’s is kept', () => {
    const dir = base();
    const path = join(dir, 'config.json');
    const deadOurs = `${path}.4194999.abcdefabcdef.tmp`;
    const deadConf = `${path}.tmp-1234567890abc`;
    const live = `${path}.${process.ppid}.0123456789ab.tmp`;
    for (const f of [deadOurs, deadConf, live]) writeFileSync(f, UNKNOWN_TOKEN, { mode: 0o600 });
    new ProfileStore(dir).update((d) => void d.profiles.push(profile('a')));
    expect(readdirSync(dir).sort()).toEqual(['config.json', `config.json.${process.ppid}.0123456789ab.tmp`]);
  });

  it('never writes through a symlink planted at the target', () => {
    const dir = base();
    const victim = join(dir, 'victim');
    writeFileSync(victim, 'keep\n', { mode: 0o644 });
    const target = join(dir, 'state.json');
    symlinkSync(victim, target);
    writeFileAtomic(target, 'secret\n', 0o600);
    expect(readFileSync(victim, 'utf8')).toBe('keep\n');
    expect(statSync(target, { throwIfNoEntry: true }).isFile()).toBe(true);
    expect(mode(target)).toBe(0o600);
    expect(readdirSync(dir).sort()).toEqual(['state.json', 'victim']);
  });
});

describe('a stale lock is broken at once', () => {
  it('an empty lock (its writer died making it)', () => {
    const store = new ProfileStore(base(), { lockWaitMs: 0 });
    writeFileSync(store.lockPath, '');
    store.update((d) => void d.profiles.push(profile('a')));
    expect(store.read().profiles).toHaveLength(1);
    expect(existsSync(store.lockPath)).toBe(false);
  });

  it('a lock whose process is gone', () => {
    const store = new ProfileStore(base(), { lockWaitMs: 0 });
    writeFileSync(store.lockPath, `4194999 ${execFileSync('hostname').toString().trim()} deadbeef`);
    store.update((d) => void d.profiles.push(profile('a')));
    expect(store.read().profiles).toHaveLength(1);
  });
});

describe('a lock file that is not a lock', () => {
  it.each([
    ['a FIFO', (path: string) => execFileSync('mkfifo', [path]), 'it is a FIFO (named pipe), not a regular file'],
    ['a symlink', (path: string) => symlinkSync('/dev/null', path), 'it is a symbolic link, which is never followed'],
    ['a directory', (path: string) => mkdirSync(path), 'it is a directory, not a regular file'],
  ])(
    '%s at the lock path is never opened for reading, and is reported at once (exit 2), not after the wait',
    (_, make, why) => {
      // A wait of a minute: the test would time out if the write waited for it.
      const store = new ProfileStore(base(), { lockWaitMs: 60_000 });
      make(store.lockPath);
      expect(() => store.update((d) => void d.profiles.push(profile('a')))).toThrow(
        expect.objectContaining({
          code: 'USAGE',
          message: `the profile store's lock file ${store.lockPath} is not a lock: ${why}`,
          hint: `no astra-token makes such a file: remove it (rm ${store.lockPath}) and run the command again`,
        }),
      );
      expect(existsSync(join(store.dir, 'config.json'))).toBe(false);
    },
    20_000,
  );
});

describe('reads never change modes', () => {
  it('org list leaves a loose file and directory as they are', async () => {
    const cli = cliWithDir(join(base(), 'cfg'));
    await cli.run(addArgs('a'), { stdin: UNKNOWN_TOKEN });
    chmodSync(join(cli.dir, 'config.json'), 0o644);
    chmodSync(cli.dir, 0o755);
    expect((await cli.run(['org', 'list'])).code).toBe(0);
    expect(mode(join(cli.dir, 'config.json'))).toBe(0o644);
    expect(mode(cli.dir)).toBe(0o755);
  });
});

describe.skipIf(!HAS_BUILD)(`modes and ownership, as user nobody${HAS_BUILD ? '' : ` (${NO_BUILD_REASON})`}`, () => {
  /** A config dir owned by `uid` with `dirMode`, and optionally a config.json with `fileMode` (owned by `fileUid`). */
  function configDir(uid: number, dirMode: number, fileMode?: number, fileUid = uid): string {
    const dir = join(base(), 'cfg');
    mkdirSync(dir);
    if (fileMode !== undefined) {
      writeFileSync(join(dir, 'config.json'), JSON.stringify({ version: 1, current: 'a', profiles: [profile('a')] }));
      chownSync(join(dir, 'config.json'), fileUid, fileUid === NOBODY ? NOGROUP : fileUid);
      chmodSync(join(dir, 'config.json'), fileMode);
    }
    chownSync(dir, uid, uid === NOBODY ? NOGROUP : uid);
    chmodSync(dir, dirMode);
    return dir;
  }
  const asNobody = (args: string[], dir: string, input = '') =>
    runBin(args, { asNobody: true, input, env: { ASTRA_TOKEN_CONFIG_DIR: dir }, timeoutMs: 30_000 });

  it('a config dir owned by another user is refused for a token (exit 2), even when it is writable', async () => {
    const dir = configDir(1, 0o777);
    const r = await asNobody(addArgs('x'), dir, UNKNOWN_TOKEN);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`error: refusing to store a token in ${dir}: it is owned by another user (uid 1)`);
    expect(readdirSync(dir)).toEqual([]);
  });

  it.each(['0777', '0770', '0720'])('a config dir writable by group or others (%s) is refused for a token (exit 2)', async (shown) => {
    const dirMode = parseInt(shown, 8);
    const dir = configDir(NOBODY, dirMode);
    const r = await asNobody(addArgs('x'), dir, UNKNOWN_TOKEN);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`error: refusing to store a token in ${dir}: it is writable by group or others (mode ${shown})`);
    expect(readdirSync(dir)).toEqual([]);
    expect(mode(dir)).toBe(dirMode);
  });

  it.each([
    [
      'a dir writable by group or others',
      NOBODY,
      0o777,
      NOBODY,
      0o600,
      (dir: string) => `refusing to use the config directory ${dir}: it is writable by group or others (mode 0777)`,
      'chmod go-w',
    ],
    [
      'a dir owned by another user',
      1,
      0o755,
      NOBODY,
      0o600,
      (dir: string) => `refusing to use the config directory ${dir}: it is owned by another user (uid 1)`,
      'make it yours (chown)',
    ],
    [
      'a file writable by others',
      NOBODY,
      0o700,
      NOBODY,
      0o666,
      (dir: string) => `refusing to use the profile store ${join(dir, 'config.json')}: it is writable by group or others (mode 0666)`,
      'chmod go-w',
    ],
    [
      'a file owned by another user',
      NOBODY,
      0o700,
      1,
      0o644,
      (dir: string) => `refusing to use the profile store ${join(dir, 'config.json')}: it is owned by another user (uid 1)`,
      'make it yours (chown)',
    ],
  ])(
    '%s: no command uses its token or profiles (exit 2, the reason and the fix)',
    async (_, dirUid, dirMode, fileUid, fileMode, why, fix) => {
      const dir = configDir(dirUid, dirMode, fileMode, fileUid);
      for (const argv of [
        ['token', 'inspect'],
        ['org', 'list'],
      ]) {
        const r = await asNobody(argv, dir);
        expect(r).toMatchObject({ code: 2, stdout: '' });
        expect(r.stderr).toContain(`error: ${why(dir)}, so someone else could have changed its profiles`);
        expect(r.stderr).toContain(fix);
        expect(r.stderr).not.toContain('AstraCS');
      }
    },
  );

  it('a file others may read but not write is used, with a warning', async () => {
    const dir = configDir(NOBODY, 0o700, 0o644);
    const r = await asNobody(['token', 'inspect'], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Q'.repeat(24));
    const path = join(dir, 'config.json');
    expect(r.stderr).toBe(`warning: the profile store ${path} holds tokens and is readable by others (mode 0644): chmod 600 ${path}\n`);
    expect(mode(path)).toBe(0o644);
  });

  it('a read-only dir (0500) and file (0400): org list changes no mode, org add neither (exit 2)', async () => {
    const dir = configDir(NOBODY, 0o500, 0o400);
    const before = readFileSync(join(dir, 'config.json'), 'utf8');
    const list = await asNobody(['org', 'list'], dir);
    expect(list).toMatchObject({ code: 0, stderr: '' });
    expect(list.stdout).toContain('a\t');
    expect([mode(dir), mode(join(dir, 'config.json'))]).toEqual([0o500, 0o400]);

    const add = await asNobody(addArgs('x'), dir, UNKNOWN_TOKEN);
    expect(add.code).toBe(2);
    expect(add.stderr).toContain(`error: cannot write to the config directory ${dir}: permission denied (mode 0500)`);
    expect([mode(dir), mode(join(dir, 'config.json'))]).toEqual([0o500, 0o400]);
    expect(readFileSync(join(dir, 'config.json'), 'utf8')).toBe(before);
  });

  it('a read-only file (0400) in a writable dir is not replaced (exit 2), and keeps its mode', async () => {
    const dir = configDir(NOBODY, 0o700, 0o400);
    const r = await asNobody(addArgs('x'), dir, UNKNOWN_TOKEN);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`error: the profile store ${join(dir, 'config.json')} is read-only (mode 0400); it is not changed`);
    expect(mode(join(dir, 'config.json'))).toBe(0o400);
    expect(readdirSync(dir)).toEqual(['config.json']);
  });

  it('a write only takes permissions away: a 0750 dir and 0640 file become 0700 and 0600, still nobody’s', async () => {
    const dir = configDir(NOBODY, 0o750, 0o640);
    const r = await asNobody(addArgs('x'), dir, UNKNOWN_TOKEN);
    expect(r.code).toBe(0);
    expect([mode(dir), mode(join(dir, 'config.json'))]).toEqual([0o700, 0o600]);
    expect(statSync(join(dir, 'config.json')).uid).toBe(NOBODY);
  });
});
