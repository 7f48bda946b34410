// Reading and writing the tool's own files (the profile store, the emulator's state) on a machine that may be shared
// or broken: a planted symlink is never followed, a FIFO or device never read (nor waited on), a huge file never
// slurped, and a write is a new private file renamed into place, so a crash or a full disk leaves the old file whole.
import {
  closeSync,
  constants,
  fchmodSync,
  fstatSync,
  fsyncSync,
  openSync,
  readdirSync,
  readSync,
  renameSync,
  rmSync,
  writeSync,
  type Stats,
} from 'node:fs';
import { open } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** Why a file was not read: the caller turns it into its own message. */
export class UnsafeFileError extends Error {
  constructor(
    readonly path: string,
    readonly reason: string,
    /** `type`: not a regular file (a symlink, FIFO, device, directory); `size`: over its cap. */
    readonly problem: 'type' | 'size' = 'type',
  ) {
    super(`${path}: ${reason}`);
    this.name = 'UnsafeFileError';
  }
}

const MiB = 1024 * 1024;
export const MAX_CONFIG_BYTES = 1 * MiB;
export const MAX_TOKEN_FILE_BYTES = 1 * MiB;
export const MAX_STATE_BYTES = 64 * MiB;
/** `token audit --baseline`: an earlier `--json` report (some 600 bytes a token). */
export const MAX_BASELINE_BYTES = 64 * MiB;
/** `token audit --ignore-file`: a list of suppressions. */
export const MAX_IGNORE_FILE_BYTES = 1 * MiB;

export function describeSize(bytes: number): string {
  return bytes % MiB === 0 ? `${bytes / MiB} MiB` : `${bytes} bytes`;
}

/** What a non-regular file is, in words. */
export function kindOf(st: Stats): string {
  if (st.isDirectory()) return 'a directory';
  if (st.isFIFO()) return 'a FIFO (named pipe)';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'a device';
  if (st.isSocket()) return 'a socket';
  if (st.isSymbolicLink()) return 'a symbolic link';
  return 'not a regular file';
}

/**
 * The text of one of the tool's own files, or undefined when it does not exist. Opened without following a symlink
 * and without blocking (a FIFO opens at once and is then refused), checked to be a regular file no larger than
 * `maxBytes`, then read. Also returns the file's status (owner, mode) from the same open file.
 */
export function readOwnFile(path: string, maxBytes: number): { text: string; stat: Stats } | undefined {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    if (code === 'ELOOP') throw new UnsafeFileError(path, 'it is a symbolic link, which is never followed');
    throw err;
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw new UnsafeFileError(path, `it is ${kindOf(stat)}, not a regular file`);
    if (stat.size > maxBytes) throw new UnsafeFileError(path, `it is larger than ${describeSize(maxBytes)}`, 'size');
    return { text: readCapped(fd, maxBytes, path), stat };
  } finally {
    closeSync(fd);
  }
}

/**
 * The capped read behind readOwnFile (sync) and readUserFile (async): one buffer, one count, one cap. The cap holds
 * for what is really read, not for what fstat said (a file may grow, a pipe has no size).
 */
class CappedText {
  readonly buf: Buffer;
  private readonly chunks: Buffer[] = [];
  private size = 0;

  constructor(
    private readonly maxBytes: number,
    private readonly path: string,
  ) {
    this.buf = Buffer.alloc(Math.min(maxBytes + 1, 64 * 1024));
  }

  /** Takes the `n` bytes just read into `buf`; false at the end of the file. */
  take(n: number): boolean {
    if (n === 0) return false;
    this.size += n;
    if (this.size > this.maxBytes) throw new UnsafeFileError(this.path, `it is larger than ${describeSize(this.maxBytes)}`, 'size');
    this.chunks.push(Buffer.from(this.buf.subarray(0, n)));
    return true;
  }

  text(): string {
    return Buffer.concat(this.chunks).toString('utf8');
  }
}

function readCapped(fd: number, maxBytes: number, path: string): string {
  const capped = new CappedText(maxBytes, path);
  while (capped.take(readSync(fd, capped.buf, 0, capped.buf.length, null)));
  return capped.text();
}

/**
 * A file the user named, read asynchronously (a pipe may take its time, and Ctrl-C must still be heard meanwhile),
 * never more than `maxBytes` of it (`/dev/zero` and `/dev/urandom` end there), a directory refused.
 * `--token-file`: symlinks are followed and a pipe (`<(pass show x)`) is fine, since the user chose it.
 * `regularOnly` (files a CI job takes from a repository: `token audit --baseline`, `--ignore-file`): a symlink is never
 * followed (it is one commit away from pointing anywhere) and only a regular file is read, never a device or a FIFO.
 */
export async function readUserFile(path: string, maxBytes: number, opts: { regularOnly?: boolean } = {}): Promise<string> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(path, opts.regularOnly ? constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK : 'r');
  } catch (err) {
    if (opts.regularOnly && (err as NodeJS.ErrnoException).code === 'ELOOP') {
      throw new UnsafeFileError(path, 'it is a symbolic link, which is never followed');
    }
    throw err;
  }
  try {
    const stat = await handle.stat();
    if (stat.isDirectory()) throw Object.assign(new Error(`${path} is a directory`), { code: 'EISDIR' });
    if (opts.regularOnly) {
      if (!stat.isFile()) throw new UnsafeFileError(path, `it is ${kindOf(stat)}, not a regular file`);
      if (stat.size > maxBytes) throw new UnsafeFileError(path, `it is larger than ${describeSize(maxBytes)}`, 'size');
    }
    const capped = new CappedText(maxBytes, path);
    while (capped.take((await handle.read(capped.buf, 0, capped.buf.length, null)).bytesRead));
    return capped.text();
  } finally {
    await handle.close();
  }
}

/** Why a file the user named could not be read, in words for a one-line message. */
export function unreadableReason(err: unknown): string {
  if (err instanceof UnsafeFileError) return err.reason;
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES') return 'permission denied';
  if (code === 'EISDIR') return 'it is a directory';
  return 'unreadable';
}

const TEMP_SUFFIX = '.tmp';

/** `<name>.<pid>.<random>.tmp` beside the target: the pid tells a later writer whether its owner is gone. */
export function tempPathFor(path: string): string {
  // node:crypto (twenty internal modules) loads when a file is written, not with every command that reads one.
  const { randomBytes } = process.getBuiltinModule('node:crypto');
  return `${path}.${process.pid}.${randomBytes(6).toString('hex')}${TEMP_SUFFIX}`;
}

/**
 * Removes temp files a killed writer left beside `path` (they may hold a token): ours whose process is gone, and
 * any `atomically` temp (`<name>.tmp-…`, conf's writer before this one) when the caller holds the store's lock.
 */
export function removeStaleTemps(path: string, opts: { underLock?: boolean } = {}): void {
  const dir = dirname(path);
  const name = basename(path);
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return;
  }
  for (const entry of entries) {
    if (!entry.startsWith(`${name}.`)) continue;
    const rest = entry.slice(name.length + 1);
    const ours = /^(\d+)\.[0-9a-f]{12}\.tmp$/.exec(rest);
    const stale = ours ? !isRunning(Number(ours[1])) : opts.underLock === true && rest.startsWith('tmp-');
    if (stale) rmSync(join(dir, entry), { force: true });
  }
}

export function isRunning(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Replaces `path` with `data`: a new temp file in the same directory (exclusive create, never through a symlink,
 * exactly `mode`), written and flushed, then renamed over the target; the directory is flushed too. A failure at any
 * step removes the temp file and leaves the old file as it was.
 */
export function writeFileAtomic(path: string, data: string | Uint8Array, mode: number): void {
  const tmp = tempPathFor(path);
  const fd = openSync(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, mode);
  let renamed = false;
  try {
    try {
      // The mode given to open() is reduced by the umask; set it exactly.
      fchmodSync(fd, mode);
      const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
      let at = 0;
      while (at < bytes.length) at += writeSync(fd, bytes, at, bytes.length - at);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
    renamed = true;
  } finally {
    if (!renamed) rmSync(tmp, { force: true });
  }
  syncDir(dirname(path));
}

function syncDir(dir: string): void {
  try {
    const fd = openSync(dir, constants.O_RDONLY | constants.O_DIRECTORY);
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // Not every file system lets a directory be flushed; the rename itself is still atomic.
  }
}
