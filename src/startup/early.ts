// The reads a list verb needs, sent by the bin before the bundle is even imported: loading the CLI's code (commander,
// zod, undici, the verb) then happens while the requests are on the wire, so at real latency it costs nothing. This
// module is the bundle's second entry (dist/early.js) and imports only node built-ins and two tiny domain modules.
//
// It only ever guesses, and it stands aside whenever the guess could differ from what the CLI would do: the
// credential comes from ASTRA_DB_APPLICATION_TOKEN only (well formed, nothing on the command line that picks another
// credential or another API), the API from ASTRA_API_URL or the default, https unless the host is loopback, no proxy
// variable set for a remote host. The CLI's transport takes an early read only when its own base URL, token and
// timeout are the same (takeEarlyRead); whatever is not taken is aborted when the verb ends (abortEarlyReads).
// The token stays in this process's memory: it is sent in the Authorization header, as the CLI's own requests do.
import type { ClientRequest, IncomingMessage, RequestOptions } from 'node:http';
import { isLoopback, LOCALHOST_ADDRESSES } from '../domain/loopback.js';
import { ASTRA_TOKEN_PATTERN } from '../domain/token-format.js';
import { VERSION } from '../version.js';

/** The API used when nothing names another (credentials.ts takes it from here). */
export const DEFAULT_API_URL = 'https://api.astra.datastax.com';

/** The reads of each verb that has some, by its command words: its declaration names them from here. */
export const VERB_READS = {
  'token list': ['tokens', 'roles'],
  'token audit': ['tokens', 'roles'],
  'role list': ['roles'],
  'db list': ['databases'],
} as const satisfies Record<string, readonly ApiRead[]>;

// The paths of the reads a verb may start before its code is loaded, by name.
export const API_READS = {
  tokens: '/v2/tokens',
  roles: '/v2/organizations/roles',
  // The first page of the default listing, as listDatabases asks for it.
  databases: '/v2/databases?limit=100',
} as const;

export type ApiRead = keyof typeof API_READS;

/** An early read's complete answer: what the transport's first attempt would have read. */
export interface EarlyAnswer {
  status: number;
  headers: { get(name: string): string | null };
  text: string;
}

export interface EarlyRead {
  /** Milliseconds after the process started that the request left. */
  sentAt: number;
  answer: Promise<EarlyAnswer>;
  abort(): void;
}

/** The read did not answer within the timeout the CLI would have used. */
export class EarlyTimeout extends Error {}
/** The answer was larger than the transport accepts. */
export class EarlyTooLarge extends Error {}

/** The transport's default body cap: an answer beyond it is refused the same way either path. */
export const EARLY_MAX_BODY_BYTES = 16 * 1024 * 1024;

interface Pending extends EarlyRead {
  baseUrl: string;
  token: string;
  timeoutMs: number;
}
const pending = new Map<string, Pending>();

// Global options that change nothing about the credential, the API or the requests; a value-taking one is listed
// with `true`. Anything else before the verb, or any of CREDENTIAL_FLAGS anywhere, and the early path stands aside.
const HARMLESS_GLOBALS: Record<string, boolean> = {
  '--json': false,
  '--no-color': false,
  '--no-input': false,
  '-q': false,
  '--quiet': false,
  '--debug': false,
  '--timeout': true,
};
const CREDENTIAL_FLAGS = /^(-p|--profile|--token-file|--with-token|--api-url|--env|-h|--help|--)(=|$)/;
const SHORTCUTS: Record<string, string> = { list: 'token list', audit: 'token audit' };

/** The verb's command words in argv when the early path may act, and the --timeout given (seconds), if any. */
export function earlyVerb(argv: readonly string[]): { verb: keyof typeof VERB_READS; timeout?: string } | undefined {
  if (argv.some((a) => CREDENTIAL_FLAGS.test(a))) return undefined;
  let timeout: string | undefined;
  let i = 0;
  for (; i < argv.length && argv[i]!.startsWith('-'); i++) {
    const [flag, inline] = argv[i]!.split(/=(.*)/s, 2) as [string, string | undefined];
    const takesValue = HARMLESS_GLOBALS[flag];
    if (takesValue === undefined || (!takesValue && inline !== undefined)) return undefined;
    if (takesValue) timeout = inline ?? argv[++i];
  }
  const first = argv[i];
  const shortcut = first !== undefined && first in SHORTCUTS;
  const words = shortcut ? SHORTCUTS[first]! : `${first} ${argv[i + 1]}`;
  if (!(words in VERB_READS)) return undefined;
  // After the verb, the same harmless globals only: a verb's own flags are checked before any request is sent.
  for (i += shortcut ? 1 : 2; i < argv.length; i++) {
    const [flag, inline] = argv[i]!.split(/=(.*)/s, 2) as [string, string | undefined];
    const takesValue = HARMLESS_GLOBALS[flag];
    if (takesValue === undefined || (!takesValue && inline !== undefined)) return undefined;
    if (takesValue) timeout = inline ?? argv[++i];
  }
  return { verb: words as keyof typeof VERB_READS, timeout };
}

/** --timeout as the CLI reads it (seconds, more than 0, at most 3600); undefined when the CLI would refuse it. */
function timeoutMsOf(value: string | undefined): number | undefined {
  if (value === undefined) return 30_000;
  if (!/^\d+(\.\d+)?$/.test(value)) return undefined;
  const seconds = Number(value);
  return seconds > 0 && seconds <= 3600 ? Math.round(seconds * 1000) : undefined;
}

/** The API base URL the CLI would use with an environment credential, or undefined when it would refuse it. */
function apiUrlOf(env: Record<string, string | undefined>): URL | undefined {
  const value = env.ASTRA_API_URL || DEFAULT_API_URL;
  if (!URL.canParse(value)) return undefined;
  const url = new URL(value);
  if (url.username || url.password) return undefined;
  if (url.protocol === 'https:' || (url.protocol === 'http:' && isLoopback(url.hostname))) return url;
  return undefined;
}

const PROXY_VARIABLES = ['https_proxy', 'HTTPS_PROXY', 'http_proxy', 'HTTP_PROXY'];

/**
 * Sends the reads of the verb argv names, when the early path may act (see the top of this file); returns at once.
 * Never throws: anything unexpected leaves the CLI to do as it always does.
 */
export function startEarlyReads(argv: readonly string[], env: Record<string, string | undefined>): void {
  try {
    const found = earlyVerb(argv);
    const token = env.ASTRA_DB_APPLICATION_TOKEN;
    if (!found || !token || !ASTRA_TOKEN_PATTERN.test(token)) return;
    const timeoutMs = timeoutMsOf(found.timeout);
    const url = apiUrlOf(env);
    if (timeoutMs === undefined || url === undefined) return;
    const loopback = isLoopback(url.hostname);
    if (!loopback && PROXY_VARIABLES.some((name) => env[name])) return;
    const baseUrl = url.toString().replace(/\/+$/, '');
    const send = (process.getBuiltinModule(url.protocol === 'https:' ? 'node:https' : 'node:http') as typeof import('node:http')).request;
    for (const read of VERB_READS[found.verb]) {
      const path = API_READS[read];
      pending.set(path, { baseUrl, token, timeoutMs, ...get(send, baseUrl + path, token, timeoutMs, loopback) });
    }
  } catch {
    abortEarlyReads();
  }
}

/** `localhost` is this machine whatever a resolver says: as the CLI's own connections, straight to loopback. */
const localhostLookup: RequestOptions['lookup'] = (_hostname, options, callback) => {
  const wanted = LOCALHOST_ADDRESSES.filter((a) => !options.family || options.family === a.family);
  if (options.all) (callback as unknown as (err: null, all: typeof wanted) => void)(null, wanted);
  else callback(null, wanted[0]!.address, wanted[0]!.family);
};

function get(
  send: (url: string, options: RequestOptions, callback: (res: IncomingMessage) => void) => ClientRequest,
  url: string,
  token: string,
  timeoutMs: number,
  loopback: boolean,
): EarlyRead {
  const sentAt = performance.now();
  let req: ClientRequest | undefined;
  const answer = new Promise<EarlyAnswer>((resolve, reject) => {
    req = send(
      url,
      {
        method: 'GET',
        headers: { Accept: 'application/json', 'User-Agent': `astra-token/${VERSION}`, Authorization: `Bearer ${token}` },
        agent: false,
        ...(loopback && new URL(url).hostname.toLowerCase() === 'localhost' ? { lookup: localhostLookup } : {}),
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.byteLength;
          if (size > EARLY_MAX_BODY_BYTES) req?.destroy(new EarlyTooLarge('the answer is too large'));
          else chunks.push(chunk);
        });
        res.on('error', reject);
        res.on('end', () => {
          const headers = res.headers;
          resolve({
            status: res.statusCode ?? 0,
            headers: {
              get(name) {
                const value = headers[name.toLowerCase()];
                return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
              },
            },
            text: new TextDecoder('utf-8', { fatal: false }).decode(Buffer.concat(chunks)),
          });
        });
      },
    );
    req.on('error', reject);
    req.end();
  });
  // Nobody may take it: its failure is met by the taker, or by nobody.
  answer.catch(() => undefined);
  // The whole answer within the deadline, as the transport's own attempt.
  const timer = setTimeout(() => req?.destroy(new EarlyTimeout('timed out')), timeoutMs);
  timer.unref();
  void answer.finally(() => clearTimeout(timer)).catch(() => undefined);
  return { sentAt, answer, abort: () => req?.destroy(new Error('aborted')) };
}

/**
 * The early read of `path`, if one was sent with this base URL, token and timeout; it is then the taker's to use or
 * abort. A read sent with anything else is aborted: the CLI resolved another credential or API than the guess.
 */
export function takeEarlyRead(baseUrl: string, token: string, timeoutMs: number, path: string): EarlyRead | undefined {
  const read = pending.get(path);
  if (!read) return undefined;
  pending.delete(path);
  if (read.baseUrl === baseUrl && read.token === token && read.timeoutMs === timeoutMs) return read;
  read.abort();
  return undefined;
}

/** Aborts every early read nobody took (the verb has ended, or failed before asking). */
export function abortEarlyReads(): void {
  for (const read of pending.values()) read.abort();
  pending.clear();
}
