// What an Astra application token looks like, and what to tell a user whose pasted token does not.
import { UsageError } from '../errors.js';

// node:crypto (with the stream modules it pulls in) costs ~5 ms of start-up on Node 20: loaded when first used
// (docs/startup.md).
const crypto = () => process.getBuiltinModule('node:crypto');

export const ASTRA_TOKEN_PATTERN = /^AstraCS:[A-Za-z]{24}:[0-9a-f]{64}$/;
const JWT_PATTERN = /^eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*$/;

export interface TokenShape {
  valid: boolean;
  /** The client id when it can be read, even from an otherwise malformed token. */
  clientId: string | null;
  kind: 'astra' | 'pulsar-jwt' | 'unknown';
  /** Why the token is not valid; never contains the token. */
  problem?: string;
}

/** Reads a token's shape offline. Never echoes the token. */
export function inspectTokenShape(raw: string): TokenShape {
  if (ASTRA_TOKEN_PATTERN.test(raw)) return { valid: true, clientId: raw.split(':')[1]!, kind: 'astra' };
  const trimmed = raw.trim();
  if (JWT_PATTERN.test(trimmed)) {
    return {
      valid: false,
      clientId: null,
      kind: 'pulsar-jwt',
      problem:
        'this is a JWT (an Astra Streaming/Pulsar token), not an Astra application token (AstraCS:...); use it with Pulsar clients, or see `astra-token streaming token --help`',
    };
  }
  if (!trimmed.startsWith('AstraCS:')) {
    const hint = /^[A-Za-z]{24}$/.test(trimmed) ? ' (that looks like a bare client id)' : trimmed.length === 0 ? ' (it is empty)' : '';
    return { valid: false, clientId: null, kind: 'unknown', problem: `an Astra token starts with "AstraCS:"${hint}` };
  }
  const parts = trimmed.split(':');
  const clientId = parts[1] && /^[A-Za-z]{24}$/.test(parts[1]) ? parts[1] : null;
  let problem: string;
  if (/\s/.test(raw.replace(/\r?\n$/, ''))) problem = 'it contains white space (was it pasted with a line break or a space?)';
  else if (parts.length !== 3) problem = `it should have 3 parts separated by ":", not ${parts.length}`;
  else if (!clientId) problem = 'its client id (the second part) should be 24 letters';
  else if (parts[2]!.length !== 64) problem = `its secret part should be 64 hex characters, not ${parts[2]!.length}`;
  else problem = 'its secret part should be lowercase hex (0-9, a-f)';
  return { valid: false, clientId, kind: 'astra', problem };
}

const ENV_LINE = /^(?:export\s+)?ASTRA_DB_APPLICATION_TOKEN=(\S+)\s*$/;

/**
 * The token inside what this tool itself writes with `--output-file`: the bare token, an
 * `[export ]ASTRA_DB_APPLICATION_TOKEN=<token>` line (`--format env|export`), or the JSON object (`--json`). So a
 * file a rotation left behind always works with `--token-file` and `--with-token`. White space around it (a pasted
 * token with a trailing space, a CRLF file, an indented line) is dropped; white space inside it stays an error.
 */
export function unwrapTokenText(raw: string): string {
  const text = raw.trim();
  const line = ENV_LINE.exec(text);
  if (line) return line[1]!;
  if (text.trimStart().startsWith('{')) {
    try {
      const token = (JSON.parse(text) as { token?: unknown }).token;
      if (typeof token === 'string') return token;
    } catch {
      // Not JSON after all: checked as a token below, which says what is wrong.
    }
  }
  return text;
}

/** Takes the token out of its wrapping (see unwrapTokenText) and checks the format; a usage error names the problem. */
export function requireAstraToken(raw: string, source: string): string {
  const token = unwrapTokenText(raw);
  const shape = inspectTokenShape(token);
  if (!shape.valid) throw new UsageError(`the token from ${source} is not a valid Astra token: ${shape.problem}`);
  return token;
}

/** Finds an argument that carries a token value: tokens never belong in argv (ps, shell history). */
export function findTokenInArgv(argv: string[]): number {
  return argv.findIndex((arg) => arg.includes('AstraCS:'));
}

/** A JWT (`eyJ<header>.<payload>.<signature>`): what Astra Streaming issues for Pulsar clients. */
export function looksLikeJwt(raw: string): boolean {
  return JWT_PATTERN.test(raw.trim());
}

/** The client id of an Astra application token: 24 ASCII letters. */
export function looksLikeAstraClientId(raw: string): boolean {
  return /^[A-Za-z]{24}$/.test(raw.trim());
}

// The token string a create answer may leave out: the API description documents it as built from the client id and
// the secret.
/** `AstraCS:<clientId>:hex(sha256(secret))`. */
export function deriveToken(clientId: string, secret: string): string {
  return `AstraCS:${clientId}:${crypto().createHash('sha256').update(secret, 'utf8').digest('hex')}`;
}

/** Said on stderr whenever a built token was accepted and is used. */
export const BUILT_TOKEN_NOTE =
  "the API's answer carried no token: it was built from the client id and secret (AstraCS:<client id>:sha256(secret)) and checked with the API";

/** Why a built token is not used, for the error that follows a failed check. */
export function builtTokenRefused(clientId: string, err: unknown, outcome: string): string {
  return `token ${clientId} was created, but the API's answer carried no token and the one built from its client id and secret was not accepted (${err instanceof Error ? err.message : String(err)}); ${outcome}`;
}

/**
 * The token of a create answer: as given, or built from the client id and secret and checked with `check` (one
 * request made with it) before anything uses it. A failed check throws what `check` threw.
 */
export async function tokenOfAnswer(
  created: { clientId: string; secret: string; token: string | null },
  check: (token: string) => Promise<unknown>,
  note: (line: string) => void,
): Promise<string> {
  if (created.token !== null) return created.token;
  const token = deriveToken(created.clientId, created.secret);
  await check(token);
  note(BUILT_TOKEN_NOTE);
  return token;
}
