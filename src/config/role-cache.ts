// Role and database names for shell completion: small files that `role list`/`token list` and `db list`/`token
// create --db` refresh, so completing `--role` or `--db` never makes a network call. Losing or failing to write them
// only costs completions. They live in the cache directory (`$XDG_CACHE_HOME/astra-token`), not beside the profiles:
// a backup or a synced config directory has no use for them. Read and written like the profile store: never through
// a symlink, never a FIFO, atomically.
// One file per org (`role-names.<org id>.json`), so that completion with one profile never offers another org's
// names. Only a saved profile's credential writes them: a token from ASTRA_DB_APPLICATION_TOKEN or --token-file has
// no profile whose org completion could later pick (and is typically a CI job's, where nobody completes anything).
import { lstatSync, mkdirSync, readdirSync, unlinkSync } from 'node:fs';
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

/** Where the caches go, and the config directory earlier versions kept them in (cleaned up on the next write). */
export interface CachePlaces {
  cacheDir(): string;
  configDir(): string;
}

export const writeRoleCache = (places: CachePlaces, key: string | undefined, names: readonly string[]) =>
  key && writeNames(places, roles(key), names);
export const readRoleCache = (cacheDir: string, key: string | undefined) => (key ? readNames(cacheDir, roles(key)) : []);
export const writeDbCache = (places: CachePlaces, key: string | undefined, names: readonly string[]) =>
  key && writeNames(places, databases(key), names);
export const readDbCache = (cacheDir: string, key: string | undefined) => (key ? readNames(cacheDir, databases(key)) : []);

function writeNames(places: CachePlaces, file: string, names: readonly string[]): void {
  try {
    const dir = places.cacheDir();
    const text = JSON.stringify({ names: [...new Set(names)].sort() }) + '\n';
    // Usually nothing changed since the last list: a read is cheaper than an atomic write and its two fsyncs.
    if (isCurrent(join(dir, file), text)) return;
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    writeFileAtomic(join(dir, file), text, 0o600);
    dropLegacyCaches(places.configDir());
  } catch {
    // A read-only cache dir must not fail the command that merely refreshes the cache.
  }
}

/** The cache files earlier versions wrote into the config directory: `role-names[.<key>].json`, `db-names.<key>.json`. */
const LEGACY_CACHE = /^(?:role|db)-names(?:\.[A-Za-z0-9-]{1,100})?\.json$/;

/**
 * Removes those old caches (they are never read). Only names of that exact form, and only regular files or symlinks
 * (unlinking a symlink removes the link, never what it points to); anything else is left alone, errors are ignored.
 */
function dropLegacyCaches(configDir: string): void {
  let entries: string[];
  try {
    entries = readdirSync(configDir);
  } catch {
    return;
  }
  for (const name of entries.filter((n) => LEGACY_CACHE.test(n))) {
    try {
      const path = join(configDir, name);
      const stat = lstatSync(path);
      if (stat.isFile() || stat.isSymbolicLink()) unlinkSync(path);
    } catch {
      // Gone meanwhile, or not ours to remove: it is never read either way.
    }
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
