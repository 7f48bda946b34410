// The profile store: one file `<config dir>/config.json` (dir 0700, file 0600), with a lock file around every
// read-modify-write so that two processes adding profiles at once both survive. conf serialises and writes it, with
// our own writer under it (a new private temp file, flushed, renamed: atomic whatever the environment, where conf
// writes in place under SNAP). Reads never follow a symlink, never open a FIFO or device, never read without limit,
// and never change a mode; writes never add a permission and refuse a directory others could tamper with.
// The file is validated strictly on every read: a file we do not understand is reported, never replaced.
import Conf from 'conf';
import * as z from 'zod/mini';
import {
  accessSync,
  chmodSync,
  closeSync,
  constants,
  linkSync,
  mkdirSync,
  openSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
  type Stats,
} from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { AppError, UsageError } from '../errors.js';
import { printable } from '../text/terminal.js';
import { STORE_VERSION, configFileSchema, configProblem, type ConfigData, type Profile } from './config-schema.js';
import { MAX_CONFIG_BYTES, UnsafeFileError, isRunning, readOwnFile, removeStaleTemps, tempPathFor, writeFileAtomic } from './safe-fs.js';

// node:crypto (with the stream modules it pulls in) costs ~5 ms of start-up on Node 20: loaded when first used
// (docs/startup.md).
const crypto = () => process.getBuiltinModule('node:crypto');

export { clientIdOf, type ApiEnvironment, type ConfigData, type Profile, type TokenStorage } from './config-schema.js';

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
  // eslint-disable-next-line no-control-regex -- control characters are what this check looks for
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
  private readonly warn: (message: string) => void;
  private warned = false;
  /** The mode the next write gives the file: 0600, less what the user took away from the existing file. */
  private fileMode = 0o600;

  constructor(
    readonly dir: string,
    opts: { lockWaitMs?: number; warn?: (message: string) => void } = {},
  ) {
    this.path = join(dir, 'config.json');
    this.lockPath = `${this.path}.lock`;
    this.lockWaitMs = opts.lockWaitMs ?? LOCK_WAIT_MS;
    this.warn = opts.warn ?? (() => undefined);
  }

  /**
   * The whole configuration; an empty one when the file does not exist yet. Creates and changes nothing. A store
   * that someone else could have written (see `checkTrusted`) is refused, as ssh refuses such a ~/.ssh/config.
   */
  read(): ConfigData {
    return this.load('read').data;
  }

  /** Re-reads under the lock, applies `change`, and writes atomically. */
  update<R>(change: (data: ConfigData) => R): R {
    this.prepareDir();
    const release = this.lock();
    try {
      // A write killed before its rename left a temp file holding tokens: gone now.
      removeStaleTemps(this.path, { underLock: true });
      const { data, extra, stat } = this.load('write');
      this.fileMode = stat ? checkFileForWrite(this.path, stat) : 0o600;
      const result = change(data);
      // Keys a newer version may have added are carried over untouched.
      this.open().store = { ...extra, version: STORE_VERSION, current: data.current, profiles: data.profiles };
      return result;
    } finally {
      release();
    }
  }

  /** `write`: under update(), whose own checks (prepareDir, checkFileForWrite) say why a store cannot be written. */
  private load(purpose: 'read' | 'write'): { data: ConfigData; extra: Record<string, unknown>; stat?: Stats } {
    let file: ReturnType<typeof readOwnFile>;
    try {
      file = readOwnFile(this.path, MAX_CONFIG_BYTES);
    } catch (err) {
      throw corrupt(this.path, err);
    }
    if (!file) return { data: { version: STORE_VERSION, current: null, profiles: [] }, extra: {} };
    if (purpose === 'read') this.checkTrusted(file.stat);
    let raw: unknown;
    try {
      raw = JSON.parse(file.text);
    } catch (err) {
      throw corrupt(this.path, err);
    }
    const parsed = parseConfig(raw, this.path);
    if (purpose === 'read') this.warnIfReadable(file.stat, parsed.data);
    return { ...parsed, stat: file.stat };
  }

  /**
   * Whoever can write the config dir or config.json can point a profile's API URL at their own server and collect
   * its token with the next command: such a store is not used (exit 2), whatever the command.
   */
  private checkTrusted(file: Stats): void {
    let dir: Stats;
    try {
      dir = statSync(this.dir);
    } catch (err) {
      throw corrupt(this.path, err);
    }
    const dirUnsafe = unsafeOwnership(dir);
    const fileUnsafe = dirUnsafe ? undefined : unsafeOwnership(file);
    if (!dirUnsafe && !fileUnsafe) return;
    const [what, path, unsafe] = dirUnsafe ? ['the config directory', this.dir, dirUnsafe] : ['the profile store', this.path, fileUnsafe!];
    const mine = unsafe.startsWith('owned')
      ? `make it yours (chown) and private (chmod ${dirUnsafe ? '700' : '600'} ${path})`
      : `chmod go-w ${path}`;
    throw new UsageError(
      `refusing to use ${what} ${path}: it is ${unsafe}, so someone else could have changed its profiles (an API URL of theirs would collect the token)`,
      { hint: `check its contents, then ${mine}; or set ASTRA_TOKEN_CONFIG_DIR to a private directory` },
    );
  }

  /** A file others may read while it holds tokens is used, with one warning per invocation. */
  private warnIfReadable(file: Stats, data: ConfigData): void {
    if (this.warned || !process.getuid || (file.mode & 0o044) === 0) return;
    if (!data.profiles.some((p) => p.storage === 'file' && p.token)) return;
    this.warned = true;
    this.warn(
      `the profile store ${this.path} holds tokens and is readable by ${file.mode & 0o004 ? 'others' : 'its group'} (mode ${octal(file.mode)}): chmod 600 ${this.path}`,
    );
  }

  /**
   * Creates the directory 0700 if needed. One that another user owns, or that group or others may write to, is
   * refused as ssh refuses such a ~/.ssh: whoever can write there can swap the file. Read access for others is
   * taken away (never added); a directory the user made read-only is left so and reported.
   */
  private prepareDir(): void {
    try {
      mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    } catch (err) {
      throw new UsageError(`cannot create the config directory ${this.dir}: ${reason(err)}`, {
        cause: err,
        hint: 'set ASTRA_TOKEN_CONFIG_DIR to a private, writable directory',
      });
    }
    const st = statSync(this.dir);
    if (!st.isDirectory()) throw new UsageError(`the config directory ${this.dir} is not a directory`);
    const unsafe = unsafeOwnership(st);
    if (unsafe) {
      throw new UsageError(`refusing to store a token in ${this.dir}: it is ${unsafe}`, {
        hint: `use a directory only you can write (chmod 700 ${this.dir}), or set ASTRA_TOKEN_CONFIG_DIR`,
      });
    }
    if ((st.mode & 0o077) !== 0) {
      try {
        chmodSync(this.dir, st.mode & 0o700);
      } catch {
        // A root-owned directory we may not change; its mode was checked above.
      }
    }
    try {
      accessSync(this.dir, constants.W_OK | constants.X_OK);
    } catch (err) {
      throw new UsageError(`cannot write to the config directory ${this.dir}: ${reason(err)} (mode ${octal(st.mode)})`, {
        cause: err,
        hint: 'its permissions are never changed for you: make it writable (chmod u+w), or set ASTRA_TOKEN_CONFIG_DIR',
      });
    }
  }

  private open(): Conf<Record<string, unknown>> {
    if (this.conf) return this.conf;
    let conf: Conf<Record<string, unknown>>;
    try {
      conf = new Conf<Record<string, unknown>>({
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
    // conf's own writer writes in place when SNAP is set, and never flushes: ours goes under it. conf keeps its
    // serialisation and validation; `_write(value)` is where it hands the object to the file system.
    const writer = conf as unknown as { _write(value: unknown): void; _serialize(value: unknown): string };
    writer._write = (value) => writeFileAtomic(this.path, writer._serialize(value), this.fileMode);
    this.conf = conf;
    return conf;
  }

  /**
   * An exclusive lock file holding `<pid> <host> <nonce>`, made complete and then linked into place, so a lock file
   * is never seen empty while its owner lives. A lock that is empty, whose process is gone (checked on the same
   * host), or that is older than any write could take is broken at once; breaking renames it aside first, so two
   * processes cannot both break the same lock and then both believe they hold a fresh one.
   */
  private lock(): () => void {
    const nonce = `${process.pid} ${hostname()} ${crypto().randomBytes(8).toString('hex')}`;
    const deadline = Date.now() + this.lockWaitMs;
    removeStaleTemps(this.lockPath);
    for (;;) {
      if (this.tryLock(nonce)) {
        return () => {
          // Only remove the lock if it is still ours.
          if (readLock(this.lockPath) === nonce) rmSync(this.lockPath, { force: true });
        };
      }
      // Unreadable (released in between, or not a lock we understand): wait, within the deadline, like a live one.
      // A FIFO, symlink or directory there is no lock at all: nobody will ever release it, so say so at once.
      const holder = readLock(this.lockPath, { refuseNonRegular: true });
      if (holder !== undefined && isStale(this.lockPath, holder)) {
        breakLock(this.lockPath, holder);
        continue;
      }
      if (Date.now() > deadline) {
        // Another process holds it, or a file that is no lock sits there: either way the user's to resolve.
        throw new UsageError(`the profile store is locked by another astra-token process (${this.lockPath})`, {
          hint: `if no other astra-token is running, remove ${this.lockPath}`,
        });
      }
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, LOCK_POLL_MS);
    }
  }

  private tryLock(nonce: string): boolean {
    const tmp = tempPathFor(this.lockPath);
    try {
      const fd = openSync(tmp, 'wx', 0o600);
      try {
        writeSync(fd, nonce);
      } finally {
        closeSync(fd);
      }
      linkSync(tmp, this.lockPath);
      return true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw new AppError('INTERNAL', `cannot lock the profile store ${this.path}: ${reason(err)}`, { cause: err });
    } finally {
      rmSync(tmp, { force: true });
    }
  }
}

function readLock(lockPath: string, opts: { refuseNonRegular?: boolean } = {}): string | undefined {
  try {
    // Never through a symlink, never a FIFO: a lock is a small regular file.
    return readOwnFile(lockPath, 4096)?.text;
  } catch (err) {
    if (opts.refuseNonRegular && err instanceof UnsafeFileError && err.problem === 'type') {
      throw new UsageError(`the profile store's lock file ${lockPath} is not a lock: ${err.reason}`, {
        hint: `no astra-token makes such a file: remove it (rm ${lockPath}) and run the command again`,
      });
    }
    return undefined;
  }
}

function isStale(lockPath: string, holder: string): boolean {
  // Locks are linked into place complete: an empty one was left by a process killed while making it.
  if (holder.trim() === '') return true;
  const [pidText, host] = holder.split(' ');
  const pid = Number(pidText);
  if (host === hostname() && Number.isInteger(pid) && pid > 0 && pid !== process.pid && !isRunning(pid)) return true;
  try {
    return Date.now() - statSync(lockPath).mtimeMs > LOCK_STALE_MS;
  } catch {
    return false;
  }
}

/** Moves the stale lock aside; if what was moved turns out to be someone's fresh lock, it is put back. */
function breakLock(lockPath: string, staleHolder: string): void {
  const aside = `${lockPath}.${process.pid}.${crypto().randomBytes(4).toString('hex')}`;
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

/** "owned by another user (uid 1000)", "writable by group or others (mode 0777)", or undefined when safe. */
function unsafeOwnership(st: Stats): string | undefined {
  const uid = process.getuid?.();
  if (uid === undefined) return undefined; // Windows: ACLs, not modes
  if (st.uid !== uid && st.uid !== 0) return `owned by another user (uid ${st.uid})`;
  if ((st.mode & 0o022) !== 0) return `writable by group or others (mode ${octal(st.mode)})`;
  return undefined;
}

/** The existing file may be replaced: the mode of its successor, never adding a permission. */
function checkFileForWrite(path: string, st: Stats): number {
  const unsafe = unsafeOwnership(st);
  if (unsafe) {
    throw new UsageError(`refusing to store a token in ${path}: it is ${unsafe}`, {
      hint: `move it away (profiles are re-created with 'astra-token org add'), or set ASTRA_TOKEN_CONFIG_DIR`,
    });
  }
  if (process.getuid && (st.mode & 0o200) === 0) {
    throw new UsageError(`the profile store ${path} is read-only (mode ${octal(st.mode)}); it is not changed`, {
      hint: 'its permissions are never changed for you: make it writable (chmod u+w) to save profiles',
    });
  }
  return st.mode & 0o600;
}

const octal = (mode: number) => `0${(mode & 0o777).toString(8).padStart(3, '0')}`;

function reason(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EROFS') return 'read-only file system';
  if (code === 'ENOSPC') return 'no space left on the device';
  return err instanceof Error ? err.message : String(err);
}

/**
 * The store could not be read. A file that is not a regular file, is too large, or may not be read is the user's
 * environment to fix (exit 2); a file whose content is not a profile store is reported as corrupt (exit 1).
 */
function corrupt(path: string, cause: unknown): AppError {
  const code = (cause as NodeJS.ErrnoException | undefined)?.code;
  const why =
    cause instanceof UnsafeFileError
      ? cause.reason
      : cause instanceof SyntaxError
        ? 'it is not valid JSON'
        : code === 'EACCES'
          ? 'permission denied'
          : code === 'EISDIR'
            ? 'it is a directory'
            : cause instanceof Error
              ? cause.message
              : String(cause);
  const message = `cannot read the profile store ${path}: ${why.split('\n', 1)[0]}`;
  const elsewhere = 'or set ASTRA_TOKEN_CONFIG_DIR to a private directory';
  if (cause instanceof UnsafeFileError) {
    const hint =
      cause.problem === 'size'
        ? `a profile store is a few kilobytes: move this file away (profiles are re-created with 'astra-token org add'), ${elsewhere}`
        : `the profile store must be a regular file: move it away, ${elsewhere}`;
    return new UsageError(message, { cause, hint });
  }
  if (code === 'EACCES' || code === 'EISDIR') {
    return new UsageError(message, { cause, hint: `make it a file you may read (chmod u+r), ${elsewhere}` });
  }
  return new AppError('INTERNAL', message, {
    cause,
    hint: `fix or move the file away (it is never replaced automatically); profiles are re-created with 'astra-token org add'`,
  });
}

/** Strict: anything unexpected is reported with the path rather than dropped (and later overwritten). */
export function parseConfig(raw: unknown, path: string): { data: ConfigData; extra: Record<string, unknown> } {
  const parsed = z.safeParse(configFileSchema, raw);
  if (!parsed.success) throw corrupt(path, new Error(configProblem(parsed.error.issues)));
  const { version: _version, current, profiles: parsedProfiles, ...extra } = parsed.data;
  // zod lists the keys it knows first: keep the file's own order, so that a rewrite changes only what changed.
  const rawProfiles = (raw as { profiles?: object[] }).profiles;
  const profiles = parsedProfiles.map((p, i): Profile => ({ ...rawProfiles?.[i], ...p }));
  const cur = typeof current === 'string' && profiles.some((p) => p.name === current) ? current : null;
  return { data: { version: STORE_VERSION, current: cur, profiles }, extra };
}
