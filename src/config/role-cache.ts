// Role names for shell completion: a small file that `role list` and `token list` refresh, so completing `--role`
// never makes a network call. Losing or failing to write it only costs completions. Read and written like the
// profile store: never through a symlink, never a FIFO, atomically.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { MAX_CONFIG_BYTES, readOwnFile, writeFileAtomic } from './safe-fs.js';

const FILE = 'role-names.json';

export function writeRoleCache(dir: string, names: readonly string[]): void {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    writeFileAtomic(join(dir, FILE), JSON.stringify({ names: [...new Set(names)].sort() }) + '\n', 0o600);
  } catch {
    // A read-only config dir must not fail the command that merely refreshes the cache.
  }
}

export function readRoleCache(dir: string): string[] {
  try {
    const file = readOwnFile(join(dir, FILE), MAX_CONFIG_BYTES);
    const data = JSON.parse(file?.text ?? '{}') as { names?: unknown };
    return Array.isArray(data.names) ? data.names.filter((n): n is string => typeof n === 'string') : [];
  } catch {
    return [];
  }
}
