// Profile tokens in the OS keychain (issue 20), through the injected keyring interface: an in-memory fake with
// switches for unavailable, locked, refusing and an entry gone. The real Secret Service is driven end to end in
// test/e2e/secret-service.test.ts.
import { chmodSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempConfigDir } from '../../helpers/cli.js';
import { useEmulator } from '../../helpers/emulator.js';
import { memoryKeyring, type MemoryKeyring } from '../../helpers/keyring.js';
import { cliWithDir, clientIdOf, type Cli } from '../../helpers/fixtures/org.js';

const emu = useEmulator();

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A CLI with one config dir and one keychain, like a user's machine. */
function machine(keyring: MemoryKeyring = memoryKeyring()) {
  const cli = cliWithDir(tempConfigDir());
  dirs.push(cli.dir);
  const run = (argv: string[], opts: Parameters<Cli['run']>[1] = {}) => cli.run(argv, { keyring, ...opts });
  return { cli, keyring, run };
}

async function addInKeychain(m: ReturnType<typeof machine>, name = 'prod', token = emu.adminToken, ...extra: string[]) {
  const r = await m.run(['org', 'add', name, '--with-token', '--api-url', emu.baseUrl, ...extra], { stdin: token });
  expect(r.stderr).not.toContain('note:');
  expect(r.code).toBe(0);
  return m.cli.config().profiles.find((p) => p.name === name)!;
}

describe('org add with a keychain', () => {
  it('keeps the token in the keychain under a random account, and only its client id in the file', async () => {
    const m = machine();
    const p = await addInKeychain(m);
    expect(p).toMatchObject({ name: 'prod', storage: 'keyring', clientId: clientIdOf(emu.adminToken) });
    expect(p.account).toMatch(/^[0-9a-f]{32}$/);
    expect(p).not.toHaveProperty('token');
    expect(m.cli.raw()).not.toMatch(/AstraCS|[0-9a-f]{64}/);
    expect(m.cli.config().version).toBe(2);
    expect([...m.keyring.entries]).toEqual([[p.account, emu.adminToken]]);
    // Written, then read back before the profile is saved.
    expect(m.keyring.calls).toEqual([`set ${p.account}`, `get ${p.account}`]);
  });

  it('two config dirs never share an entry', async () => {
    const keyring = memoryKeyring();
    const a = await addInKeychain(machine(keyring));
    const b = await addInKeychain(machine(keyring));
    expect(a.account).not.toBe(b.account);
    expect(keyring.entries.size).toBe(2);
  });

  it('--storage file keeps it in the file, without a note', async () => {
    const m = machine();
    const r = await m.run(['org', 'add', 'prod', '--with-token', '--no-validate', '--storage', 'file'], { stdin: emu.adminToken });
    expect(r.code).toBe(0);
    expect(r.stderr).not.toContain('note:');
    expect(m.cli.config().profiles[0]).toMatchObject({ storage: 'file', token: emu.adminToken });
    expect(m.keyring.entries.size).toBe(0);
  });

  it('--storage keyring without a usable keychain: exit 2 with the reason, before the token is read; nothing saved', async () => {
    const m = machine(memoryKeyring({ state: 'unavailable', reason: 'no D-Bus session bus' }));
    const r = await m.run(['org', 'add', 'prod', '--with-token', '--no-validate', '--storage', 'keyring'], { stdin: 'not a token' });
    expect(r).toEqual({
      code: 2,
      stdout: '',
      stderr:
        'error: --storage keyring: no keychain is usable here: no D-Bus session bus; use --storage file (a 0600 file in the config dir)\n',
    });
    expect(() => m.cli.raw()).toThrow();
  });

  it('--storage other: exit 2', async () => {
    const r = await machine().run(['org', 'add', 'prod', '--with-token', '--storage', 'vault'], { stdin: emu.adminToken });
    expect(r).toMatchObject({ code: 2, stderr: "error: --storage: 'vault' is not one of keyring, file\n" });
  });

  it.each([
    ['no terminal', {}, []],
    ['--no-input on a terminal', { tty: true }, ['--no-input']],
    ['-q', {}, ['-q']],
  ])(
    'a locked keychain with nobody to unlock it (%s): exit 3 saying what to do; nothing saved, no plain-text fallback',
    async (_, how: { tty?: boolean }, argv: string[]) => {
      const m = machine(memoryKeyring({ state: 'locked', reason: 'the Secret Service keyring is locked' }));
      const r = await m.run(['org', 'add', 'prod', '--with-token', '--no-validate', ...argv], {
        stdin: emu.adminToken,
        ...how,
        env: { NO_COLOR: '1' },
      });
      expect(r).toMatchObject({ code: 3, stdout: '' });
      expect(r.stderr).toMatch(
        /^error: the keychain is locked \(the Secret Service keyring is locked\) and cannot ask to be unlocked here \(no terminal, or --no-input\); nothing was saved; unlock the keychain \(.*gnome-keyring-daemon --replace --unlock --daemonize --components=secrets\), then run the command again; or keep the token in the 0600 config file knowingly with --storage file\n$/,
      );
      expect(() => m.cli.raw()).toThrow();
      expect(m.keyring.calls).toEqual([]);
    },
  );

  it('a locked keychain on a terminal: the keychain is used (its own prompt unlocks it)', async () => {
    const m = machine(memoryKeyring({ state: 'locked', reason: 'the Secret Service keyring is locked' }));
    // The fake stands for the binding, whose unlock prompt a person answers.
    m.keyring.get = (account) => (m.keyring.calls.push(`get ${account}`), Promise.resolve(m.keyring.entries.get(account) ?? null));
    m.keyring.set = (account, secret) => (
      m.keyring.calls.push(`set ${account}`),
      m.keyring.entries.set(account, secret),
      Promise.resolve()
    );
    const r = await m.run(['org', 'add', 'prod', '--no-validate'], { stdin: `${emu.adminToken}\n`, tty: true });
    expect(r.code).toBe(0);
    expect(m.cli.config().profiles[0]!.storage).toBe('keyring');
  });

  it('--storage file with a locked keychain: the file, knowingly, without a word', async () => {
    const m = machine(memoryKeyring({ state: 'locked', reason: 'the Secret Service keyring is locked' }));
    const r = await m.run(['org', 'add', 'prod', '--with-token', '--no-validate', '--storage', 'file'], { stdin: emu.adminToken });
    expect(r.code).toBe(0);
    expect(r.stderr).not.toContain('keychain');
    expect(m.cli.config().profiles[0]!.storage).toBe('file');
  });

  it('no keychain at all: the file, with a warning that -q does not hide', async () => {
    const m = machine(memoryKeyring({ state: 'unavailable', reason: 'no D-Bus session bus' }));
    const r = await m.run(['org', 'add', 'prod', '--with-token', '--no-validate', '-q'], { stdin: emu.adminToken });
    expect(r).toEqual({
      code: 0,
      stdout: '',
      stderr: `warning: no keychain is usable here (no D-Bus session bus); the token is kept in ${join(m.cli.dir, 'config.json')} (mode 0600)\n`,
    });
    expect(m.cli.config().profiles[0]!.storage).toBe('file');
  });

  it('--force over a keychain profile deletes the replaced entry', async () => {
    const m = machine();
    const before = await addInKeychain(m);
    const after = await addInKeychain(m, 'prod', emu.adminToken, '--force');
    expect([...m.keyring.entries.keys()]).toEqual([after.account]);
    expect(m.keyring.calls).toContain(`delete ${before.account}`);
  });

  it('a profile that cannot be saved leaves no keychain entry behind', async () => {
    const m = machine();
    await addInKeychain(m);
    chmodSync(m.cli.dir, 0o777);
    const r = await m.run(['org', 'add', 'other', '--with-token', '--no-validate'], { stdin: emu.adminToken });
    expect(r.code).toBe(2);
    expect(m.keyring.entries.size).toBe(1);
  });
});

describe('using a keychain profile', () => {
  it('token list reads the token through the keychain', async () => {
    const m = machine();
    await addInKeychain(m);
    m.keyring.calls.length = 0;
    const r = await m.run(['token', 'list', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(expect.arrayContaining([expect.objectContaining({ clientId: clientIdOf(emu.adminToken) })]));
    expect(m.keyring.calls).toEqual([`get ${m.cli.config().profiles[0]!.account}`]);
  });

  it('commands that use no profile never touch the keychain', async () => {
    const m = machine();
    await addInKeychain(m);
    const status = m.keyring.status.bind(m.keyring);
    let asked = 0;
    m.keyring.status = () => (asked++, status());
    m.keyring.calls.length = 0;
    const r = await m.run(['token', 'list'], { env: { ASTRA_DB_APPLICATION_TOKEN: emu.adminToken, ASTRA_API_URL: emu.baseUrl } });
    expect(r.code).toBe(0);
    expect((await m.run(['org', 'list'])).code).toBe(0);
    expect([asked, m.keyring.calls]).toEqual([0, []]);
  });

  it.each([
    ['no terminal', {}],
    ['--no-input on a terminal', { tty: true, argv: ['--no-input'] }],
  ])(
    'a locked keychain (%s): exit 3 naming the profile and what to do; never prompts',
    async (_what, how: { tty?: boolean; argv?: string[] }) => {
      const m = machine();
      await addInKeychain(m);
      m.keyring.state = { state: 'locked', reason: 'the Secret Service keyring is locked' };
      m.keyring.calls.length = 0;
      const r = await m.run(['token', 'list', ...(how.argv ?? [])], { tty: how.tty, env: { NO_COLOR: '1' } });
      expect(r.code).toBe(3);
      expect(r.stderr).toBe(
        "error: profile 'prod': its token is in the keychain, which is locked (the Secret Service keyring is locked); it was not read; " +
          'unlock the keychain (on a desktop: its keyring app, or log in again; on a headless box with GNOME Keyring: printf \'%s\' "$KEYRING_PASSWORD" | gnome-keyring-daemon --replace --unlock --daemonize --components=secrets), ' +
          "or run this on a terminal without --no-input to be asked; then run the command again. Once it is unlocked, astra-token org storage 'prod' --to file can move the token to the file\n",
      );
      expect(m.keyring.calls).toEqual([]);
    },
  );

  it('a keychain that is gone: exit 3, never a fallback to another credential', async () => {
    const m = machine();
    await addInKeychain(m);
    m.keyring.state = { state: 'unavailable', reason: 'no Secret Service is running' };
    const r = await m.run(['token', 'list']);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(
      /^error: profile 'prod': its token is in the keychain, but no keychain is usable here: no Secret Service is running; /,
    );
  });

  it('a keychain that denies access: exit 3 with its reason', async () => {
    const m = machine();
    await addInKeychain(m);
    m.keyring.refuse = 'access denied by the user';
    const r = await m.run(['token', 'list']);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(
      /^error: profile 'prod': the keychain refused to read its token: access denied by the user; unlock the keychain \(.*gnome-keyring-daemon --replace --unlock --daemonize --components=secrets\), or allow astra-token access to it; then run the command again\. Once it answers, astra-token org storage 'prod' --to file can move the token to the file\n$/,
    );
  });

  it('an entry deleted behind the tool: exit 3, told apart from a locked keychain', async () => {
    const m = machine();
    await addInKeychain(m);
    m.keyring.entries.clear();
    const r = await m.run(['token', 'list']);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/^error: profile 'prod': its token is missing from the keychain \(entry astra-token\/[0-9a-f]{32}\); /);
  });
  it('an entry that holds another valid token: exit 3 naming the profile and both client ids; that token is never sent', async () => {
    const m = machine();
    const p = await addInKeychain(m);
    const other = emu.state.issueToken(emu.state.defaultOrg.id, ['Organization Administrator']).token;
    m.keyring.entries.set(p.account!, other);
    emu.state.requests.length = 0;
    const r = await m.run(['token', 'list']);
    expect(r).toEqual({
      code: 3,
      stdout: '',
      stderr: `error: profile 'prod': its keychain entry (astra-token/${p.account}) holds the token of client ${clientIdOf(other)}, not the token of client ${clientIdOf(emu.adminToken)} the profile recorded; it was not used; the entry was changed outside astra-token; save the right token again with: astra-token org add 'prod' --force\n`,
    });
    expect(emu.state.requests).toEqual([]);
  });

  it('a keychain that does not answer: exit 3 naming the profile, never the file', async () => {
    const m = machine();
    await addInKeychain(m);
    m.keyring.state = { state: 'silent', reason: 'the Secret Service (org.freedesktop.secrets) did not answer: no reply within 5 s' };
    const r = await m.run(['token', 'list']);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(
      /^error: profile 'prod': its token is in the keychain, which did not answer \(.*no reply within 5 s\); it was not read; /,
    );
    const add = await m.run(['org', 'add', 'dev', '--with-token', '--no-validate'], { stdin: emu.adminToken });
    expect(add.code).toBe(3);
    expect(add.stderr).toMatch(/^error: the keychain did not answer \(.*\); nothing was saved; /);
    expect(m.cli.config().profiles.map((x) => x.name)).toEqual(['prod']);
  });

  it('a reader meeting org storage --to file between its two reads sees the token where it now is', async () => {
    const m = machine();
    await addInKeychain(m);
    // The reader has read the store (keychain, that entry); the move runs to its end before the reader's get.
    m.keyring.beforeGet = async () => {
      expect((await m.run(['org', 'storage', 'prod', '--to', 'file'])).code).toBe(0);
    };
    const r = await m.run(['token', 'list', '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(expect.arrayContaining([expect.objectContaining({ clientId: clientIdOf(emu.adminToken) })]));
    expect(m.cli.config().profiles[0]).toMatchObject({ storage: 'file' });
  });
});

describe('org storage', () => {
  it('moves a token to the file and back, deleting the source each time', async () => {
    const m = machine();
    const first = await addInKeychain(m);

    const toFile = await m.run(['org', 'storage', 'prod', '--to', 'file', '--json']);
    expect(toFile.code).toBe(0);
    expect(toFile.stderr).toBe("moved the token of profile 'prod' to the config file (0600)\n");
    expect(JSON.parse(toFile.stdout)).toMatchObject({ name: 'prod', storage: 'file' });
    expect(m.cli.config().profiles[0]).toMatchObject({ storage: 'file', token: emu.adminToken });
    expect(m.cli.config().profiles[0]).not.toHaveProperty('account');
    expect(m.keyring.entries.has(first.account!)).toBe(false);

    const toKeyring = await m.run(['org', 'storage', 'prod', '--to', 'keyring']);
    expect(toKeyring).toEqual({ code: 0, stdout: '', stderr: "moved the token of profile 'prod' to the OS keychain\n" });
    const moved = m.cli.config().profiles[0]!;
    expect(moved).toMatchObject({ storage: 'keyring', clientId: clientIdOf(emu.adminToken) });
    expect(moved).not.toHaveProperty('token');
    expect(m.cli.raw()).not.toContain('AstraCS');
    expect([...m.keyring.entries]).toEqual([[moved.account, emu.adminToken]]);
    expect((await m.run(['token', 'list'])).code).toBe(0);
    // On a terminal, the success mark every other verb uses; -q hides it.
    const onTty = await m.run(['org', 'storage', 'prod', '--to', 'file'], { tty: true, env: { NO_COLOR: '1' } });
    expect(onTty.stderr).toBe("✓ moved the token of profile 'prod' to the config file (0600)\n");
    expect((await m.run(['org', 'storage', 'prod', '--to', 'keyring', '-q'])).stderr).toBe('');
  });

  it('to where it already is: says so, changes nothing', async () => {
    const m = machine();
    await addInKeychain(m);
    const before = m.cli.raw();
    expect(await m.run(['org', 'storage', 'prod', '--to', 'keyring'])).toEqual({
      code: 0,
      stdout: '',
      stderr: "Profile 'prod' already keeps its token in the OS keychain; nothing to move.\n",
    });
    expect(m.cli.raw()).toBe(before);
  });

  it('--to keyring with no keychain usable: exit 2 naming --to, the token stays in the file', async () => {
    const m = machine(memoryKeyring({ state: 'unavailable', reason: 'no D-Bus session bus' }));
    await m.run(['org', 'add', 'prod', '--with-token', '--no-validate', '--storage', 'file'], { stdin: emu.adminToken });
    const before = m.cli.raw();
    const r = await m.run(['org', 'storage', 'prod', '--to', 'keyring']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('error: --to keyring: no keychain is usable here: no D-Bus session bus; the token stays where it is\n');
    expect(r.stderr).not.toContain('--storage');
    expect(m.cli.raw()).toBe(before);
  });

  it('a keychain that refuses the write: exit 3, the token stays in the file', async () => {
    const m = machine();
    await m.run(['org', 'add', 'prod', '--with-token', '--no-validate', '--storage', 'file'], { stdin: emu.adminToken });
    const before = m.cli.raw();
    m.keyring.refuse = 'write denied';
    const r = await m.run(['org', 'storage', 'prod', '--to', 'keyring']);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/^error: profile 'prod': the keychain refused to write its token: write denied; /);
    expect(m.cli.raw()).toBe(before);
  });

  it('a file that cannot be written: the keychain entry is kept', async () => {
    const m = machine();
    const p = await addInKeychain(m);
    chmodSync(m.cli.dir, 0o777);
    const r = await m.run(['org', 'storage', 'prod', '--to', 'file']);
    expect(r.code).toBe(2);
    chmodSync(m.cli.dir, 0o700);
    expect(m.cli.config().profiles[0]).toMatchObject({ storage: 'keyring', account: p.account });
    expect(m.keyring.entries.get(p.account!)).toBe(emu.adminToken);
  });

  it('no keychain to move to: exit 2 before anything is read', async () => {
    const m = machine(memoryKeyring({ state: 'unavailable', reason: 'no Secret Service is running' }));
    await m.run(['org', 'add', 'prod', '--with-token', '--no-validate'], { stdin: emu.adminToken });
    const r = await m.run(['org', 'storage', 'prod', '--to', 'keyring']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--to keyring: no keychain is usable here: no Secret Service is running');
  });

  it('an unknown profile: exit 5; a bad --to: exit 2', async () => {
    const m = machine();
    expect((await m.run(['org', 'storage', 'nope', '--to', 'file'])).code).toBe(5);
    await addInKeychain(m);
    expect(await m.run(['org', 'storage', 'prod', '--to', 'disk'])).toMatchObject({
      code: 2,
      stderr: "error: --to: 'disk' is not one of keyring, file\n",
    });
  });
});

describe('org list, org remove and token rotate with a keychain profile', () => {
  it('org list shows where each token lives', async () => {
    const m = machine();
    await addInKeychain(m);
    await m.run(['org', 'add', 'local', '--with-token', '--no-validate', '--storage', 'file'], { stdin: emu.adminToken });
    const r = await m.run(['org', 'list', '--json']);
    expect((JSON.parse(r.stdout) as Array<{ name: string; storage: string }>).map((p) => [p.name, p.storage])).toEqual([
      ['local', 'file'],
      ['prod', 'keyring'],
    ]);
  });

  it('org remove deletes the keychain entry', async () => {
    const m = machine();
    const p = await addInKeychain(m);
    const r = await m.run(['org', 'remove', 'prod', '--yes']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`its token ${p.clientId} was not revoked`);
    expect(m.keyring.entries.size).toBe(0);
  });

  it('org remove with a locked keychain: the profile goes, with a warning naming the entry left behind', async () => {
    const m = machine();
    const p = await addInKeychain(m);
    m.keyring.state = { state: 'locked', reason: 'the Secret Service keyring is locked' };
    const r = await m.run(['org', 'remove', 'prod', '--yes']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(
      `warning: its keychain entry (astra-token/${p.account}) could not be deleted: the Secret Service keyring is locked`,
    );
    expect(m.cli.config().profiles).toEqual([]);
  });

  it('token rotate writes the new token into the keychain entry and the new client id into the file', async () => {
    const m = machine();
    const old = emu.state.issueToken(emu.state.defaultOrg.id, ['Organization Administrator'], { description: 'ci' }).token;
    const before = await addInKeychain(m, 'ci', old);
    const r = await m.run(['token', 'rotate', clientIdOf(old), '--yes']);
    expect(r.stderr).toContain("profile 'ci' now uses token");
    expect(r.code).toBe(0);
    const fresh = r.stdout.trim();
    const after = m.cli.config().profiles[0]!;
    expect(after).toMatchObject({ storage: 'keyring', account: before.account, clientId: clientIdOf(fresh) });
    expect(m.keyring.entries.get(before.account!)).toBe(fresh);
    expect(m.cli.raw()).not.toContain('AstraCS');
  });

  it('token rotate with a keychain that refuses: exit 8, the old token kept, the profile untouched', async () => {
    const m = machine();
    const old = emu.state.issueToken(emu.state.defaultOrg.id, ['Organization Administrator'], { description: 'ci' }).token;
    const before = await addInKeychain(m, 'ci', old);
    // Reads work (the command authenticates with the profile); the write of the new token is refused.
    const set = m.keyring.set.bind(m.keyring);
    m.keyring.set = () => Promise.reject(new Error('write denied'));
    const r = await m.run(['token', 'rotate', clientIdOf(old), '--yes']);
    m.keyring.set = set;
    expect(r.code).toBe(8);
    expect(r.stderr).toContain("profile 'ci' could not be switched to it");
    expect(m.cli.config().profiles[0]).toMatchObject({ clientId: clientIdOf(old), account: before.account });
    expect(m.keyring.entries.get(before.account!)).toBe(old);
    expect(emu.state.findToken(clientIdOf(old))).toBeDefined();
  });
});

describe('the config file version', () => {
  it('reads a version 1 file (every token in it) and writes version 2 with storage and client id', async () => {
    const m = machine();
    const path = join(m.cli.dir, 'config.json');
    writeFileSync(
      path,
      JSON.stringify({
        version: 1,
        current: 'old',
        profiles: [{ name: 'old', token: emu.adminToken, apiUrl: emu.baseUrl, updatedAt: '' }],
      }),
    );
    const list = await m.run(['org', 'list', '--json']);
    expect(JSON.parse(list.stdout)).toEqual([expect.objectContaining({ name: 'old', storage: 'file' })]);
    expect((await m.run(['token', 'list', '--api-url', emu.baseUrl])).code).toBe(0);
    expect((await m.run(['org', 'switch', 'old'])).code).toBe(0);
    const saved = JSON.parse(readFileSync(path, 'utf8')) as { version: number; profiles: unknown[] };
    expect(saved.version).toBe(2);
    expect(saved.profiles[0]).toMatchObject({ name: 'old', storage: 'file', token: emu.adminToken, clientId: clientIdOf(emu.adminToken) });
  });

  it.each([
    [
      'a keychain profile without an account',
      { storage: 'keyring', clientId: 'x' },
      'keeps its token in the keychain but has no "account"',
    ],
    [
      'a keychain profile with a token too',
      { storage: 'keyring', account: 'a', clientId: 'x', token: 't' },
      'keeps its token in the keychain and also has a "token"',
    ],
    ['an unknown storage', { storage: 'vault', clientId: 'x' }, 'has no "storage" ("keyring" or "file")'],
  ])('refuses %s (exit 1, the path)', async (_what, fields, why) => {
    const m = machine();
    writeFileSync(
      join(m.cli.dir, 'config.json'),
      JSON.stringify({ version: 2, profiles: [{ name: 'p', apiUrl: emu.baseUrl, ...fields }] }),
    );
    const r = await m.run(['org', 'list']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`profile #1 ${why}`);
  });
});
