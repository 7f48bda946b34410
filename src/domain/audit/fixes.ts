// The `fix` of each audit finding: the argv (after `astra-token`) of ONE command that clears it and adds no finding.
// Each candidate command is checked here before it is offered: the org as it would be after the command runs is
// audited again with the same settings, and the candidate is kept only when the finding is gone and every finding
// left was there before. A token rotation replaces a token by a new one holding what the command says, so the new
// token's findings are compared with the old token's (a rotation that keeps a missing description does not add a
// `no-description` finding: the old token had it). When no candidate passes, the fix is null.
//
// Only what a command changes is audited again: the token it revokes or replaces (and the one a rotation makes), the
// roles it deletes or narrows, the tokens holding those roles, and the roles whose "held by a token" may change.
// Every other finding is the same before and after, so this gives the answer a whole second audit would, in time
// linear in the org rather than quadratic (10 000 tokens without an expiry are 10 000 candidate rotations).
import {
  adminActions,
  compareFindings,
  findingKey,
  indexRoles,
  roleRisks,
  tokenRisks,
  type AuditedRole,
  type AuditedToken,
  type AuditSettings,
  type Finding,
  type RoleIndex,
} from './rules.js';
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

/** A command, and what it changes in the org. */
interface Candidate {
  argv: string[];
  /** The token the command revokes, or replaces by `adds` (a rotation: its findings carry over to the new one). */
  removes?: AuditedToken;
  adds?: AuditedToken;
  /** The roles after the command, when it changes them. */
  roles?: AuditedRole[];
}

/** The org indexed once, so a candidate is checked in time proportional to what it changes. */
class OrgIndex {
  readonly tokenById = new Map<string, AuditedToken>();
  /** Lower-case role id → the tokens holding it. */
  readonly holders = new Map<string, AuditedToken[]>();
  /** Client id → that token's findings; lower-case role id → the role's own findings (no client id). */
  readonly tokenFindings = new Map<string, Finding[]>();
  readonly roleFindings = new Map<string, Finding[]>();
  readonly roleIndex: RoleIndex;

  constructor(readonly org: AuditedOrg) {
    const index = (this.roleIndex = indexRoles(org.roles));
    for (const token of org.tokens) {
      this.tokenById.set(token.clientId, token);
      for (const id of roleIdsOf(token)) {
        const list = this.holders.get(id);
        if (list) list.push(token);
        else this.holders.set(id, [token]);
      }
      this.tokenFindings.set(token.clientId, tokenRisks(token, index, org.settings));
    }
    for (const role of org.roles) this.roleFindings.set(role.id.toLowerCase(), roleRisks(role, this.holders.has(role.id.toLowerCase())));
  }

  /**
   * The findings a candidate can change, before and after it runs (a rotation's old token's findings under the new
   * token's id), as keys.
   */
  affected(c: Candidate): { before: Set<string>; after: Set<string> } {
    const { org } = this;
    const roles = c.roles ?? org.roles;
    const changedRoles = new Set<string>();
    if (c.roles) {
      const was = new Set(org.roles);
      const now = new Set(c.roles);
      for (const r of c.roles) if (!was.has(r)) changedRoles.add(r.id.toLowerCase());
      for (const r of org.roles) if (!now.has(r)) changedRoles.add(r.id.toLowerCase());
    }
    const touchedTokens = new Set<AuditedToken>();
    if (c.removes) touchedTokens.add(c.removes);
    for (const id of changedRoles) for (const t of this.holders.get(id) ?? []) touchedTokens.add(t);
    const touchedRoles = new Set(changedRoles);
    for (const t of [c.removes, c.adds]) if (t) for (const id of roleIdsOf(t)) touchedRoles.add(id);

    const before = new Set<string>();
    for (const t of touchedTokens) for (const f of this.tokenFindings.get(t.clientId) ?? []) before.add(findingKey(carried(c, f)));
    for (const id of touchedRoles) for (const f of this.roleFindings.get(id) ?? []) before.add(findingKey(f));

    const index = c.roles ? indexRoles(c.roles) : this.roleIndex;
    const after = new Set<string>();
    const afterTokens = [...touchedTokens].filter((t) => t !== c.removes);
    if (c.adds) afterTokens.push(c.adds);
    for (const t of afterTokens) for (const f of tokenRisks(t, index, org.settings)) after.add(findingKey(f));
    for (const role of roles) {
      const id = role.id.toLowerCase();
      if (!touchedRoles.has(id)) continue;
      for (const f of roleRisks(role, this.stillHeld(id, c))) after.add(findingKey(f));
    }
    return { before, after };
  }

  /** Whether a token holds the role after the candidate runs (it changes no token but the one it removes or adds). */
  private stillHeld(id: string, c: Candidate): boolean {
    if (c.adds && roleIdsOf(c.adds).has(id)) return true;
    const holders = this.holders.get(id) ?? [];
    return holders.some((t) => t !== c.removes);
  }
}

/** A finding as a rotation leaves it: the old token's findings are the new token's to compare with. */
const carried = (c: Candidate, f: Finding): Finding =>
  c.adds && c.removes && f.clientId === c.removes.clientId ? { ...f, clientId: c.adds.clientId } : f;

const roleIdsOf = (token: AuditedToken): Set<string> => new Set(token.roles.map((r) => r.id.toLowerCase()));

/**
 * Every finding of the org (in report order) with its `fix` (or null) and its advice ending in the same command, when there is one. `globals`
 * come first in every fix (the credential and API options the audit ran with, so the fix acts on the same org);
 * `describe` turns a fix into the command line a person pastes.
 */
export function withFixes(org: AuditedOrg, globals: readonly string[], describe: (argv: readonly string[]) => string): Finding[] {
  const index = new OrgIndex(org);
  // The same findings as findRisks(org.tokens, org.roles, org.settings), from the index built for the checks.
  const findings = [...index.tokenFindings.values(), ...index.roleFindings.values()].flat().sort(compareFindings);
  // One command can be offered for many findings (a role narrowed for every token holding it): checked once.
  const checked = new Map<string, { before: Set<string>; after: Set<string> }>();
  const clears = (c: Candidate, finding: Finding): boolean => {
    // A token's rotation or revocation is offered for that token's findings only: not worth a cache entry.
    const key = c.roles ? JSON.stringify(c.argv) : undefined;
    let sets = key === undefined ? undefined : checked.get(key);
    if (!sets) {
      sets = index.affected(c);
      if (key !== undefined) checked.set(key, sets);
    }
    if (sets.after.has(findingKey(carried(c, finding)))) return false;
    for (const k of sets.after) if (!sets.before.has(k)) return false;
    return true;
  };
  return findings.map((finding) => {
    const found = candidatesFor(finding, org, index).find((c) => clears(c, finding));
    const fix = found ? [...globals, ...found.argv] : null;
    return { ...finding, advice: fix ? `${finding.advice}: ${describe(fix)}` : finding.advice, fix };
  });
}

function candidatesFor(finding: Finding, org: AuditedOrg, index: OrgIndex): Candidate[] {
  return rawCandidates(finding, org, index).filter((c): c is Candidate => c !== undefined);
}

function rawCandidates(finding: Finding, org: AuditedOrg, index: OrgIndex): Array<Candidate | undefined> {
  const token = finding.clientId === null ? undefined : index.tokenById.get(finding.clientId);
  const role = finding.roleId === null ? undefined : index.roleIndex.byId.get(finding.roleId.toLowerCase());
  const live = token ? liveRoles(token, index.roleIndex.byId) : [];
  switch (finding.rule) {
    case 'admin-role': {
      if (!token) return [];
      const narrower = live.filter((r) => adminActions(r).length === 0);
      const builtIn = org.roles.find((r) => r.builtIn && r.name === NARROWED_ROLE);
      const out: Array<Candidate | undefined> = [];
      if (narrower.length > 0) out.push(rotate(token, live, org, { roles: narrower }));
      else if (builtIn) out.push(rotate(token, live, org, { roles: [builtIn] }));
      // A custom role loses its admin actions instead (every token holding it is narrowed with it).
      if (role && !role.builtIn) {
        const keep = role.actions.filter((a) => !adminActions(role).includes(a));
        if (keep.length > 0) out.push(removeActions(role, adminActions(role), org));
      }
      return out;
    }
    case 'no-expiry':
      return token ? [rotate(token, live, org, { expiry: true })] : [];
    case 'too-old':
    case 'expiring':
      return token ? [rotate(token, live, org, {})] : [];
    case 'deleted-role':
      if (!token) return [];
      return live.length > 0 ? [rotate(token, live, org, { roles: live })] : [revoke(token)];
    case 'expired':
      return token ? [revoke(token)] : [];
    case 'unused-role':
      return role ? [deleteRole(role, org)] : [];
    case 'broad-custom-role':
      // Which databases the role should cover is not in the org's data; only a role nobody holds can simply go.
      return role && !index.holders.has(role.id.toLowerCase()) ? [deleteRole(role, org)] : [];
    case 'no-description':
      // Who owns the token is not in the org's data: no command can say it for the user.
      return [];
  }
}

/** The token's roles that still exist. */
function liveRoles(token: AuditedToken, roleById: ReadonlyMap<string, AuditedRole>): AuditedRole[] {
  return token.roles.flatMap((ref) => roleById.get(ref.id.toLowerCase()) ?? []);
}

/**
 * `token rotate <id>` with `--role` when the roles change (or a deleted role forces them to be named) and
 * `--expires` when the inherited lifetime would not do: none to inherit (`expiry`), unreadable, too short for rotate,
 * or so short that the new token would be `expiring` at once.
 */
function rotate(
  token: AuditedToken,
  live: readonly AuditedRole[],
  org: AuditedOrg,
  change: { roles?: readonly AuditedRole[]; expiry?: boolean },
): Candidate | undefined {
  const { settings } = org;
  const now = settings.now.getTime();
  const argv = ['token', 'rotate', token.clientId];
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
  return { argv, removes: token, adds: fresh };
}

/** The old token's lifetime in ms; null when it never expires; undefined when its dates cannot be read. */
function inheritedLifetime(token: AuditedToken): number | null | undefined {
  if (token.expiresAt === null) return null;
  const start = token.generatedOn === null ? undefined : parseInstant(token.generatedOn)?.getTime();
  const end = parseInstant(token.expiresAt)?.getTime();
  return start === undefined || end === undefined || end <= start ? undefined : end - start;
}

function revoke(token: AuditedToken): Candidate {
  return { argv: ['token', 'delete', token.clientId], removes: token };
}

function deleteRole(role: AuditedRole, org: AuditedOrg): Candidate {
  return { argv: ['role', 'delete', role.id], roles: org.roles.filter((r) => r !== role) };
}

function removeActions(role: AuditedRole, actions: readonly string[], org: AuditedOrg): Candidate {
  const narrowed: AuditedRole = { ...role, actions: role.actions.filter((a) => !actions.includes(a)) };
  return {
    argv: ['role', 'update', role.id, ...actions.flatMap((a) => ['--remove-action', a])],
    roles: org.roles.map((r) => (r === role ? narrowed : r)),
  };
}

/** A role as `--role` takes it: its name when no other role answers to it, else its id. */
function roleRef(role: AuditedRole, roles: readonly AuditedRole[]): string {
  const lower = role.name.toLowerCase();
  const unique = role.name.trim() !== '' && roles.filter((r) => r.name.toLowerCase() === lower).length === 1;
  return unique ? role.name : role.id;
}
