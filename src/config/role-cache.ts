// Role and database names for shell completion: small files that `role list`/`token list` and `db list`/`token
// create --db` refresh, so completing `--role` or `--db` never makes a network call. Losing or failing to write them
// only costs completions. Read and written like the profile store: never through a symlink, never a FIFO, atomically.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { MAX_CONFIG_BYTES, readOwnFile, writeFileAtomic } from './safe-fs.js';

const ROLES = 'role-names.json';
const DATABASES = 'db-names.json';

export const writeRoleCache = (dir: string, names: readonly string[]) => writeNames(dir, ROLES, names);
export const readRoleCache = (dir: string) => readNames(dir, ROLES);
export const writeDbCache = (dir: string, names: readonly string[]) => writeNames(dir, DATABASES, names);
export const readDbCache = (dir: string) => readNames(dir, DATABASES);

function writeNames(dir: string, file: string, names: readonly string[]): void {
  try {
    const text = JSON.stringify({ names: [...new Set(names)].sort() }) + '\n';
    // Usually nothing changed since the last list: a read is cheaper than an atomic write and its two fsyncs.
    if (isCurrent(join(dir, file), text)) return;
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    writeFileAtomic(join(dir, file), text, 0o600);
  } catch {
    // A read-only config dir must not fail the command that merely refreshes the cache.
  }
}

/** The file already holds `text`, private: nothing to write. Anything odd (a symlink, a wide mode) is rewritten. */
function isCurrent(path: string, text: string): boolean {
  try {
    const current = readOwnFile(path, MAX_CONFIG_BYTES);
    return current !== undefined && current.text === text && (current.stat.mode & 0o077) === 0;
  } catch {
    return false;
  }
}

function readNames(dir: string, file: string): string[] {
  try {
    const text = readOwnFile(join(dir, file), MAX_CONFIG_BYTES)?.text;
    const data = JSON.parse(text ?? '{}') as { names?: unknown };
    return Array.isArray(data.names) ? data.names.filter((n): n is string => typeof n === 'string') : [];
  } catch {
    return [];
  }
}
