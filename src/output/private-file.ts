// Files that receive secrets: created exclusively (never following a planted file) with mode 0600. Without
// `overwrite` an existing file is refused; with it, the secret goes to a new temp file beside it (same guarantees)
// that is renamed over the old one once written and flushed, so a reader sees the old file or the new, never half.
import { constants } from 'node:fs';
import { lstat, open, rename, stat, unlink, type FileHandle } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { removeStaleTemps, tempPathFor } from '../config/safe-fs.js';
import { UsageError } from '../errors.js';
import { printable } from '../text/terminal.js';

/**
 * Checks, without creating anything, that `path` can receive the secret: it must not exist (not even as a dangling
 * symlink) unless `overwrite`, when it may be a regular file (never a symlink or a directory); its directory must
 * exist. Run it before any request so a bad path fails before anything is created.
 */
export async function checkNewFile(path: string, flag: string, overwrite = false): Promise<void> {
  const shown = printable(path, 200);
  if (path.trim() === '') throw new UsageError(`${flag}: the path must not be empty`);
  const existing = await lstat(path).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return undefined;
    throw new UsageError(`${flag}: cannot use ${shown}: ${reason(err)}`);
  });
  if (existing && !overwrite) {
    throw new UsageError(`${flag}: ${shown} already exists; it is never overwritten`, {
      hint: 'choose a new path or remove the file first',
    });
  }
  if (existing && !existing.isFile()) {
    throw new UsageError(
      `${flag}: ${shown} is ${existing.isSymbolicLink() ? 'a symbolic link' : 'not a regular file'}; --overwrite replaces only a regular file`,
    );
  }
  const dir = dirname(resolve(path));
  const parent = await stat(dir).catch(() => undefined);
  if (!parent?.isDirectory()) throw new UsageError(`${flag}: the directory ${printable(dir, 200)} does not exist`);
}

/**
 * A file opened with O_CREAT|O_EXCL|O_NOFOLLOW and mode 0600; removed again by `discard` if it is not going to be used.
 * With `overwrite`, that file is a temp file beside `path`, renamed over it by `write`.
 */
export class PrivateFile {
  private constructor(
    readonly path: string,
    private handle: FileHandle | undefined,
    /** Where the bytes go first: `path` itself, or the temp file that replaces it. */
    private readonly target: string,
  ) {}

  static async create(path: string, flag: string, overwrite = false): Promise<PrivateFile> {
    // A temp file a killed run left beside the target may hold a token: gone before a new one is made.
    if (overwrite) removeStaleTemps(resolve(path));
    const target = overwrite ? tempPathFor(path) : path;
    let handle: FileHandle;
    try {
      handle = await open(target, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600);
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      if (e.code === 'EEXIST') throw new UsageError(`${flag}: ${printable(path, 200)} already exists; it is never overwritten`);
      throw new UsageError(`${flag}: cannot create ${printable(target, 200)}: ${reason(e)}`);
    }
    // The mode given to open() is reduced by the umask; set it exactly.
    await handle.chmod(0o600);
    return new PrivateFile(path, handle, target);
  }

  /** Writes the whole content, flushes it to disk and closes the file. */
  async write(content: string): Promise<void> {
    const handle = this.handle;
    if (!handle) throw new Error(`${this.path} is already closed`);
    this.handle = undefined;
    try {
      await handle.writeFile(content, 'utf8');
      await handle.sync();
      await handle.close();
      if (this.target !== this.path) await rename(this.target, this.path);
    } catch (err) {
      // A half-written secret is worse than none: the caller says the token exists and how to revoke it.
      await handle.close().catch(() => undefined);
      await unlink(this.target).catch(() => undefined);
      throw err;
    }
    if (this.target !== this.path) await syncDir(dirname(resolve(this.path)));
  }

  /** Closes and removes the file (used when the secret it was reserved for was never created). */
  async discard(): Promise<void> {
    const handle = this.handle;
    if (!handle) return;
    this.handle = undefined;
    await handle.close().catch(() => undefined);
    await unlink(this.target).catch(() => undefined);
  }
}

/** Flushes a rename to disk; not every file system lets a directory be flushed, and the rename is atomic anyway. */
async function syncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r').catch(() => undefined);
  if (!handle) return;
  await handle.sync().catch(() => undefined);
  await handle.close().catch(() => undefined);
}

function reason(err: NodeJS.ErrnoException): string {
  switch (err.code) {
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ENOENT':
      return 'no such directory';
    case 'ENOTDIR':
      return 'a part of the path is not a directory';
    case 'EISDIR':
      return 'it is a directory';
    case undefined:
      return err.message;
    default:
      return err.code ?? err.message;
  }
}
