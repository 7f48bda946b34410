// Everything a command touches, built once per invocation and handed to the verb's run function. Heavy pieces
// (the API client, the profile store) are created lazily so that `--help` and `--version` load none of them.
import { setMaxListeners } from 'node:events';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { DevOpsClient } from './api/client.js';
import { RouteKnowledge } from './api/route-knowledge.js';
import type { ApiSettings } from './api/index.js';
import { abortEarlyReads } from './startup/early.js';
import type { FetchLike, Transport } from './api/transport.js';
import { DEFAULT_TIMEOUT_MS, type GlobalOptions } from './global-options.js';
import { formatWait } from './domain/time.js';
import type { Credential } from './config/credentials.js';
import { cacheDir, configDir } from './config/paths.js';
import type { ConfigData, ProfileStore } from './config/store.js';
import type { Keyring } from './config/keyring.js';
import type { ProfileTokens } from './config/profile-tokens.js';
import type { IO, Streams } from './io.js';
import type { OutputMode } from './output/render.js';
import { redact } from './text/redact.js';
import { printable, terminalSafe } from './text/terminal.js';
import { VERSION } from './version.js';

export type TrappedSignal = 'SIGINT' | 'SIGTERM' | 'SIGHUP' | 'SIGQUIT';

/** What main() is given: the process's streams and environment, or test doubles. */
export interface Deps {
  streams: Streams;
  env: Record<string, string | undefined>;
  now?: () => Date;
  /** Tests pass globalThis.fetch (intercepted by msw); undici's fetch is used otherwise. */
  fetch?: FetchLike;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Aborted on SIGINT: commands stop starting new work. */
  signal?: AbortSignal;
  /**
   * Takes SIGINT, SIGTERM, SIGHUP and SIGQUIT over from the process edge until the returned release is called: while
   * trapped they neither abort `signal` nor end the process, they only reach `handler` (`token exec` forwards them to
   * its child). From the first call on, a write error on stdout or stderr no longer ends the process either. Absent in
   * tests that do not need it.
   */
  trapSignals?: (handler: (signal: TrappedSignal) => void) => () => void;
  homedir?: string;
  /** The OS keychain; tests pass an in-memory fake. */
  keyring?: Keyring;
}

/** The contract's global options, parsed once (their type is derived from their declaration). */
export type { GlobalOptions };

export interface Context {
  io: IO;
  env: Record<string, string | undefined>;
  globals: GlobalOptions;
  output: OutputMode;
  now(): Date;
  signal: AbortSignal;
  /** Redacted trace line on stderr when --debug is on. */
  debug(line: string): void;
  debugEnabled: boolean;
  /** The config directory (profiles); finding it loads nothing. */
  configDir(): string;
  /** The cache directory (names for shell completion); finding it loads nothing. */
  cacheDir(): string;
  store(): Promise<ProfileStore>;
  /** The profile store's contents (read fresh). */
  config(): Promise<ConfigData>;
  /** Where profile tokens live (keychain or file); the keychain binding loads only when a profile uses it. */
  tokens(): Promise<ProfileTokens>;
  credential(): Promise<Credential>;
  /** The API client for the active credential (one per invocation). */
  api(): Promise<DevOpsClient>;
  /**
   * Ends every request the verb started, the bin's early reads included, whether taken or not: main() calls it when the
   * verb has ended, in success or error, so a read still on the wire (the sibling of one that failed) neither keeps
   * the process alive until its timeout nor answers anyone.
   */
  endRequests(): void;
  /** A client for an explicit URL and token (e.g. validating a token before saving it). */
  apiFor(baseUrl: string, token: string): Promise<DevOpsClient>;
  /**
   * The settings every API client of this invocation shares (user agent, deadline, fetch, trace, Ctrl-C).
   * `interruptible: false` leaves out the Ctrl-C signal, for a request that must be made even after it (exec's revoke
   * of its own token once the command it ran has ended); the verb's end still ends it.
   */
  apiSettings(baseUrl: string, token: string, opts?: { interruptible?: boolean }): ApiSettings;
  timeoutMs: number;
  deps: Deps;
}

export function createContext(io: IO, globals: GlobalOptions, deps: Deps): Context {
  const debugEnabled = globals.debug || deps.env.ASTRA_TOKEN_DEBUG === '1';
  const timeoutMs = globals.timeout ?? DEFAULT_TIMEOUT_MS;
  const signal = deps.signal ?? new AbortController().signal;
  // The verb's requests: ended with the verb (endRequests), or by Ctrl-C.
  const verbEnded = new AbortController();
  const requestSignal = AbortSignal.any([signal, verbEnded.signal]);
  // Every request of a bulk verb listens to them (32 at once with --concurrency 32): no leak, no warning.
  setMaxListeners(0, verbEnded.signal, requestSignal);
  let store: ProfileStore | undefined;
  let tokens: Promise<ProfileTokens> | undefined;
  let credential: Promise<Credential> | undefined;
  let transport: Promise<Transport> | undefined;
  let client: Promise<DevOpsClient> | undefined;
  // Positive facts about the API's token routes, shared by every client of this invocation (see RouteKnowledge).
  const routes = new RouteKnowledge();

  const debug = (line: string) => {
    // Every trace line is redacted here, whoever wrote it: a secret must not reach a log by way of --debug.
    if (debugEnabled) io.errWrite(`${io.errColor.dim(`[debug] ${terminalSafe(redact(line))}`)}\n`);
  };

  // The active credential's transport: what the declared reads need, without the client, its schemas and zod.
  const ownTransport = () =>
    (transport ??= ctx.credential().then(async (cred) => {
      const { createTransport } = await import('./api/index.js');
      return createTransport(ctx.apiSettings(cred.apiUrl, cred.token));
    }));

  /**
   * A token from --token-file or ASTRA_DB_APPLICATION_TOKEN with no API chosen goes to the default API. When the
   * profile the user would otherwise be using points at another one, they are told once (stderr, also with -q: it
   * says where a credential is sent), with how to pick the other. Nothing is read unless a config file exists.
   */
  const noteOtherApi = async (apiUrl: string, wanted: string | undefined) => {
    if (!existsSync(join(ctx.configDir(), 'config.json'))) return;
    let profile: { name: string; apiUrl: string } | undefined;
    try {
      const config = await ctx.config();
      const name = wanted ?? config.current ?? undefined;
      profile = config.profiles.find((p) => p.name === name);
    } catch {
      return; // A config that cannot be read says nothing about this credential; commands that need it report it.
    }
    if (!profile || profile.apiUrl === apiUrl) return;
    io.warn(
      `the token from ${globals.tokenFile !== undefined ? '--token-file' : 'ASTRA_DB_APPLICATION_TOKEN'} is sent to ${apiUrl} (the default), not to ${profile.apiUrl} of profile '${printable(profile.name)}'; to use that API, set ASTRA_API_URL=${profile.apiUrl} or pass --api-url ${profile.apiUrl} (either also silences this note)`,
    );
  };

  const ctx: Context = {
    io,
    env: deps.env,
    globals,
    output: globals.json ? 'json' : io.isStdoutTTY ? 'table' : 'plain',
    now: deps.now ?? (() => new Date()),
    signal,
    debug,
    debugEnabled,
    timeoutMs,
    deps,
    configDir: () => configDir(deps.env, deps.homedir),
    cacheDir: () => cacheDir(deps.env, deps.homedir),
    async store() {
      if (!store) {
        // conf (and its validator) loads only for commands that really read or write profiles.
        const { ProfileStore } = await import('./config/store.js');
        store = new ProfileStore(ctx.configDir(), { warn: (message) => io.warn(message) });
      }
      return store;
    },
    async config() {
      return (await ctx.store()).read();
    },
    tokens() {
      tokens ??= (async () => {
        const [{ ProfileTokens }, { createOsKeyring }] = await Promise.all([
          import('./config/profile-tokens.js'),
          import('./config/keyring.js'),
        ]);
        let keyring = deps.keyring;
        return new ProfileTokens({
          keyring: () => (keyring ??= createOsKeyring(deps.env)),
          canPrompt: io.canPrompt(),
          reload: async (name) => (await ctx.config()).profiles.find((p) => p.name === name),
        });
      })();
      return tokens;
    },
    credential() {
      credential ??= (async () => {
        const { describeCredentialSource, explicitApiUrl, resolveCredential } = await import('./config/credentials.js');
        const cred = await resolveCredential(globals, {
          env: deps.env,
          config: async () => (await ctx.store()).read(),
          profileToken: async (profile) => (await ctx.tokens()).read(profile),
          readStdin: io.readStdin,
        });
        debug(`credential from ${cred.source}, API ${cred.apiUrl}`);
        // A profile asked for but outranked (contract order) is worth a word: the user may think it is in use.
        const wanted = globals.profile ?? (deps.env.ASTRA_PROFILE || undefined);
        if (wanted !== undefined && cred.profile === undefined) {
          const how = globals.profile !== undefined ? '--profile' : 'ASTRA_PROFILE';
          io.warn(`${how} '${printable(wanted)}' is not used: ${describeCredentialSource(cred.source)} takes precedence`);
        }
        if (cred.profile === undefined && explicitApiUrl(globals, deps.env) === undefined) await noteOtherApi(cred.apiUrl, wanted);
        return cred;
      })();
      return credential;
    },
    api() {
      client ??= (async () => {
        const own = await ownTransport();
        const { DevOpsClient } = await import('./api/client.js');
        return new DevOpsClient(own, routes);
      })();
      return client;
    },
    endRequests() {
      verbEnded.abort();
      abortEarlyReads();
    },
    async apiFor(baseUrl, token) {
      const { createApiClient } = await import('./api/index.js');
      return createApiClient(ctx.apiSettings(baseUrl, token));
    },
    apiSettings: (baseUrl, token, opts = {}) => ({
      baseUrl,
      token,
      userAgent: `astra-token/${VERSION}`,
      timeoutMs,
      fetch: deps.fetch,
      sleep: deps.sleep,
      signal: opts.interruptible === false ? verbEnded.signal : requestSignal,
      debug: debugEnabled ? debug : undefined,
      routes,
      // A person at a terminal is told why nothing seems to happen; a script's stderr is spared the noise.
      onWait: io.isStderrTTY ? (ms, why) => io.info(`waiting ${formatWait(ms)} before trying again: ${why}`) : undefined,
    }),
  };
  return ctx;
}

export type { OutputMode };
