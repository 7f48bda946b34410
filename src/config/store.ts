// The profile store: one file `<config dir>/config.json` (dir 0700, file 0600), written atomically through conf,
// with a lock file around every read-modify-write so that two processes adding profiles at once both survive.
import Conf from 'conf';
import { chmodSync, closeSync, mkdirSync, openSync, rmSync, statSync, writeSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { AppError } from '../errors.js';

export type ApiEnvironment = 'prod' | 'dev' | 'test';

export interface Profile {
  name: string;
  token: string;
  apiUrl: string;
  env?: ApiEnvironment;
  orgId?: string;
  orgName?: string;
  streamingApiUrl?: string;
  /** ISO instant of the last write of this profile. */
  updatedAt: string;
}

export interface ConfigData {
  version: 1;
  current: string | null;
  /** An array, not a map: profile names are arbitrary strings and never key paths. */
  profiles: Profile[];
}

const LOCK_WAIT_MS = 10_000;
const LOCK_STALE_MS = 30_000;

/** `ASTRA_TOKEN_CONFIG_DIR`, else `$XDG_CONFIG_HOME/astra-token`, else `~/.config/astra-token`. */
export function configDir(env: Record<string, string | undefined>, home: string = homedir()): string {
  if (env.ASTRA_TOKEN_CONFIG_DIR) return env.ASTRA_TOKEN_CONFIG_DIR;
  if (env.XDG_CONFIG_HOME) return join(env.XDG_CONFIG_HOME, 'astra-token');
  return join(home, '.config', 'astra-token');
}

export class ProfileStore {
  readonly path: string;
  private conf?: Conf<Record<string, unknown>>;

  constructor(readonly dir: string) {
    this.path = join(dir, 'config.json');
  }

  /** The whole configuration; an empty one when the file does not exist yet. */
  read(): ConfigData {
    try {
      return normalise(this.open().store, this.path);
    } catch (err) {
      if (err instanceof AppError) throw err;
      throw corrupt(this.path, err);
    }
  }

  /** Re-reads under the lock, applies `change`, writes atomically, and re-tightens the modes. */
  update<R>(change: (data: ConfigData) => R): R {
    this.ensureDir();
    const release = this.lock();
    try {
      const data = this.read();
      const result = change(data);
      this.open().store = data as unknown as Record<string, unknown>;
      chmodSync(this.path, 0o600);
      return result;
    } finally {
      release();
    }
  }

  /** Tightens permissions someone loosened; called on every open. */
  private ensureDir(): void {
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    tighten(this.dir, 0o700);
    tighten(this.path, 0o600);
  }

  private open(): Conf<Record<string, unknown>> {
    if (this.conf) return this.conf;
    this.ensureDir();
    try {
      this.conf = new Conf<Record<string, unknown>>({
        cwd: this.dir,
        configName: 'config',
        projectName: 'astra-token',
        projectSuffix: '',
        configFileMode: 0o600,
        accessPropertiesByDotNotation: false,
        clearInvalidConfig: false,
      });
    } catch (err) {
      throw corrupt(this.path, err);
    }
    return this.conf;
  }

  private lock(): () => void {
    const lockPath = `${this.path}.lock`;
    const deadline = Date.now() + LOCK_WAIT_MS;
    for (;;) {
      try {
        const fd = openSync(lockPath, 'wx', 0o600);
        writeSync(fd, String(process.pid));
        closeSync(fd);
        return () => rmSync(lockPath, { force: true });
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
        if (isStale(lockPath)) {
          rmSync(lockPath, { force: true });
          continue;
        }
        if (Date.now() > deadline) {
          throw new AppError('INTERNAL', `the profile store is locked by another astra-token process (${lockPath})`, {
            hint: `if no other astra-token is running, remove ${lockPath}`,
          });
        }
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 15);
      }
    }
  }
}

function isStale(lockPath: string): boolean {
  try {
    return Date.now() - statSync(lockPath).mtimeMs > LOCK_STALE_MS;
  } catch {
    return false;
  }
}

function tighten(path: string, mode: number): void {
  try {
    const st = statSync(path);
    if ((st.mode & 0o777) !== mode) chmodSync(path, mode);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}

function corrupt(path: string, cause: unknown): AppError {
  const why = cause instanceof SyntaxError ? 'it is not valid JSON' : cause instanceof Error ? cause.message : String(cause);
  return new AppError('INTERNAL', `cannot read the profile store ${path}: ${why.split('\n', 1)[0]}`, {
    cause,
    hint: `fix or move the file away (it is never replaced automatically); profiles are re-created with 'astra-token org add'`,
  });
}

function normalise(raw: unknown, path: string): ConfigData {
  const obj = (raw ?? {}) as Partial<ConfigData>;
  const profiles = obj.profiles ?? [];
  if (!Array.isArray(profiles) || profiles.some((p) => !p || typeof p.name !== 'string' || typeof p.token !== 'string')) {
    throw corrupt(path, new Error('its "profiles" entry is not a list of profiles'));
  }
  const current = typeof obj.current === 'string' && profiles.some((p) => p.name === obj.current) ? obj.current : null;
  return { version: 1, current, profiles: profiles.map((p) => ({ ...p })) };
}
