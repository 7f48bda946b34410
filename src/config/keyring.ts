// The OS keychain as the profile store sees it: four operations behind one small interface, so tests inject an
// in-memory fake and the real binding (@napi-rs/keyring, an optional dependency) loads only when a profile uses it.
// On Linux only the Secret Service is used, probed explicitly first: never the kernel keyutils store (the binding's
// silent fallback), which forgets everything at logout or reboot; and a locked keyring is detected before the binding
// is called, since the binding would pop up an unlock prompt and wait for it.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';

/** The keychain service every entry of the tool is filed under; the account is a random id per profile. */
export const KEYRING_SERVICE = 'astra-token';

export type KeyringStatus =
  | { state: 'ready' }
  /** Present but locked: reading needs an unlock prompt. */
  | { state: 'locked'; reason: string }
  /**
   * Present (its name is on the bus) but silent: it did not answer within the probe's timeout (a stopped or hung
   * daemon). Not "no keychain": a token must not go to the file because the keychain was slow to say so.
   */
  | { state: 'silent'; reason: string }
  | { state: 'unavailable'; reason: string };

export interface Keyring {
  /** Whether a keychain can be used here, without prompting or changing anything. */
  status(): Promise<KeyringStatus>;
  /** The secret, or null when there is no such entry. Throws when the keychain refuses or is gone. */
  get(account: string): Promise<string | null>;
  set(account: string, secret: string): Promise<void>;
  /** True when an entry was deleted, false when there was none. */
  delete(account: string): Promise<boolean>;
}

/** A fresh account id for a new keychain entry: random, so two config dirs never share one. */
export function newAccountId(): string {
  return randomBytes(16).toString('hex');
}

interface Binding {
  AsyncEntry: new (
    service: string,
    account: string,
    options?: { linux?: { store?: 'secret-service' | 'keyutils' } },
  ) => {
    getPassword(): Promise<string | null>;
    setPassword(secret: string): Promise<void>;
    deleteCredential(): Promise<boolean>;
  };
}

/** The real keychain: macOS Keychain, Windows Credential Manager, or the Secret Service on Linux/BSD. */
export function createOsKeyring(env: Record<string, string | undefined>, platform: NodeJS.Platform = process.platform): Keyring {
  const usesSecretService = platform !== 'darwin' && platform !== 'win32';
  let binding: Promise<Binding | string> | undefined;
  // The binding is external to the bundle and optional: where it is not installed, only file storage exists.
  const load = () =>
    (binding ??= import('@napi-rs/keyring').then(
      (m) => m as unknown as Binding,
      () => `the keychain binding (@napi-rs/keyring) is not installed for ${platform}-${process.arch}`,
    ));
  const entry = async (account: string) => {
    const b = await load();
    if (typeof b === 'string') throw new Error(b);
    return new b.AsyncEntry(KEYRING_SERVICE, account, usesSecretService ? { linux: { store: 'secret-service' } } : undefined);
  };
  return {
    async status() {
      const b = await load();
      if (typeof b === 'string') return { state: 'unavailable', reason: b };
      return usesSecretService ? probeSecretService(env) : { state: 'ready' };
    },
    get: async (account) => (await entry(account)).getPassword(),
    set: async (account, secret) => (await entry(account)).setPassword(secret),
    delete: async (account) => (await entry(account)).deleteCredential(),
  };
}

const SECRETS = 'org.freedesktop.secrets';
const PROBE_TIMEOUT_MS = 5_000;

/**
 * Is a Secret Service running on the session bus, and is its default keyring unlocked? Asked with `dbus-send`
 * (a short reply timeout, no prompt, no activation of a service that is not running: activating one on a headless
 * box asks for a new keyring password nobody can type).
 */
export async function probeSecretService(env: Record<string, string | undefined>): Promise<KeyringStatus> {
  const runtimeBus = env.XDG_RUNTIME_DIR ? join(env.XDG_RUNTIME_DIR, 'bus') : undefined;
  if (!env.DBUS_SESSION_BUS_ADDRESS && !(runtimeBus && existsSync(runtimeBus))) {
    return { state: 'unavailable', reason: 'no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is not set), so no Secret Service' };
  }
  const owned = await dbusSend(env, [
    '--dest=org.freedesktop.DBus',
    '/org/freedesktop/DBus',
    'org.freedesktop.DBus.NameHasOwner',
    `string:${SECRETS}`,
  ]);
  if (owned.silent) return { state: 'silent', reason: `the D-Bus session bus did not answer: ${owned.error}` };
  if (owned.error !== undefined) return { state: 'unavailable', reason: owned.error };
  if (!/boolean true/.test(owned.out)) {
    return {
      state: 'unavailable',
      reason: `no Secret Service (${SECRETS}, e.g. GNOME Keyring or KWallet) is running on the D-Bus session bus`,
    };
  }
  const locked = await dbusSend(env, [
    `--dest=${SECRETS}`,
    '/org/freedesktop/secrets/aliases/default',
    'org.freedesktop.DBus.Properties.Get',
    'string:org.freedesktop.Secret.Collection',
    'string:Locked',
  ]);
  if (locked.silent) return { state: 'silent', reason: `the Secret Service (${SECRETS}) did not answer: ${locked.error}` };
  if (locked.error !== undefined) return { state: 'unavailable', reason: `the Secret Service has no default keyring (${locked.error})` };
  if (/boolean true/.test(locked.out)) return { state: 'locked', reason: 'the Secret Service keyring is locked' };
  return { state: 'ready' };
}

/** `silent`: no reply within the timeout (D-Bus's NoReply, or dbus-send itself killed), unlike a refusal. */
function dbusSend(env: Record<string, string | undefined>, args: string[]): Promise<{ out: string; error?: string; silent?: boolean }> {
  return new Promise((resolve) => {
    execFile(
      'dbus-send',
      ['--session', '--print-reply', `--reply-timeout=${PROBE_TIMEOUT_MS}`, ...args],
      { env, timeout: PROBE_TIMEOUT_MS + 1000, encoding: 'utf8' },
      (err, stdout, stderr) => {
        if (!err) return resolve({ out: stdout });
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
          return resolve({ out: '', error: 'dbus-send is not installed, so the Secret Service cannot be probed' });
        }
        const first = (stderr.trim().split('\n')[0] ?? '').replace(/^Error\s+/, '');
        const silent = err.killed || first.startsWith('org.freedesktop.DBus.Error.NoReply');
        const error = silent ? `no reply within ${PROBE_TIMEOUT_MS / 1000} s` : first || `dbus-send failed (${err.message.split('\n')[0]})`;
        resolve({ out: '', error, silent });
      },
    );
  });
}
