// Role and database names for shell completion: small files that `role list`/`token list` and `db list`/`token
// create --db` refresh, so completing `--role` or `--db` never makes a network call. Losing or failing to write them
// only costs completions. Read and written like the profile store: never through a symlink, never a FIFO, atomically.
// One file per org (`role-names.<org id>.json`), so that completion with one profile never offers another org's
// names. Only a saved profile's credential writes them: a token from ASTRA_DB_APPLICATION_TOKEN or --token-file has
// no profile whose org completion could later pick (and is typically a CI job's, where nobody completes anything).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Profile } from './store.js';
import { MAX_CONFIG_BYTES, readOwnFile, writeFileAtomic } from './safe-fs.js';

/**
 * Whose names: the profile's org id, or, for a profile saved without validation (org unknown), its token's client
 * id; undefined for no profile (or a value unfit for a file name: the config may have been edited by hand).
 */
export function nameCacheKey(profile: Pick<Profile, 'orgId' | 'clientId'> | undefined): string | undefined {
  const key = profile?.orgId ?? (profile?.clientId ? `client-${profile.clientId}` : undefined);
  return key !== undefined && /^[A-Za-z0-9-]{1,100}$/.test(key) ? key : undefined;
}

const roles = (key: string) => `role-names.${key}.json`;
const databases = (key: string) => `db-names.${key}.json`;

export const writeRoleCache = (dir: string, key: string | undefined, names: readonly string[]) => key && writeNames(dir, roles(key), names);
export const readRoleCache = (dir: string, key: string | undefined) => (key ? readNames(dir, roles(key)) : []);
export const writeDbCache = (dir: string, key: string | undefined, names: readonly string[]) =>
  key && writeNames(dir, databases(key), names);
export const readDbCache = (dir: string, key: string | undefined) => (key ? readNames(dir, databases(key)) : []);

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
