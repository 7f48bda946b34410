// The profile store: one file `<config dir>/config.json` (dir 0700, file 0600), written atomically through conf,
// with a lock file around every read-modify-write so that two processes adding profiles at once both survive.
// The file is validated strictly on every read: a file we do not understand is reported, never replaced.
import Conf from 'conf';
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  closeSync,
  linkSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { AppError, UsageError, printable } from '../errors.js';

export type ApiEnvironment = 'prod' | 'dev' | 'test';

export interface Profile {
  name: string;
  token: string;
  apiUrl: string;
  env?: ApiEnvironment;
  orgId?: string;
  orgName?: string;
  streamingApiUrl?: string;
  /** Defaults for `streaming token --tenant/--cluster`. */
  streamingTenant?: string;
  streamingCluster?: string;
  /** ISO instant of the last write of this profile. */
  updatedAt: string;
}

export interface ConfigData {
  version: 1;
  current: string | null;
  /** An array, not a map: profile names are arbitrary strings and never key paths. */
  profiles: Profile[];
}

const STORE_VERSION = 1;
const LOCK_WAIT_MS = 10_000;
// The critical section is synchronous and takes milliseconds: a lock this old belongs to a process that died.
const LOCK_STALE_MS = 30_000;
const LOCK_POLL_MS = 15;


/**
 * Profile names are data, never key paths: dots, slashes and spaces are fine. Refused: the empty name, surrounding
 * white space (a paste accident), control characters (they would break tab-separated output) and very long names.
 */
export function checkProfileName(name: string): string {
  if (name.trim() === '') throw new UsageError('a profile name cannot be empty');
  if (/[\u0000-\u001f\u007f-\u009f]/.test(name)) {
    throw new UsageError(`the profile name '${printable(name)}' contains a control character (tab, line break, ...)`);
  }
  if (name !== name.trim()) throw new UsageError(`the profile name '${printable(name)}' starts or ends with white space`);
  if (name.length > 100) throw new UsageError(`the profile name '${printable(name)}' is longer than 100 characters`);
  return name;
}

export class ProfileStore {
  readonly path: string;
  readonly lockPath: string;
  private conf?: Conf<Record<string, unknown>>;
  private readonly lockWaitMs: number;

  constructor(
    readonly dir: string,
    opts: { lockWaitMs?: number } = {},
  ) {
    this.path = join(dir, 'config.json');
    this.lockPath = `${this.path}.lock`;
    this.lockWaitMs = opts.lockWaitMs ?? LOCK_WAIT_MS;
  }

  /**
   * The whole configuration; an empty one when the file does not exist yet (nothing is created then). An existing
   * file or directory whose permissions someone loosened is tightened again.
   */
  read(): ConfigData {
    return this.load().data;
  }

  /** Re-reads under the lock, applies `change`, writes atomically, and re-tightens the modes. */
  update<R>(change: (data: ConfigData) => R): R {
    this.ensureDir();
    const release = this.lock();
    try {
      const { data, extra } = this.load();
      const result = change(data);
      // Keys a newer version may have added are carried over untouched.
      this.open().store = { ...extra, version: STORE_VERSION, current: data.current, profiles: data.profiles };
      chmodSync(this.path, 0o600);
      return result;
    } finally {
      release();
    }
  }

  private load(): { data: ConfigData; extra: Record<string, unknown> } {
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { data: { version: 1, current: null, profiles: [] }, extra: {} };
      throw corrupt(this.path, err);
    }
    this.tightenModes();
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (err) {
      throw corrupt(this.path, err);
    }
    return parseConfig(raw, this.path);
  }

  private tightenModes(): void {
    try {
      tighten(this.dir, 0o700);
      tighten(this.path, 0o600);
    } catch (err) {
      // Not ours to fix (e.g. a file owned by someone else): reading still works, so do not fail on it.
      if ((err as NodeJS.ErrnoException).code !== 'EPERM') throw err;
    }
  }

  private ensureDir(): void {
    try {
      mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    } catch (err) {
      throw new AppError('INTERNAL', `cannot create the config directory ${this.dir}: ${(err as Error).message}`, {
        cause: err,
        hint: 'set ASTRA_TOKEN_CONFIG_DIR to a writable directory',
      });
    }
    this.tightenModes();
  }

  private open(): Conf<Record<string, unknown>> {
    if (this.conf) return this.conf;
    try {
      this.conf = new Conf<Record<string, unknown>>({
        cwd: this.dir,
        configName: 'config',
        projectName: 'astra-token',
        projectSuffix: '',
        configFileMode: 0o600,
        accessPropertiesByDotNotation: false,
        clearInvalidConfig: false,
      });
    } catch (err) {
      throw corrupt(this.path, err);
    }
    return this.conf;
  }

  /**
   * An exclusive lock file holding `<pid> <host> <nonce>`. A lock whose process is gone (checked only on the same
   * host) or that is older than any write could take is broken; breaking renames it aside first, so two processes cannot both break the same lock and
   * then both believe they hold a fresh one.
   */
  private lock(): () => void {
    const nonce = `${process.pid} ${hostname()} ${randomBytes(8).toString('hex')}`;
    const deadline = Date.now() + this.lockWaitMs;
    for (;;) {
      try {
        const fd = openSync(this.lockPath, 'wx', 0o600);
        try {
          writeSync(fd, nonce);
        } finally {
          closeSync(fd);
        }
        return () => {
          // Only remove the lock if it is still ours.
          if (readLock(this.lockPath) === nonce) rmSync(this.lockPath, { force: true });
        };
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') {
          throw new AppError('INTERNAL', `cannot lock the profile store ${this.path}: ${(err as Error).message}`, { cause: err });
        }
      }
      const holder = readLock(this.lockPath);
      if (holder !== undefined && isStale(this.lockPath, holder)) {
        breakLock(this.lockPath, holder);
        continue;
      }
      if (Date.now() > deadline) {
        throw new AppError('INTERNAL', `the profile store is locked by another astra-token process (${this.lockPath})`, {
          hint: `if no other astra-token is running, remove ${this.lockPath}`,
        });
      }
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, LOCK_POLL_MS);
    }
  }
}

function readLock(lockPath: string): string | undefined {
  try {
    return readFileSync(lockPath, 'utf8');
  } catch {
    return undefined;
  }
}

function isStale(lockPath: string, holder: string): boolean {
  const [pidText, host] = holder.split(' ');
  const pid = Number(pidText);
  if (host === hostname() && Number.isInteger(pid) && pid > 0 && pid !== process.pid) {
    try {
      process.kill(pid, 0);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ESRCH') return true;
    }
  }
  try {
    return Date.now() - statSync(lockPath).mtimeMs > LOCK_STALE_MS;
  } catch {
    return false;
  }
}

/** Moves the stale lock aside; if what was moved turns out to be someone's fresh lock, it is put back. */
function breakLock(lockPath: string, staleHolder: string): void {
  const aside = `${lockPath}.${process.pid}.${randomBytes(4).toString('hex')}`;
  try {
    renameSync(lockPath, aside);
  } catch {
    return; // someone else broke or released it first
  }
  if (readLock(aside) !== staleHolder) {
    try {
      linkSync(aside, lockPath);
    } catch {
      // A newer lock exists already; the one we moved is lost, which can only delay its holder's release.
    }
  }
  rmSync(aside, { force: true });
}

function tighten(path: string, mode: number): void {
  try {
    const st = statSync(path);
    if ((st.mode & 0o777) !== mode) chmodSync(path, mode);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}

function corrupt(path: string, cause: unknown): AppError {
  const code = (cause as NodeJS.ErrnoException | undefined)?.code;
  const why =
    cause instanceof SyntaxError
      ? 'it is not valid JSON'
      : code === 'EACCES'
        ? 'permission denied'
        : code === 'EISDIR'
          ? 'it is a directory'
          : cause instanceof Error
            ? cause.message
            : String(cause);
  return new AppError('INTERNAL', `cannot read the profile store ${path}: ${why.split('\n', 1)[0]}`, {
    cause,
    hint: `fix or move the file away (it is never replaced automatically); profiles are re-created with 'astra-token org add'`,
  });
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const OPTIONAL_STRINGS = ['env', 'orgId', 'orgName', 'streamingApiUrl', 'streamingTenant', 'streamingCluster', 'updatedAt'] as const;

/** Strict: anything unexpected is reported with the path rather than dropped (and later overwritten). */
export function parseConfig(raw: unknown, path: string): { data: ConfigData; extra: Record<string, unknown> } {
  if (!isObject(raw)) throw corrupt(path, new Error('it does not hold a JSON object'));
  const { version, current, profiles = [], ...extra } = raw;
  if (version !== undefined && version !== STORE_VERSION) {
    throw corrupt(path, new Error(`it has version ${JSON.stringify(version)}, this astra-token understands version ${STORE_VERSION}`));
  }
  if (!Array.isArray(profiles)) throw corrupt(path, new Error('its "profiles" entry is not a list'));
  profiles.forEach((p: unknown, i) => {
    const bad = (what: string) => corrupt(path, new Error(`profile #${i + 1} ${what}`));
    if (!isObject(p)) throw bad('is not an object');
    for (const key of ['name', 'token', 'apiUrl'] as const) {
      if (typeof p[key] !== 'string' || p[key] === '') throw bad(`has no "${key}"`);
    }
    for (const key of OPTIONAL_STRINGS) {
      if (p[key] !== undefined && typeof p[key] !== 'string') throw bad(`has a "${key}" that is not a string`);
    }
  });
  if (current !== undefined && current !== null && typeof current !== 'string') {
    throw corrupt(path, new Error('its "current" entry is not a profile name'));
  }
  const list = (profiles as Profile[]).map((p) => ({ ...p }));
  const cur = typeof current === 'string' && list.some((p) => p.name === current) ? current : null;
  return { data: { version: 1, current: cur, profiles: list }, extra };
}
