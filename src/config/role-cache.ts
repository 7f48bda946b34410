// Role and database names for shell completion: small files that `role list`/`token list` and `db list`/`token
// create --db` refresh, so completing `--role` or `--db` never makes a network call. Losing or failing to write them
// only costs completions.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const ROLES = 'role-names.json';
const DATABASES = 'db-names.json';

export const writeRoleCache = (dir: string, names: readonly string[]) => writeNames(dir, ROLES, names);
export const readRoleCache = (dir: string) => readNames(dir, ROLES);
export const writeDbCache = (dir: string, names: readonly string[]) => writeNames(dir, DATABASES, names);
export const readDbCache = (dir: string) => readNames(dir, DATABASES);

function writeNames(dir: string, file: string, names: readonly string[]): void {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const path = join(dir, file);
    const tmp = `${path}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify({ names: [...new Set(names)].sort() }) + '\n', { mode: 0o600 });
    renameSync(tmp, path);
  } catch {
    // A read-only config dir must not fail the command that merely refreshes the cache.
  }
}

function readNames(dir: string, file: string): string[] {
  try {
    const data = JSON.parse(readFileSync(join(dir, file), 'utf8')) as { names?: unknown };
    return Array.isArray(data.names) ? data.names.filter((n): n is string => typeof n === 'string') : [];
  } catch {
    return [];
  }
}
