// Files that receive secrets: created exclusively (never overwriting, never following a planted file) with mode 0600.
import { lstat, open, stat, unlink, type FileHandle } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { UsageError } from '../errors.js';
import { printable } from '../text/terminal.js';

/**
 * Checks, without creating anything, that `path` can become a new file: it must not exist (not even as a dangling
 * symlink) and its directory must exist. Run it before any request so a bad path fails before anything is created.
 */
export async function checkNewFile(path: string, flag: string): Promise<void> {
  const shown = printable(path, 200);
  if (path.trim() === '') throw new UsageError(`${flag}: the path must not be empty`);
  const existing = await lstat(path).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return undefined;
    throw new UsageError(`${flag}: cannot use ${shown}: ${reason(err)}`);
  });
  if (existing) {
    throw new UsageError(`${flag}: ${shown} already exists; it is never overwritten`, {
      hint: 'choose a new path or remove the file first',
    });
  }
  const dir = dirname(resolve(path));
  const parent = await stat(dir).catch(() => undefined);
  if (!parent?.isDirectory()) throw new UsageError(`${flag}: the directory ${printable(dir, 200)} does not exist`);
}

/** A file opened with O_CREAT|O_EXCL and mode 0600; removed again by `discard` if it is not going to be used. */
export class PrivateFile {
  private constructor(
    readonly path: string,
    private handle: FileHandle | undefined,
  ) {}

  static async create(path: string, flag: string): Promise<PrivateFile> {
    let handle: FileHandle;
    try {
      handle = await open(path, 'wx', 0o600);
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      if (e.code === 'EEXIST') throw new UsageError(`${flag}: ${printable(path, 200)} already exists; it is never overwritten`);
      throw new UsageError(`${flag}: cannot create ${printable(path, 200)}: ${reason(e)}`);
    }
    // The mode given to open() is reduced by the umask; set it exactly.
    await handle.chmod(0o600);
    return new PrivateFile(path, handle);
  }

  /** Writes the whole content, flushes it to disk and closes the file. */
  async write(content: string): Promise<void> {
    const handle = this.handle;
    if (!handle) throw new Error(`${this.path} is already closed`);
    this.handle = undefined;
    try {
      await handle.writeFile(content, 'utf8');
      await handle.sync();
    } catch (err) {
      // A half-written secret is worse than none: the caller says the token exists and how to revoke it.
      await handle.close().catch(() => undefined);
      await unlink(this.path).catch(() => undefined);
      throw err;
    }
    await handle.close();
  }

  /** Closes and removes the file (used when the secret it was reserved for was never created). */
  async discard(): Promise<void> {
    const handle = this.handle;
    if (!handle) return;
    this.handle = undefined;
    await handle.close().catch(() => undefined);
    await unlink(this.path).catch(() => undefined);
  }
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
