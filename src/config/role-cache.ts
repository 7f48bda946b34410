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
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    writeFileAtomic(join(dir, file), JSON.stringify({ names: [...new Set(names)].sort() }) + '\n', 0o600);
  } catch {
    // A read-only config dir must not fail the command that merely refreshes the cache.
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
