// The built bin against a real Secret Service (issue 20): a private D-Bus session (dbus-run-session) with GNOME
// Keyring unlocked in it, in a temporary home. Proves that `org add` leaves no token in any file of the config dir,
// that commands read the token through the keychain, that `org storage` moves it both ways, and that a locked
// keychain gives exit 3 with the message. .ci/run installs the Debian packages this needs; under CI=true it must
// run, so a missing Secret Service fails the test instead of skipping it.
import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HAS_BUILD, NO_BUILD_REASON, runBin } from '../helpers/bin.js';
import { withEmulatorServer } from '../helpers/emulator.js';

const TOOLS = ['dbus-run-session', 'dbus-send', 'gnome-keyring-daemon'];
const SECRETS_OWNER = [
  '--dest=org.freedesktop.DBus',
  '/org/freedesktop/DBus',
  'org.freedesktop.DBus.GetConnectionUnixProcessID',
  'string:org.freedesktop.secrets',
];
const missing = TOOLS.filter((t) => spawnSync('sh', ['-c', `command -v ${t}`]).status !== 0);
const CI = process.env.CI === 'true';
const skip = !HAS_BUILD || (!CI && (process.platform !== 'linux' || missing.length > 0));
const why = !HAS_BUILD ? NO_BUILD_REASON : `needs ${missing.join(', ')} (Debian: gnome-keyring dbus dbus-x11 libsecret-1-0)`;

describe.skipIf(skip)(`a real Secret Service (GNOME Keyring)${skip ? ` (skipped: ${why})` : ''}`, () => {
  let home: string;
  let session: ChildProcess | undefined;
  let env: Record<string, string>;

  beforeAll(async () => {
    expect(missing, 'the Secret Service tools must be installed (.ci/run installs them)').toEqual([]);
    home = mkdtempSync(join(tmpdir(), 'astra-secret-service-'));
    const runtime = join(home, 'run');
    mkdirSync(runtime, { mode: 0o700 });
    const base = { HOME: home, XDG_DATA_HOME: join(home, 'data'), XDG_RUNTIME_DIR: runtime, XDG_CONFIG_HOME: join(home, 'config') };
    // The session lives as long as its `cat` reads our pipe (closed when this test process ends, however it ends);
    // the keyring daemon, started as a login starts it, leaves with the bus. Its first line is the bus address.
    session = spawn(
      'dbus-run-session',
      [
        '--',
        'sh',
        '-c',
        'echo "$DBUS_SESSION_BUS_ADDRESS"; printf pw | gnome-keyring-daemon --daemonize --unlock --components=secrets >/dev/null; exec cat >/dev/null',
      ],
      { env: { PATH: process.env.PATH, ...base }, stdio: ['pipe', 'pipe', 'ignore'], detached: true },
    );
    const address = await new Promise<string>((resolve, reject) => {
      session!.once('error', reject);
      session!.once('exit', (code) => reject(new Error(`dbus-run-session exited with ${code}`)));
      createInterface({ input: session!.stdout! }).once('line', resolve);
    });
    env = { ...base, DBUS_SESSION_BUS_ADDRESS: address };
    // Wait until the daemon owns org.freedesktop.secrets (it registers a moment after it starts).
    for (let i = 0; i < 100; i++) {
      if (
        (
          await dbus(
            env,
            '--dest=org.freedesktop.DBus',
            '/org/freedesktop/DBus',
            'org.freedesktop.DBus.NameHasOwner',
            'string:org.freedesktop.secrets',
          )
        ).includes('boolean true')
      )
        return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('gnome-keyring-daemon did not register org.freedesktop.secrets');
  }, 30_000);

  afterAll(() => {
    if (session?.pid) {
      try {
        process.kill(-session.pid, 'SIGTERM');
      } catch {
        // already gone
      }
    }
    rmSync(home, { recursive: true, force: true });
  });

  it('org add keeps no token in any file; token list, org storage both ways, and a locked keychain (exit 3)', async () => {
    await withEmulatorServer(async (emu) => {
      const configDir = join(home, 'astra');
      const astra = (args: string[], input?: string) =>
        runBin(args, { env: { ...env, ASTRA_TOKEN_CONFIG_DIR: configDir }, input, timeoutMs: 30_000 });
      const tokenInFiles = () => spawnSync('grep', ['-r', 'AstraCS', configDir]).status === 0;
      const clientId = emu.adminToken.split(':')[1]!;

      const add = await astra(['org', 'add', 'prod', '--with-token', '--api-url', emu.url], emu.adminToken);
      expect(add.stderr).not.toContain('note:');
      expect(add.code).toBe(0);
      expect(tokenInFiles()).toBe(false);
      expect(JSON.parse((await astra(['org', 'list', '--json'])).stdout)).toEqual([
        expect.objectContaining({ name: 'prod', storage: 'keyring' }),
      ]);

      const list = await astra(['token', 'list', '--json']);
      expect(list.code).toBe(0);
      expect(list.stdout).toContain(clientId);

      expect((await astra(['org', 'storage', 'prod', '--to', 'file'])).code).toBe(0);
      expect(tokenInFiles()).toBe(true);
      expect((await astra(['token', 'list'])).code).toBe(0);
      const back = await astra(['org', 'storage', 'prod', '--to', 'keyring']);
      expect(back).toMatchObject({ code: 0, stderr: "moved the token of profile 'prod' to the OS keychain\n" });
      expect(tokenInFiles()).toBe(false);
      expect(readFileSync(join(configDir, 'config.json'), 'utf8')).toContain(clientId);
      expect((await astra(['token', 'list'])).code).toBe(0);

      await dbus(
        env,
        '--dest=org.freedesktop.secrets',
        '/org/freedesktop/secrets',
        'org.freedesktop.Secret.Service.Lock',
        'array:objpath:/org/freedesktop/secrets/aliases/default',
      );
      const locked = await astra(['token', 'list', '--no-input']);
      expect(locked.code).toBe(3);
      expect(locked.stderr).toMatch(
        /^error: profile 'prod': its token is in the keychain, which is locked \(the Secret Service keyring is locked\); it was not read; unlock the keychain \(.*\).*Once it is unlocked, astra-token org storage 'prod' --to file can move the token to the file\n$/,
      );

      // The headless recipe the hint gives, run as it is printed: the keyring is unlocked, by one daemon.
      const recipe = /on a headless box with GNOME Keyring: (.*)\), or run this/.exec(locked.stderr)![1]!;
      const before = await secretsOwner(env);
      const unlock = spawnSync('sh', ['-c', recipe], {
        env: { PATH: process.env.PATH, ...env, KEYRING_PASSWORD: 'pw' },
        stdio: 'ignore',
        timeout: 20_000,
      });
      expect(unlock.status).toBe(0);
      expect((await astra(['token', 'list', '--no-input'])).code).toBe(0);
      const after = await secretsOwner(env);
      expect(after).not.toBe(before);
      expect(isAlive(before)).toBe(false);

      // A keychain that does not answer (its daemon stopped): exit 3, and the token is not written to the file.
      process.kill(after, 'SIGSTOP');
      try {
        const silent = await astra(['org', 'add', 'dev', '--with-token', '--api-url', emu.url], emu.adminToken);
        expect(silent.code).toBe(3);
        expect(silent.stderr).toMatch(/^error: the keychain did not answer \(.*no reply within 5 s\); nothing was saved; /);
        const read = await astra(['token', 'list', '--no-input']);
        expect(read.code).toBe(3);
        expect(read.stderr).toMatch(/^error: profile 'prod': its token is in the keychain, which did not answer/);
      } finally {
        process.kill(after, 'SIGCONT');
      }
      expect(tokenInFiles()).toBe(false);
      expect(JSON.parse((await astra(['org', 'list', '--json'])).stdout)).toEqual([expect.objectContaining({ name: 'prod' })]);
    });
  }, 90_000);
});

function dbus(env: Record<string, string>, ...args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      'dbus-send',
      ['--session', '--print-reply', ...args],
      { env: { PATH: process.env.PATH, ...env } },
      (err: Error | null, stdout: string) => (err ? reject(err) : resolve(stdout)),
    );
  });
}

/** The pid of the process that owns org.freedesktop.secrets on the bus. */
async function secretsOwner(env: Record<string, string>): Promise<number> {
  return Number(/uint32 (\d+)/.exec(await dbus(env, ...SECRETS_OWNER))![1]);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return !readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z ');
  } catch {
    return false;
  }
}
