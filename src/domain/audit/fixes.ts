// The `fix` of each audit finding: the argv (after `astra-token`) of ONE command that clears it and adds no finding.
// Each candidate command is checked here before it is offered: the org as it would be after the command runs is
// audited again with the same settings, and the candidate is kept only when the finding is gone and every finding
// left was there before. A token rotation replaces a token by a new one holding what the command says, so the new
// token's findings are compared with the old token's (a rotation that keeps a missing description does not add a
// `no-description` finding: the old token had it). When no candidate passes, the fix is null.
import { adminActions, findRisks, findingKey, type AuditedRole, type AuditedToken, type AuditSettings, type Finding } from './rules.js';
import { durationFlag, parseInstant } from '../time.js';

/** The org as the audit saw it, and its settings. */
export interface AuditedOrg {
  tokens: readonly AuditedToken[];
  roles: readonly AuditedRole[];
  settings: AuditSettings;
}

/** The built-in role an admin token is narrowed to when it holds no other role (the admin-role advice's example). */
export const NARROWED_ROLE = 'R/W User';
/** `token rotate` refuses a lifetime under this without --allow-short-expiry; a fix never asks for that. */
const ROTATE_MIN_LIFETIME_MS = 3_600_000;
/** The client id that stands for the token a rotation makes, while the org after it is audited. */
const NEW_TOKEN = '\u0000new-token';

/** A command, and the org as it would be after it. */
interface Candidate {
  argv: string[];
  after: { tokens: AuditedToken[]; roles: AuditedRole[] };
  /** The token a rotation replaces (its findings carry over to the new one). */
  replaced?: string;
}

/**
 * Every finding with its `fix` (or null) and its advice ending in the same command, when there is one. `globals`
 * come first in every fix (the credential and API options the audit ran with, so the fix acts on the same org);
 * `describe` turns a fix into the command line a person pastes.
 */
export function withFixes(
  findings: readonly Finding[],
  org: AuditedOrg,
  globals: readonly string[],
  describe: (argv: readonly string[]) => string,
): Finding[] {
  const before = findRisks(org.tokens, org.roles, org.settings);
  return findings.map((finding) => {
    const found = candidatesFor(finding, org).find((c) => clears(c, finding, before, org.settings));
    const fix = found ? [...globals, ...found.argv] : null;
    return { ...finding, advice: fix ? `${finding.advice}: ${describe(fix)}` : finding.advice, fix };
  });
}

function clears(candidate: Candidate, finding: Finding, before: readonly Finding[], settings: AuditSettings): boolean {
  const carried = (f: Finding) =>
    candidate.replaced !== undefined && f.clientId === candidate.replaced ? { ...f, clientId: NEW_TOKEN } : f;
  const beforeKeys = new Set(before.map((f) => findingKey(carried(f))));
  const afterKeys = new Set(findRisks(candidate.after.tokens, candidate.after.roles, settings).map(findingKey));
  if (afterKeys.has(findingKey(carried(finding)))) return false;
  return [...afterKeys].every((key) => beforeKeys.has(key));
}

function candidatesFor(finding: Finding, org: AuditedOrg): Candidate[] {
  return rawCandidates(finding, org).filter((c): c is Candidate => c !== undefined);
}

function rawCandidates(finding: Finding, org: AuditedOrg): Array<Candidate | undefined> {
  const token = finding.clientId === null ? undefined : org.tokens.find((t) => t.clientId === finding.clientId);
  const role = finding.roleId === null ? undefined : org.roles.find((r) => r.id.toLowerCase() === finding.roleId!.toLowerCase());
  const live = token ? liveRoles(token, org.roles) : [];
  switch (finding.rule) {
    case 'admin-role': {
      if (!token) return [];
      const narrower = live.filter((r) => adminActions(r).length === 0);
      const builtIn = org.roles.find((r) => r.builtIn && r.name === NARROWED_ROLE);
      const out: Array<Candidate | undefined> = [];
      if (narrower.length > 0) out.push(rotate(token, org, { roles: narrower }));
      else if (builtIn) out.push(rotate(token, org, { roles: [builtIn] }));
      // A custom role loses its admin actions instead (every token holding it is narrowed with it).
      if (role && !role.builtIn) {
        const keep = role.actions.filter((a) => !adminActions(role).includes(a));
        if (keep.length > 0) out.push(removeActions(role, adminActions(role), org));
      }
      return out;
    }
    case 'no-expiry':
      return token ? [rotate(token, org, { expiry: true })] : [];
    case 'too-old':
    case 'expiring':
      return token ? [rotate(token, org, {})] : [];
    case 'deleted-role':
      if (!token) return [];
      return live.length > 0 ? [rotate(token, org, { roles: live })] : [revoke(token, org)];
    case 'expired':
      return token ? [revoke(token, org)] : [];
    case 'unused-role':
      return role ? [deleteRole(role, org)] : [];
    case 'broad-custom-role':
      // Which databases the role should cover is not in the org's data; only a role nobody holds can simply go.
      return role && !org.tokens.some((t) => t.roles.some((r) => r.id.toLowerCase() === role.id.toLowerCase()))
        ? [deleteRole(role, org)]
        : [];
    case 'no-description':
      // Who owns the token is not in the org's data: no command can say it for the user.
      return [];
  }
}

/** The token's roles that still exist. */
function liveRoles(token: AuditedToken, roles: readonly AuditedRole[]): AuditedRole[] {
  return token.roles.flatMap((ref) => roles.filter((r) => r.id.toLowerCase() === ref.id.toLowerCase()));
}

/**
 * `token rotate <id>` with `--role` when the roles change (or a deleted role forces them to be named) and
 * `--expires` when the inherited lifetime would not do: none to inherit (`expiry`), unreadable, too short for rotate,
 * or so short that the new token would be `expiring` at once.
 */
function rotate(token: AuditedToken, org: AuditedOrg, change: { roles?: AuditedRole[]; expiry?: boolean }): Candidate | undefined {
  const { settings } = org;
  const now = settings.now.getTime();
  const argv = ['token', 'rotate', token.clientId];
  const live = liveRoles(token, org.roles);
  const roles = change.roles ?? live;
  // rotate refuses to make a token with no role.
  if (roles.length === 0) return undefined;
  if (change.roles || live.length !== token.roles.length) argv.push(...roles.flatMap((r) => ['--role', roleRef(r, org.roles)]));

  const lifetime = inheritedLifetime(token);
  let expiresAt: number | null;
  if (!change.expiry && lifetime === null) expiresAt = null;
  else if (!change.expiry && typeof lifetime === 'number' && lifetime >= ROTATE_MIN_LIFETIME_MS && lifetime > settings.expiringWithinMs)
    expiresAt = now + lifetime;
  else {
    // As long as --max-age allows (the token is then never too old while it lives), and never `expiring` at once.
    const ms = settings.maxAgeMs > settings.expiringWithinMs ? settings.maxAgeMs : 2 * settings.expiringWithinMs;
    argv.push('--expires', durationFlag(ms));
    expiresAt = now + ms;
  }
  const fresh: AuditedToken = {
    clientId: NEW_TOKEN,
    roles: roles.map((r) => ({ id: r.id, name: r.name })),
    description: token.description,
    generatedOn: new Date(now).toISOString(),
    expiresAt: expiresAt === null ? null : new Date(expiresAt).toISOString(),
  };
  return {
    argv,
    after: { tokens: [...org.tokens.filter((t) => t.clientId !== token.clientId), fresh], roles: [...org.roles] },
    replaced: token.clientId,
  };
}

/** The old token's lifetime in ms; null when it never expires; undefined when its dates cannot be read. */
function inheritedLifetime(token: AuditedToken): number | null | undefined {
  if (token.expiresAt === null) return null;
  const start = token.generatedOn === null ? undefined : parseInstant(token.generatedOn)?.getTime();
  const end = parseInstant(token.expiresAt)?.getTime();
  return start === undefined || end === undefined || end <= start ? undefined : end - start;
}

function revoke(token: AuditedToken, org: AuditedOrg): Candidate {
  return {
    argv: ['token', 'delete', token.clientId],
    after: { tokens: org.tokens.filter((t) => t.clientId !== token.clientId), roles: [...org.roles] },
  };
}

function deleteRole(role: AuditedRole, org: AuditedOrg): Candidate {
  return { argv: ['role', 'delete', role.id], after: { tokens: [...org.tokens], roles: org.roles.filter((r) => r !== role) } };
}

function removeActions(role: AuditedRole, actions: readonly string[], org: AuditedOrg): Candidate {
  const narrowed: AuditedRole = { ...role, actions: role.actions.filter((a) => !actions.includes(a)) };
  return {
    argv: ['role', 'update', role.id, ...actions.flatMap((a) => ['--remove-action', a])],
    after: { tokens: [...org.tokens], roles: org.roles.map((r) => (r === role ? narrowed : r)) },
  };
}

/** A role as `--role` takes it: its name when no other role answers to it, else its id. */
function roleRef(role: AuditedRole, roles: readonly AuditedRole[]): string {
  const lower = role.name.toLowerCase();
  const unique = role.name.trim() !== '' && roles.filter((r) => r.name.toLowerCase() === lower).length === 1;
  return unique ? role.name : role.id;
}
