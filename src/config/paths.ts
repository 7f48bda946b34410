// Where the tool keeps its files. Separate from the store so that finding the directory loads no conf.
import { homedir } from 'node:os';
import { join } from 'node:path';

/** Caches (names for shell completion): `$XDG_CACHE_HOME/astra-token`, else `~/.cache/astra-token`. */
export function cacheDir(env: Record<string, string | undefined>, home: string = homedir()): string {
  if (env.XDG_CACHE_HOME) return join(env.XDG_CACHE_HOME, 'astra-token');
  return join(home, '.cache', 'astra-token');
}

/** `ASTRA_TOKEN_CONFIG_DIR`, else `$XDG_CONFIG_HOME/astra-token`, else `~/.config/astra-token`. */
export function configDir(env: Record<string, string | undefined>, home: string = homedir()): string {
  if (env.ASTRA_TOKEN_CONFIG_DIR) return env.ASTRA_TOKEN_CONFIG_DIR;
  if (env.XDG_CONFIG_HOME) return join(env.XDG_CONFIG_HOME, 'astra-token');
  return join(home, '.config', 'astra-token');
}
