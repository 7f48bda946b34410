import { API_URLS, describeCredentialSource, explicitApiUrl, readTokenFileText } from '../../config/credentials.js';
import type { Context } from '../../context.js';
import { AppError, UsageError, isMissingPermission, isRejectedCredential, answerStatus } from '../../errors.js';
import { formatLocal } from '../../output/format-time.js';
import { renderRecord, type ByMode, type FieldValue } from '../../output/render.js';
import { roleLabel, roleRefs } from '../../domain/resolve-roles.js';
import { terminalSafeRecord } from '../../text/terminal.js';
import { inspectTokenShape, unwrapTokenText } from '../../domain/token-format.js';
import { describeExpiry } from '../../output/format-time.js';
import { readableTime, tokenStatus, type RoleRef } from './token-view.js';
import type { OptionsOf } from '../verb.js';
import type { TokenVerbs } from './register.js';

export type TokenInspectOptions = OptionsOf<TokenVerbs['inspect']>;

/** `token inspect --json`. Every key is always present; `null` means unknown or not applicable. */
export interface InspectJson {
  /** Where the token came from: `stdin`, `token-file`, `env` or `profile:<name>`. */
  source: string;
  clientId: string | null;
  valid: boolean;
  kind: 'astra' | 'pulsar-jwt' | 'unknown';
  /** Why the format is invalid; never contains the token. */
  problem: string | null;
  /** The readable claims of a Pulsar JWT (the signature is never shown). */
  jwt: { subject: string | null; issuer: string | null; issuedAt: string | null; expiresAt: string | null } | null;
  /** The API's answer with `--check`, else null. */
  check: CheckJson | null;
}

export interface CheckJson {
  apiUrl: string;
  live: boolean;
  orgId: string | null;
  /** False when the token may not read the org's token list (403): then roles and expiry are unknown. */
  listed: boolean;
  roles: RoleRef[] | null;
  description: string | null;
  generatedOn: string | null;
  expiresAt: string | null;
}

interface Source {
  raw: string;
  source: string;
  /** Where this token is used when it comes from a profile. */
  apiUrl?: string;
}

export async function tokenInspect(ctx: Context, options: TokenInspectOptions): Promise<void> {
  const { raw, source, apiUrl: profileUrl } = await readToken(ctx);
  // The files this tool writes (env line, JSON) are read as the token they hold, as --token-file does everywhere.
  const token = unwrapTokenText(raw);
  const shape = inspectTokenShape(token);
  const result: InspectJson = {
    source,
    clientId: shape.clientId,
    valid: shape.valid,
    kind: shape.kind,
    problem: shape.problem ?? null,
    jwt: shape.kind === 'pulsar-jwt' ? jwtClaims(token.trim()) : null,
    check: null,
  };

  let rejected: unknown;
  if (options.check && shape.valid) {
    const apiUrl = explicitApiUrl(ctx.globals, ctx.env) ?? profileUrl ?? API_URLS.prod;
    ({ check: result.check, rejected } = await check(ctx, apiUrl, token, shape.clientId!));
  }

  // The diagnosis is shown to a person even when it ends in an error; with --json an error keeps stdout empty (the
  // contract), and the error object on stderr carries the problem.
  if (ctx.output !== 'json' || (shape.valid && !rejected)) print(ctx, result);
  if (!shape.valid) {
    throw new UsageError(`not a valid Astra application token: ${shape.problem}`, {
      hint: options.check ? 'it was not sent to the API' : undefined,
    });
  }
  if (rejected) {
    throw new AppError('UNAUTHENTICATED', 'the API rejected this token: it is revoked, expired, or from another environment', {
      status: answerStatus(rejected),
      hint: `it was checked against ${result.check?.apiUrl}; pass --env or --api-url for another environment`,
    });
  }
}

/**
 * `--token-file` (`-` = stdin), else ASTRA_DB_APPLICATION_TOKEN or the active profile, and only when there is none of
 * those, stdin when it is not a terminal. Stdin comes last so that a runner which leaves it open without writing to
 * it (`token exec`, `docker -i`, some CI steps) does not make the command wait for an end of input that never comes.
 */
async function readToken(ctx: Context): Promise<Source> {
  const file = ctx.globals.tokenFile;
  if (file === '-') return { raw: await ctx.io.readStdin(), source: 'stdin' };
  if (file !== undefined) return { raw: await readTokenFileText(file), source: 'token-file' };
  const env = ctx.env.ASTRA_DB_APPLICATION_TOKEN;
  if (env !== undefined && env !== '') return { raw: env, source: 'env' };
  try {
    const cred = await ctx.credential();
    return { raw: cred.token, source: cred.source, apiUrl: cred.apiUrl };
  } catch (err) {
    if (!isRejectedCredential(err)) throw err;
  }
  if (!ctx.io.isStdinTTY) {
    const piped = await ctx.io.readStdin();
    if (piped.trim() !== '') return { raw: piped, source: 'stdin' };
  }
  throw new AppError('UNAUTHENTICATED', 'no token to inspect', {
    hint: 'pipe one on stdin (--token-file -), pass --token-file <path>, set ASTRA_DB_APPLICATION_TOKEN, or save a profile with `astra-token org add`',
  });
}

/** `/v2/currentOrg` says whether the token is live; the token list (where allowed) says its roles and expiry. */
async function check(ctx: Context, apiUrl: string, token: string, clientId: string): Promise<{ check: CheckJson; rejected?: unknown }> {
  const api = await ctx.apiFor(apiUrl, token);
  const result: CheckJson = {
    apiUrl,
    live: false,
    orgId: null,
    listed: false,
    roles: null,
    description: null,
    generatedOn: null,
    expiresAt: null,
  };
  try {
    result.orgId = (await api.currentOrg()).id;
    result.live = true;
  } catch (err) {
    if (isRejectedCredential(err)) return { check: result, rejected: err };
    throw err;
  }
  const forbidden = (err: unknown) => {
    if (isMissingPermission(err)) return undefined;
    throw err;
  };
  const [tokens, roles] = await Promise.all([api.listTokens().catch(forbidden), api.listRoles().catch(forbidden)]);
  const own = tokens?.find((t) => t.clientId === clientId);
  if (own) {
    result.listed = true;
    result.roles = roleRefs(roles ?? [], own.roles);
    result.description = own.description;
    result.generatedOn = own.generatedOn;
    result.expiresAt = own.expiresAt;
  } else {
    ctx.debug(tokens ? `token ${clientId} is not in the org's token list` : 'the token list is not readable with this token (403)');
  }
  return { check: result };
}

function print(ctx: Context, json: InspectJson): void {
  // Claims, descriptions and role names are the token's or the API's text: safe before they are coloured or shown.
  const r = terminalSafeRecord(json);
  const kinds = { astra: 'Astra application token', 'pulsar-jwt': 'Astra Streaming (Pulsar) JWT', unknown: 'unknown' } as const;
  const { color } = ctx.io;
  const fields: Array<[string, FieldValue | ByMode<FieldValue>]> = [
    ['Source', describeCredentialSource(r.source, ctx.globals.tokenFile)],
    ['Kind', kinds[r.kind]],
    ['Client ID', r.clientId ?? '-'],
    ['Format', r.valid ? color.green('valid') : `${color.red('invalid')}: ${r.problem}`],
  ];
  if (r.jwt) {
    fields.push(['Subject', r.jwt.subject ?? '-'], ['Issued', when(r.jwt.issuedAt)], ['Expires', expiry(ctx, r.jwt.expiresAt)]);
  }
  const c = r.check;
  if (c) {
    fields.push(['API', c.apiUrl], ['Live', c.live ? color.green('yes') : `${color.red('no')} (rejected with 401)`]);
    if (c.live) {
      fields.push(['Org ID', c.orgId ?? '-']);
      if (c.listed) {
        fields.push(
          [
            'Roles',
            {
              plain: (c.roles ?? []).map((role) => role.name ?? role.id),
              tty: (c.roles ?? []).map((role) =>
                role.name === null ? roleLabel(role) : role.name !== role.id ? `${role.name} (${role.id})` : role.name,
              ),
            },
          ],
          ['Description', c.description ?? ''],
          ['Created', when(c.generatedOn)],
          ['Expires', expiry(ctx, c.expiresAt)],
        );
      } else {
        fields.push(['Roles', 'unknown (this token may not read the org token list)']);
      }
    }
  }
  renderRecord(ctx, fields, json);
}

/** Piped: ISO-8601 UTC; on a TTY: local time. */
function when(iso: string | null): string | ByMode<string> {
  if (iso === null) return '-';
  return { plain: iso, tty: readableTime(iso, (ms) => formatLocal(new Date(ms))) };
}

function expiry(ctx: Context, iso: string | null): string | ByMode<string> {
  if (iso === null) return 'never';
  return { plain: iso, tty: expiryOnTerminal(ctx, iso) };
}

function expiryOnTerminal(ctx: Context, iso: string): string {
  const status = tokenStatus(iso, ctx.now());
  if (status === 'unknown') return readableTime(iso, () => '');
  const text = `${formatLocal(new Date(iso))} (${describeExpiry(iso, ctx.now())})`;
  return status === 'expired' ? ctx.io.color.red(text) : status === 'expiring' ? ctx.io.color.yellow(text) : text;
}

/** The readable claims of a JWT; the payload is not secret, the signature is never touched. */
function jwtClaims(jwt: string): InspectJson['jwt'] {
  let claims: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8'));
    if (parsed && typeof parsed === 'object') claims = parsed as Record<string, unknown>;
  } catch {
    // An unreadable payload leaves every claim unknown.
  }
  const text = (v: unknown) => (typeof v === 'string' ? v : null);
  const instant = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? new Date(v * 1000).toISOString() : null);
  return { subject: text(claims.sub), issuer: text(claims.iss), issuedAt: instant(claims.iat), expiresAt: instant(claims.exp) };
}
