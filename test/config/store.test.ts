import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { configDir } from '../../src/config/paths.js';
import { ProfileStore, parseConfig, type Profile } from '../../src/config/store.js';
import { tempConfigDir } from '../helpers/cli.js';
import { cliWithDir, fileProfile, UNKNOWN_TOKEN } from '../helpers/fixtures/org.js';
import { jsonError, like, parseJson } from '../helpers/typed.js';

const mode = (path: string) => statSync(path).mode & 0o777;
const profile = fileProfile;
const addNoValidate = (cli: ReturnType<typeof cliWithDir>, name: string) =>
  cli.run(['org', 'add', name, '--with-token', '--no-validate'], { stdin: UNKNOWN_TOKEN });

describe('config dir', () => {
  it('is ASTRA_TOKEN_CONFIG_DIR, else $XDG_CONFIG_HOME/astra-token, else ~/.config/astra-token', () => {
    expect(configDir({ ASTRA_TOKEN_CONFIG_DIR: '/a', XDG_CONFIG_HOME: '/x' }, '/home/u')).toBe('/a');
    expect(configDir({ XDG_CONFIG_HOME: '/x' }, '/home/u')).toBe('/x/astra-token');
    expect(configDir({}, '/home/u')).toBe('/home/u/.config/astra-token');
  });
});

describe('file and directory modes', () => {
  it('creates the directory 0700 and the file 0600', async () => {
    const dir = join(tempConfigDir(), 'nested', 'astra-token');
    const cli = cliWithDir(dir);
    expect((await addNoValidate(cli, 'a')).code).toBe(0);
    expect(mode(dir)).toBe(0o700);
    expect(mode(join(dir, 'config.json'))).toBe(0o600);
    expect(existsSync(join(dir, 'config.json.lock'))).toBe(false);
  });

  it('re-tightens a loosened file and directory on the next write', async () => {
    const cli = cliWithDir();
    await addNoValidate(cli, 'a');
    chmodSync(join(cli.dir, 'config.json'), 0o644);
    chmodSync(cli.dir, 0o755);
    await addNoValidate(cli, 'b');
    expect(mode(join(cli.dir, 'config.json'))).toBe(0o600);
    expect(mode(cli.dir)).toBe(0o700);
  });

  it('tightens a pre-existing loose directory', async () => {
    const dir = join(tempConfigDir(), 'loose');
    mkdirSync(dir, { mode: 0o755 });
    chmodSync(dir, 0o755);
    await addNoValidate(cliWithDir(dir), 'a');
    expect(mode(dir)).toBe(0o700);
  });
});

describe('a corrupt file', () => {
  it.each([
    ['not JSON', '{"profiles": [', 'it is not valid JSON'],
    ['an array', '[]', 'it does not hold a JSON object'],
    ['profiles not a list', '{"profiles": {"a": {}}}', 'its "profiles" entry is not a list'],
    ['a profile without a token', '{"profiles": [{"name": "a", "apiUrl": "https://x"}]}', 'profile #1 has no "token"'],
    ['a newer version', '{"version": 3, "profiles": []}', 'it has version 3, this astra-token understands versions 1 and 2'],
  ])('%s: exit 1 naming the path, for reads and writes, and the file is left as it was', async (_what, text, why) => {
    const cli = cliWithDir();
    const path = join(cli.dir, 'config.json');
    writeFileSync(path, text, { mode: 0o600 });
    const expected = `error: cannot read the profile store ${path}: ${why}; fix or move the file away (it is never replaced automatically); profiles are re-created with 'astra-token org add'\n`;
    expect(await cli.run(['org', 'list'])).toEqual({ code: 1, stdout: '', stderr: expected });
    expect(await addNoValidate(cli, 'x')).toEqual({ code: 1, stdout: '', stderr: expected });
    expect(await cli.run(['org', 'switch', 'a'])).toMatchObject({ code: 1 });
    expect(await cli.run(['org', 'remove', 'a', '--yes'])).toMatchObject({ code: 1 });
    expect(readFileSync(path, 'utf8')).toBe(text);
  });

  it('reports it as JSON with --json', async () => {
    const cli = cliWithDir();
    writeFileSync(join(cli.dir, 'config.json'), 'nope');
    const r = await cli.run(['org', 'list', '--json']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(jsonError(r.stderr)).toMatchObject({ code: 'INTERNAL', message: like.stringContaining(join(cli.dir, 'config.json')) });
  });

  it('a directory in its place is the user’s to fix: exit 2, with the path', async () => {
    const cli = cliWithDir();
    mkdirSync(join(cli.dir, 'config.json'));
    const r = await cli.run(['org', 'list']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`cannot read the profile store ${join(cli.dir, 'config.json')}: it is a directory`);
  });
});

describe('parseConfig', () => {
  const file = { name: 'a', apiUrl: 'https://x', storage: 'file', token: UNKNOWN_TOKEN, clientId: 'c' };
  const keychain = { name: 'a', apiUrl: 'https://x', storage: 'keyring', account: 'acc', clientId: 'c' };
  const problem = (raw: unknown) => {
    try {
      parseConfig(raw, '/p');
    } catch (err) {
      return (err as Error).message.replace('cannot read the profile store /p: ', '');
    }
    return 'accepted';
  };

  it.each([
    ['null', null, 'it does not hold a JSON object'],
    ['a version that is not a number', { version: '2', profiles: [] }, 'it has version "2", this astra-token understands versions 1 and 2'],
    [
      'a newer version before bad profiles',
      { version: 3, profiles: 'x' },
      'it has version 3, this astra-token understands versions 1 and 2',
    ],
    ['a profile that is not an object', { profiles: [file, 'a'] }, 'profile #2 is not an object'],
    ['a profile without a name', { version: 2, profiles: [{ ...file, name: '' }] }, 'profile #1 has no "name"'],
    ['a profile without an apiUrl', { version: 2, profiles: [{ ...file, apiUrl: 7 }] }, 'profile #1 has no "apiUrl"'],
    [
      'an optional field that is not a string',
      { version: 2, profiles: [{ ...file, streamingTenant: null }] },
      'profile #1 has a "streamingTenant" that is not a string',
    ],
    [
      'the common fields before the storage',
      { version: 2, profiles: [{ name: 'a', apiUrl: 'https://x', env: 1, storage: 'vault' }] },
      'profile #1 has a "env" that is not a string',
    ],
    [
      'a version 2 profile without a storage',
      { version: 2, profiles: [{ ...file, storage: undefined }] },
      'profile #1 has no "storage" ("keyring" or "file")',
    ],
    ['a version 2 file profile without a token', { version: 2, profiles: [{ ...file, token: '' }] }, 'profile #1 has no "token"'],
    [
      'a version 2 profile without a clientId',
      { version: 2, profiles: [{ ...keychain, clientId: undefined }] },
      'profile #1 has no "clientId"',
    ],
    [
      'the first bad profile',
      { version: 2, profiles: [file, { ...keychain, account: '' }, { ...file, token: '' }] },
      'profile #2 keeps its token in the keychain but has no "account"',
    ],
    ['bad profiles before a bad current', { version: 2, current: 1, profiles: [{ ...file, name: '' }] }, 'profile #1 has no "name"'],
    ['a current that is not a name', { version: 2, current: 1, profiles: [file] }, 'its "current" entry is not a profile name'],
    ['a version 2 keychain profile', { version: 2, current: 'a', profiles: [keychain] }, 'accepted'],
  ])('%s', (_what, raw, message) => {
    expect(problem(raw)).toBe(message);
  });

  it('reads a version 1 profile as a file profile with the client id of its token, keeping unknown keys in place', () => {
    const token = `AstraCS:${'A'.repeat(24)}:${'a'.repeat(64)}`;
    const raw = {
      version: 1,
      current: 'a',
      later: true,
      profiles: [{ color: 'blue', name: 'a', storage: 'keyring', apiUrl: 'https://x', token }],
    };
    const { data, extra } = parseConfig(raw, '/p');
    expect(extra).toEqual({ later: true });
    expect(data.current).toBe('a');
    expect(JSON.stringify(data.profiles)).toBe(
      JSON.stringify([{ color: 'blue', name: 'a', storage: 'file', apiUrl: 'https://x', token, clientId: 'A'.repeat(24) }]),
    );
  });
});

describe('ProfileStore', () => {
  it('keeps keys and profile fields it does not know (written by a newer version)', () => {
    const dir = tempConfigDir();
    writeFileSync(
      join(dir, 'config.json'),
      JSON.stringify({ version: 1, current: null, future: { x: 1 }, profiles: [{ ...profile('a'), color: 'blue' }] }),
    );
    const store = new ProfileStore(dir);
    store.update((d) => {
      d.profiles.push(profile('b'));
    });
    const saved = parseJson<{ future: unknown; profiles: Array<Profile & { color?: string }> }>(
      readFileSync(join(dir, 'config.json'), 'utf8'),
    );
    expect(saved.future).toEqual({ x: 1 });
    expect(saved.profiles[0]!.color).toBe('blue');
    expect(saved.profiles.map((p: Profile) => p.name)).toEqual(['a', 'b']);
  });

  it('drops a dangling current name on read instead of failing', () => {
    const dir = tempConfigDir();
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ version: 1, current: 'gone', profiles: [profile('a')] }));
    expect(new ProfileStore(dir).read().current).toBeNull();
  });

  it('writes nothing when the change throws', () => {
    const dir = tempConfigDir();
    const store = new ProfileStore(dir);
    store.update((d) => void d.profiles.push(profile('a')));
    const before = readFileSync(join(dir, 'config.json'), 'utf8');
    expect(() =>
      store.update((d) => {
        d.profiles.push(profile('b'));
        throw new Error('changed my mind');
      }),
    ).toThrow('changed my mind');
    expect(readFileSync(join(dir, 'config.json'), 'utf8')).toBe(before);
    expect(existsSync(store.lockPath)).toBe(false);
  });

  it('breaks the lock of a process that is gone', () => {
    const dir = tempConfigDir();
    const store = new ProfileStore(dir, { lockWaitMs: 200 });
    // A pid far above any pid_max default: certainly not running.
    writeFileSync(store.lockPath, `4194999 ${hostname()} deadbeef`);
    store.update((d) => void d.profiles.push(profile('a')));
    expect(store.read().profiles.map((p) => p.name)).toEqual(['a']);
    expect(existsSync(store.lockPath)).toBe(false);
  });

  it('breaks a lock older than any write could take, even of a live process', () => {
    const dir = tempConfigDir();
    const store = new ProfileStore(dir, { lockWaitMs: 200 });
    writeFileSync(store.lockPath, `${process.ppid} ${hostname()} cafe`);
    const old = new Date(Date.now() - 120_000);
    utimesSync(store.lockPath, old, old);
    store.update((d) => void d.profiles.push(profile('a')));
    expect(store.read().profiles).toHaveLength(1);
  });

  it('waits for a live lock and then gives up with exit 2 (USAGE) naming the lock file, changing nothing', () => {
    const dir = tempConfigDir();
    const store = new ProfileStore(dir, { lockWaitMs: 100 });
    writeFileSync(store.lockPath, `${process.ppid} ${hostname()} cafe`);
    let err: unknown;
    try {
      store.update((d) => void d.profiles.push(profile('a')));
    } catch (e) {
      err = e;
    }
    expect(err).toMatchObject({
      code: 'USAGE',
      message: `the profile store is locked by another astra-token process (${store.lockPath})`,
      hint: `if no other astra-token is running, remove ${store.lockPath}`,
    });
    expect(existsSync(join(dir, 'config.json'))).toBe(false);
    // Someone else's lock is never removed by the loser.
    expect(readFileSync(store.lockPath, 'utf8')).toBe(`${process.ppid} ${hostname()} cafe`);
  });
});
