// The rules of `token audit`: each has a stable id, a severity and one line of advice. They look only at the org's
// token list and its roles (what `token list` fetches); nothing here makes a request or prints.
import { UsageError } from '../../errors.js';
import { printable } from '../../text/terminal.js';
import { checkDrn, type Drn } from '../drn.js';
import { closestNames } from '../suggest.js';
import { formatDuration } from '../time.js';

export const SEVERITIES = ['high', 'medium', 'low', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const RULE_IDS = [
  'admin-role',
  'no-expiry',
  'too-old',
  'broad-custom-role',
  'deleted-role',
  'no-description',
  'expiring',
  'expired',
  'unused-role',
] as const;
export type RuleId = (typeof RULE_IDS)[number];

/** Each rule's advice in words; a finding's own advice adds the one command that clears it (its `fix`), when there is one. */
export const RULES: Readonly<Record<RuleId, { severity: Severity; advice: string }>> = {
  'admin-role': {
    severity: 'high',
    advice:
      'give the token only the roles it needs, none holding these actions on the org (e.g. R/W User, or a custom role with the db-* actions it uses)',
  },
  'no-expiry': { severity: 'medium', advice: 'rotate it with an expiry' },
  'too-old': { severity: 'medium', advice: 'rotate it' },
  'broad-custom-role': {
    severity: 'medium',
    advice: 'limit the role to the databases it needs (role update --db), or delete it if nothing holds it',
  },
  'deleted-role': { severity: 'low', advice: 'the role is gone: rotate the token with the roles it should hold, or revoke it' },
  'no-description': { severity: 'low', advice: 'find its owner, then rotate it with --description "<owner and purpose>" or revoke it' },
  expiring: { severity: 'low', advice: 'rotate it before it expires' },
  expired: { severity: 'low', advice: 'revoke it (token prune --expired removes every expired token)' },
  'unused-role': { severity: 'info', advice: 'delete the role if nothing needs it' },
};

export const isRuleId = (value: string): value is RuleId => (RULE_IDS as readonly string[]).includes(value);

/** A rule id, or a usage error naming where it was given, the closest rule id and every rule. */
export function requireRuleId(value: string, source: string): RuleId {
  if (isRuleId(value)) return value;
  const near = closestNames(value, RULE_IDS, 1);
  throw new UsageError(`${source}: '${printable(value)}' is not an audit rule${near.length ? ` (did you mean ${near[0]}?)` : ''}`, {
    hint: `rules: ${RULE_IDS.join(', ')}`,
  });
}

/** A comma-separated list of rule ids (`--fail-on-rule no-expiry,admin-role`); each is checked. */
export function parseRuleList(value: string, source: string): Set<RuleId> {
  const ids = value.split(',').map((part) => part.trim());
  if (ids.some((id) => id === '')) {
    throw new UsageError(`${source}: '${printable(value)}' has an empty rule; write rules separated by commas`, {
      hint: `rules: ${RULE_IDS.join(', ')}`,
    });
  }
  return new Set(ids.map((id) => requireRuleId(id, source)));
}

/** One finding of the report (the contract's JSON object, key order included). */
export interface Finding {
  rule: RuleId;
  severity: Severity;
  clientId: string | null;
  roleId: string | null;
  message: string;
  advice: string;
  /** The argv (after `astra-token`) of one command that clears this finding and adds none; null when none can. */
  fix: string[] | null;
}

/** A role as the rules read it (the API client's Role has this shape). */
export interface AuditedRole {
  id: string;
  name: string;
  effect: string;
  actions: readonly string[];
  resources: readonly string[];
  builtIn: boolean;
}

/** What the rules read of a token: the `token list` view. */
export interface AuditedToken {
  clientId: string;
  roles: ReadonlyArray<{ id: string; name: string | null }>;
  description: string;
  generatedOn: string | null;
  expiresAt: string | null;
}

export interface AuditSettings {
  now: Date;
  maxAgeMs: number;
  expiringWithinMs: number;
}

/** Actions that manage tokens, roles, users or the org, or create and terminate databases. */
export const ADMIN_ACTIONS: readonly string[] = [
  'org-token-write',
  'org-role-write',
  'org-role-delete',
  'org-user-write',
  'org-write',
  'org-db-create',
  'org-db-terminate',
];

/** Each role's resources, parsed once per role object (a fix's check looks at the same roles again and again). */
const parsed = new WeakMap<AuditedRole, Drn[]>();
const parsedResources = (role: AuditedRole): Drn[] => {
  let drns = parsed.get(role);
  if (!drns) {
    drns = role.resources.flatMap((text) => {
      const check = checkDrn(text);
      return check.ok ? [check.drn] : [];
    });
    parsed.set(role, drns);
  }
  return drns;
};

/** The org resource itself (`drn:astra:org:<org>`; built-in roles write `__ORG_ID__`), no level below it. */
const isOrgLevel = (drn: Drn) => Object.keys(drn).length === 1;

/** The admin actions a role holds on the org resource (none unless one of its resources is the org itself). */
export function adminActions(role: AuditedRole): string[] {
  if (role.effect.toLowerCase() !== 'allow' || !parsedResources(role).some(isOrgLevel)) return [];
  return ADMIN_ACTIONS.filter((a) => role.actions.includes(a));
}

/**
 * Why a custom role counts as broad: a resource naming every database (`db:*`), or database actions with no database
 * named at all (they then apply to every database of the org). Undefined when it is not broad.
 */
export function broadScope(role: AuditedRole): string | undefined {
  if (role.builtIn) return undefined;
  const everyDb = role.resources.find((text) => {
    const check = checkDrn(text);
    return check.ok && check.drn.db === '*';
  });
  if (everyDb !== undefined) return `its resource ${everyDb} covers every database`;
  const dbActions = role.actions.filter((a) => a.startsWith('db-'));
  if (dbActions.length > 0 && !parsedResources(role).some((d) => d.db !== undefined)) {
    return `it holds database actions (${dbActions.slice(0, 3).join(', ')}${dbActions.length > 3 ? ', …' : ''}) with no database named, so they cover the whole org`;
  }
  return undefined;
}

const quoteName = (name: string) => `"${name}"`;

/** The rules whose message names an instant of the token. */
export type TimedRule = 'expired' | 'expiring' | 'too-old';
export const isTimedRule = (rule: RuleId): rule is TimedRule => rule === 'expired' || rule === 'expiring' || rule === 'too-old';

/**
 * How a message names an instant. The report's own words (JSON, piped rows, Markdown, CSV) keep the value as the
 * API sent it (ISO-8601 UTC); a terminal passes the words `token list` uses (`in 24h`, `3d ago`, a local date).
 */
export interface InstantWords {
  /** A future expiry: `in 24h`. */
  expires(iso: string): string;
  /** A past expiry: `3d ago`. */
  expired(iso: string): string;
  /** A creation time: `2026-08-01`. */
  created(iso: string): string;
}

const AS_SENT: InstantWords = { expires: (iso) => iso, expired: (iso) => iso, created: (iso) => iso };

/** The message of a timed rule's finding for `token`, in `words`. */
export function timedMessage(
  rule: TimedRule,
  token: Pick<AuditedToken, 'expiresAt' | 'generatedOn'>,
  settings: Pick<AuditSettings, 'maxAgeMs' | 'expiringWithinMs'>,
  words: InstantWords = AS_SENT,
): string {
  switch (rule) {
    case 'expired':
      return `expired ${words.expired(token.expiresAt ?? '')} but is still listed`;
    case 'expiring':
      return `expires ${words.expires(token.expiresAt ?? '')}, within ${formatDuration(settings.expiringWithinMs)}`;
    case 'too-old':
      return `created ${words.created(token.generatedOn ?? '')}, more than ${formatDuration(settings.maxAgeMs)} ago`;
  }
}

/** The org's roles as the per-token rules look them up, built once per role list. */
export interface RoleIndex {
  byId: ReadonlyMap<string, AuditedRole>;
  /** Each role's admin actions, worked out once per role, not once per token that holds it. */
  adminOf: ReadonlyMap<AuditedRole, string[]>;
}

export function indexRoles(roles: readonly AuditedRole[]): RoleIndex {
  return { byId: new Map(roles.map((r) => [r.id.toLowerCase(), r])), adminOf: new Map(roles.map((r) => [r, adminActions(r)])) };
}

const finding = (rule: RuleId, clientId: string | null, roleId: string | null, message: string): Finding => ({
  rule,
  severity: RULES[rule].severity,
  clientId,
  roleId,
  message,
  advice: RULES[rule].advice,
  fix: null,
});

/** The findings of one token (unsorted); each of its dates is parsed once. */
export function tokenRisks(token: AuditedToken, index: RoleIndex, settings: AuditSettings): Finding[] {
  const now = settings.now.getTime();
  const out: Finding[] = [];
  const add = (rule: RuleId, roleId: string | null, message: string) => out.push(finding(rule, token.clientId, roleId, message));
  const expiresAt = token.expiresAt === null ? NaN : Date.parse(token.expiresAt);
  // An expired token can no longer be used: its other risks are moot, only its clutter is reported.
  if (!Number.isNaN(expiresAt) && expiresAt <= now) {
    add('expired', null, timedMessage('expired', token, settings));
    return out;
  }
  for (const ref of token.roles) {
    const role = index.byId.get(ref.id.toLowerCase());
    if (!role) {
      add('deleted-role', ref.id, `holds role ${ref.id}, which no longer exists`);
      continue;
    }
    const admin = index.adminOf.get(role) ?? adminActions(role);
    if (admin.length > 0) {
      add(
        'admin-role',
        role.id,
        `holds ${role.builtIn ? 'built-in' : 'custom'} role ${quoteName(role.name)} with ${admin.join(', ')} on the whole org${admin.includes('org-token-write') ? ' (it can mint a token of any role, Organization Administrator included)' : ''}`,
      );
    }
  }
  if (token.expiresAt === null) add('no-expiry', null, 'never expires');
  const generatedOn = token.generatedOn === null ? NaN : Date.parse(token.generatedOn);
  if (!Number.isNaN(generatedOn) && now - generatedOn > settings.maxAgeMs) {
    add('too-old', null, timedMessage('too-old', token, settings));
  }
  if (token.description.trim() === '') add('no-description', null, 'has no description: nobody can tell who owns it');
  if (!Number.isNaN(expiresAt) && expiresAt - now <= settings.expiringWithinMs) {
    add('expiring', null, timedMessage('expiring', token, settings));
  }
  return out;
}

/** The findings of one role (unsorted; none for a built-in role); `held` says whether any token holds it. */
export function roleRisks(role: AuditedRole, held: boolean): Finding[] {
  if (role.builtIn) return [];
  const out: Finding[] = [];
  const broad = broadScope(role);
  if (broad !== undefined) out.push(finding('broad-custom-role', null, role.id, `custom role ${quoteName(role.name)}: ${broad}`));
  if (!held) out.push(finding('unused-role', null, role.id, `custom role ${quoteName(role.name)} is held by no token`));
  return out;
}

/** The lower-case ids of the roles the tokens hold. */
export function heldRoleIds(tokens: readonly AuditedToken[]): Set<string> {
  const held = new Set<string>();
  for (const token of tokens) for (const ref of token.roles) held.add(ref.id.toLowerCase());
  return held;
}

/** Runs every rule over the org's tokens and roles; the findings come back in report order. */
export function findRisks(tokens: readonly AuditedToken[], roles: readonly AuditedRole[], settings: AuditSettings): Finding[] {
  const index = indexRoles(roles);
  const held = heldRoleIds(tokens);
  const findings = tokens.flatMap((token) => tokenRisks(token, index, settings));
  for (const role of roles) findings.push(...roleRisks(role, held.has(role.id.toLowerCase())));
  return findings.sort(compareFindings);
}

const SEVERITY_RANK: Readonly<Record<Severity, number>> = { high: 0, medium: 1, low: 2, info: 3 };

export const severityRank = (s: Severity): number => SEVERITY_RANK[s];

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Report order: severity (high first), then rule id, then client id, then role id. */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    // A baseline written by another version may carry a severity this one does not know: it sorts last.
    (SEVERITY_RANK[a.severity] ?? 9) - (SEVERITY_RANK[b.severity] ?? 9) ||
    byText(a.rule, b.rule) ||
    byText(a.clientId ?? '', b.clientId ?? '') ||
    byText(a.roleId ?? '', b.roleId ?? '')
  );
}

/** Two findings are the same when rule, client id and role id are equal (the contract). */
export const findingKey = (f: Pick<Finding, 'rule' | 'clientId' | 'roleId'>): string =>
  JSON.stringify([f.rule, f.clientId, f.roleId?.toLowerCase() ?? null]);

export function summarize(findings: readonly Finding[]): Record<Severity, number> {
  const summary: Record<Severity, number> = { high: 0, medium: 0, low: 0, info: 0 };
  for (const f of findings) summary[f.severity] += 1;
  return summary;
}
