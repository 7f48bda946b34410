// Role names for shell completion: a small file that `role list` and `token list` refresh, so completing `--role`
// never makes a network call. Losing or failing to write it only costs completions.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const FILE = 'role-names.json';

export function writeRoleCache(dir: string, names: readonly string[]): void {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const path = join(dir, FILE);
    const tmp = `${path}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify({ names: [...new Set(names)].sort() }) + '\n', { mode: 0o600 });
    renameSync(tmp, path);
  } catch {
    // A read-only config dir must not fail the command that merely refreshes the cache.
  }
}

export function readRoleCache(dir: string): string[] {
  try {
    const data = JSON.parse(readFileSync(join(dir, FILE), 'utf8')) as { names?: unknown };
    return Array.isArray(data.names) ? data.names.filter((n): n is string => typeof n === 'string') : [];
  } catch {
    return [];
  }
}
