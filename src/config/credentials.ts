// Which credential, which API: resolved in exactly one place, in the contract's order.
import { isLoopback } from '../domain/loopback.js';
import { DEFAULT_API_URL } from '../startup/early.js';
import { AppError, UsageError } from '../errors.js';
import { printable } from '../text/terminal.js';
import { requireAstraToken } from '../domain/token-format.js';
import { closestNames } from '../domain/suggest.js';
import type { GlobalOptions } from '../global-options.js';
import type { ApiEnvironment, ConfigData, Profile } from './store.js';
import { MAX_TOKEN_FILE_BYTES, readUserFile, unreadableReason } from './safe-fs.js';

export const API_URLS: Readonly<Record<ApiEnvironment, string>> = {
  prod: DEFAULT_API_URL,
  dev: 'https://api.dev.cloud.datastax.com',
  test: 'https://api.test.cloud.datastax.com',
};

/** The global options that choose the credential and the API, typed by their declaration. */
export type CredentialInputs = Pick<GlobalOptions, 'tokenFile' | 'profile' | 'apiUrl' | 'env'>;

export type CredentialSource = 'token-file' | 'env' | `profile:${string}`;

export interface Credential {
  token: string;
  source: CredentialSource;
  /** The saved profile the token came from, if any. */
  profile?: Profile;
  apiUrl: string;
}

export interface ResolveDeps {
  env: Record<string, string | undefined>;
  /** Reads the profile store lazily: a token from a file or the environment never touches it. */
  config: () => ConfigData | Promise<ConfigData>;
  /** A saved profile's token, from the keychain or the file. */
  profileToken: (profile: Profile) => Promise<string>;
  readStdin: () => Promise<string>;
}

/** `--token-file`, then `ASTRA_DB_APPLICATION_TOKEN`, then `--profile`/`ASTRA_PROFILE`, then the current profile. */
export async function resolveCredential(inputs: CredentialInputs, deps: ResolveDeps): Promise<Credential> {
  const explicitUrl = explicitApiUrl(inputs, deps.env);
  if (inputs.tokenFile !== undefined) {
    const token = await readTokenFile(inputs.tokenFile, deps.readStdin);
    return { token, source: 'token-file', apiUrl: explicitUrl ?? API_URLS.prod };
  }
  const envToken = deps.env.ASTRA_DB_APPLICATION_TOKEN;
  if (envToken !== undefined && envToken !== '') {
    const token = requireAstraToken(envToken, 'ASTRA_DB_APPLICATION_TOKEN');
    return { token, source: 'env', apiUrl: explicitUrl ?? API_URLS.prod };
  }
  const config = await deps.config();
  const wanted = inputs.profile ?? (deps.env.ASTRA_PROFILE || undefined);
  const name = wanted ?? config.current;
  if (name === null || name === undefined) {
    if (config.profiles.length > 0) {
      throw new AppError('UNAUTHENTICATED', 'no credential found: no profile is current', {
        hint: `pick one with \`astra-token org switch <name>\` or --profile <name> (saved: ${config.profiles.map((p) => `'${printable(p.name)}'`).join(', ')}), set ASTRA_DB_APPLICATION_TOKEN, or pass --token-file <path>`,
      });
    }
    throw new AppError('UNAUTHENTICATED', 'no credential found', {
      hint: 'save one with `astra-token org add <name>`, set ASTRA_DB_APPLICATION_TOKEN, or pass --token-file <path>',
    });
  }
  const profile = findProfile(config, name);
  // The file may have been edited by hand: a stored http URL to a remote host is refused like a typed one.
  const apiUrl = explicitUrl ?? checkApiUrl(profile.apiUrl, `the API URL of profile '${printable(profile.name)}'`);
  const token = requireAstraToken(await deps.profileToken(profile), `profile '${printable(profile.name)}'`);
  return { token, source: `profile:${profile.name}`, profile, apiUrl };
}

/** The known environment an API URL belongs to, if any. */
export function environmentOf(apiUrl: string): ApiEnvironment | undefined {
  return (Object.keys(API_URLS) as ApiEnvironment[]).find((env) => API_URLS[env] === apiUrl);
}

/** A profile by exact name; exit 5 naming the known ones (and a close match) otherwise. */
export function findProfile(config: ConfigData, name: string): Profile {
  const profile = config.profiles.find((p) => p.name === name);
  if (profile) return profile;
  const names = config.profiles.map((p) => p.name);
  const close = closestNames(name, names, 1);
  throw new AppError('NOT_FOUND', `no profile named '${printable(name)}'`, {
    hint: names.length
      ? `${close.length ? `did you mean '${printable(close[0]!)}'? ` : ''}known profiles: ${names.map((n) => `'${printable(n)}'`).join(', ')}`
      : 'no profiles are saved yet; add one with `astra-token org add <name>`',
  });
}

/** `--api-url`, else `--env`, else `ASTRA_API_URL`; undefined when none was given. */
export function explicitApiUrl(inputs: CredentialInputs, env: Record<string, string | undefined>): string | undefined {
  if (inputs.apiUrl !== undefined && inputs.env !== undefined) {
    throw new UsageError('--api-url and --env both pick the API; give one of them');
  }
  if (inputs.apiUrl !== undefined) return checkApiUrl(inputs.apiUrl, '--api-url');
  if (inputs.env !== undefined) return API_URLS[inputs.env];
  if (env.ASTRA_API_URL) return checkApiUrl(env.ASTRA_API_URL, 'ASTRA_API_URL');
  return undefined;
}

/** A token must never cross the network in clear: http is only for loopback (the emulator). */
export function checkApiUrl(value: string, where: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`${where}: '${printable(value)}' is not a URL; use e.g. https://api.astra.datastax.com`);
  }
  if (url.username || url.password) throw new UsageError(`${where}: credentials in the URL are not allowed`);
  if (url.protocol === 'https:') return stripSlash(url);
  if (url.protocol === 'http:' && isLoopback(url.hostname)) return stripSlash(url);
  if (url.protocol === 'http:') {
    throw new UsageError(
      `${where}: refusing plain http to ${url.hostname}: a token must not cross the network in clear (use https; http is allowed only for loopback)`,
    );
  }
  throw new UsageError(`${where}: unsupported scheme '${url.protocol}'; use https://`);
}

function stripSlash(url: URL): string {
  return url.toString().replace(/\/+$/, '');
}

/** `--token-file <path>` (`-` = stdin), format-checked. */
export async function readTokenFile(path: string, readStdin: () => Promise<string>): Promise<string> {
  if (path === '-') return requireAstraToken(await readStdin(), 'standard input');
  return requireAstraToken(await readTokenFileText(path), `--token-file ${printable(path, 200)}`);
}

/** The text of a `--token-file`, unchecked (`token inspect` diagnoses it); a clear usage error when unreadable. */
export async function readTokenFileText(path: string): Promise<string> {
  try {
    return await readUserFile(path, MAX_TOKEN_FILE_BYTES);
  } catch (err) {
    throw new UsageError(`--token-file: cannot read ${printable(path, 200)}: ${unreadableReason(err)}`);
  }
}

/** Where a credential came from, in words a user recognises: `ASTRA_DB_APPLICATION_TOKEN`, `--token-file x`, `profile 'p'`. */
export function describeCredentialSource(source: string, tokenFile?: string): string {
  if (source === 'env') return 'ASTRA_DB_APPLICATION_TOKEN';
  if (source === 'token-file') return tokenFile ? `--token-file ${printable(tokenFile, 200)}` : '--token-file';
  if (source.startsWith('profile:')) return `profile '${printable(source.slice('profile:'.length))}'`;
  return source;
}
