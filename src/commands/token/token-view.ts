// What the token verbs share: the org's tokens joined with role names (one roles call), the contract's token JSON
// object, the status of a token, and the columns a list of tokens is printed with.
import type { DevOpsClient } from '../../api/client.js';
import type { Role, TokenInfo } from '../../api/schemas.js';
import type { Context } from '../../context.js';
import { isMissingPermission } from '../../errors.js';
import { describeExpiry, describeExpiryShort, formatLocal, formatLocalDate } from '../../output/format-time.js';
import { PIPED_LIST_SEPARATOR, type Column } from '../../output/render.js';
import { roleLabel, roleRefs } from '../../domain/resolve-roles.js';
import { instantMsOf } from '../../domain/time.js';

/** A token counts as "expiring" this long before its expiry. */
export const EXPIRING_SOON_MS = 7 * 86_400_000;

/** `unknown`: the API sent an expiry that cannot be read (the raw value is shown as it came). */
export type TokenStatus = 'active' | 'expiring' | 'expired' | 'unknown';

export interface RoleRef {
  id: string;
  /** null: the role no longer exists. */
  name: string | null;
}

export interface TokenView {
  clientId: string;
  roles: RoleRef[];
  description: string;
  generatedOn: string | null;
  expiresAt: string | null;
  status: TokenStatus;
  /** The dates as milliseconds, read once per token (undefined: missing or unreadable): sorting and filters use these. */
  generatedMs: number | undefined;
  expiresMs: number | undefined;
}

/** The contract's `token list` item. */
export interface TokenJson {
  clientId: string;
  roles: RoleRef[];
  description: string;
  generatedOn: string | null;
  expiresAt: string | null;
  /** null when the expiry cannot be read. */
  expired: boolean | null;
}

/** A token date as milliseconds; undefined when missing or unreadable (it is then the raw value the API sent). */
export function instantMs(value: string | null): number | undefined {
  return value === null ? undefined : instantMsOf(value);
}

export function tokenStatus(expiresAt: string | null, now: Date, at = instantMs(expiresAt)): TokenStatus {
  if (expiresAt === null) return 'active';
  if (at === undefined) return 'unknown';
  const left = at - now.getTime();
  if (left <= 0) return 'expired';
  return left <= EXPIRING_SOON_MS ? 'expiring' : 'active';
}

export function toTokenView(info: TokenInfo, roles: readonly Role[], now: Date, namesKnown = true): TokenView {
  const expiresMs = instantMs(info.expiresAt);
  return {
    clientId: info.clientId,
    roles: roleRefs(roles, info.roles, namesKnown),
    description: info.description,
    generatedOn: info.generatedOn,
    expiresAt: info.expiresAt,
    status: tokenStatus(info.expiresAt, now, expiresMs),
    generatedMs: instantMs(info.generatedOn),
    expiresMs,
  };
}

export function tokenJson(view: TokenView): TokenJson {
  return {
    clientId: view.clientId,
    roles: view.roles.map((r) => ({ id: r.id, name: r.name })),
    description: view.description,
    generatedOn: view.generatedOn,
    expiresAt: view.expiresAt,
    expired: view.status === 'unknown' ? null : view.status === 'expired',
  };
}

/** Newest first; tokens without a creation time last; ties by client id so the order is stable. */
export function newestFirst(a: Pick<TokenView, 'clientId' | 'generatedMs'>, b: Pick<TokenView, 'clientId' | 'generatedMs'>): number {
  const at = a.generatedMs ?? -Infinity;
  const bt = b.generatedMs ?? -Infinity;
  if (at !== bt) return bt > at ? 1 : -1;
  return a.clientId < b.clientId ? -1 : a.clientId > b.clientId ? 1 : 0;
}

export interface OrgTokens {
  tokens: TokenView[];
  /** The org's roles; empty when they could not be read. */
  roles: Role[];
  /** False when the credential may list tokens but not roles: names then fall back to ids. */
  roleNamesKnown: boolean;
}

/**
 * Lists the org's tokens and its roles (concurrently, one call each) and joins role names client-side; a role id
 * with no matching role shows as the id. With `needRoles: false`, a 403 on the roles call is tolerated (a note says
 * why the names are missing); with `needRoles: true` it is the command's error.
 */
export async function fetchOrgTokens(ctx: Context, api: DevOpsClient, needRoles: boolean): Promise<OrgTokens> {
  const [infos, readRoles] = await Promise.all([
    api.listTokens(),
    // Only a missing permission (403), where role names are not needed, is survived: any other failure ends the verb at once, without
    // waiting for the token list (which the verb's end then cancels).
    api.listRoles().catch((error: unknown) => {
      if (needRoles || !isMissingPermission(error)) throw error;
      return undefined;
    }),
  ]);
  const rolesDenied = readRoles === undefined;
  const roles = readRoles ?? [];
  if (rolesDenied) ctx.io.warn('this credential may not read roles (org-role-read): roles are shown by id');
  const now = ctx.now();
  return {
    tokens: infos.map((info) => toTokenView(info, roles, now, !rolesDenied)).sort(newestFirst),
    roles,
    roleNamesKnown: !rolesDenied,
  };
}

/**
 * How a list of tokens is printed. Piped: exactly `clientId, roles (names, `(deleted) <id>` for a role that is gone,
 * joined with the unit separator U+001F, which no role name can hold), description, generatedOn,
 * expiresAt` (ISO-8601 UTC; empty when unknown or never). On a TTY: local creation date, relative expiry and a
 * coloured status; long roles and descriptions are shortened to fit the terminal (--wide: full times, nothing cut).
 */
export function tokenColumns(ctx: Pick<Context, 'io' | 'output' | 'now'>): Column<TokenView>[] {
  const { color } = ctx.io;
  const now = ctx.now();
  const columns: Column<TokenView>[] = [
    { header: 'CLIENT ID', plain: (t) => t.clientId },
    {
      header: 'ROLES',
      plain: (t) => t.roles.map(roleLabel).join(PIPED_LIST_SEPARATOR),
      plainList: (t) => t.roles.map(roleLabel),
      tty: (t) => t.roles.map(roleLabel).join(', ') || color.dim('(none)'),
      flexible: true,
    },
    { header: 'DESCRIPTION', plain: (t) => t.description, flexible: true },
    {
      header: 'CREATED',
      plain: (t) => t.generatedOn ?? '',
      tty: (t) => readableTime(t.generatedOn, (ms) => formatLocal(new Date(ms))),
      compact: (t) => readableTime(t.generatedOn, (ms) => formatLocalDate(new Date(ms))),
    },
    {
      header: 'EXPIRES',
      plain: (t) => t.expiresAt ?? '',
      tty: (t) => (t.status === 'unknown' ? readableTime(t.expiresAt, () => '') : describeExpiry(t.expiresAt, now)),
      compact: (t) => (t.status === 'unknown' ? readableTime(t.expiresAt, () => '') : describeExpiryShort(t.expiresAt, now)),
    },
  ];
  const paint: Record<TokenStatus, (s: string) => string> = {
    active: color.green,
    expiring: color.yellow,
    expired: color.red,
    unknown: color.dim,
  };
  return [...columns, { header: 'STATUS', plain: (t) => t.status, tty: (t) => paint[t.status](t.status), ttyOnly: true }];
}

/** A token date for a person: `show(ms)` when readable, `-` when missing, else the raw value marked as unreadable. */
export function readableTime(value: string | null, show: (ms: number) => string): string {
  if (value === null) return '-';
  const ms = instantMs(value);
  return ms === undefined ? `${value} (unreadable)` : show(ms);
}
