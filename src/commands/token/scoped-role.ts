// `token create --db`: the custom role the Astra portal's "Generate Token" on a database makes, found or created here.
//
// Naming (one role per database, built-in role and scope, so a re-run finds the role it made before):
//   --db orders                                   -> "orders Database Administrator"
//   --db orders --keyspace sales                  -> "orders Database Administrator (keyspace sales)"
//   --db orders --keyspace sales --table items    -> "orders Database Administrator (table sales.items)"
//   --db orders --role "RO User"                  -> "orders RO User"
// When the credential may not read databases, `--db` must be an id and the id stands in for the name.
// The role holds the built-in role's actions as they are, and the portal's resources for the scope (scopeResources).
import type { DevOpsClient } from '../../api/client.js';
import type { Database, Role, RolePolicy } from '../../api/schemas.js';
import type { Context } from '../../context.js';
import { checkDbScope, isUuid, scopeResources, type DbScope } from '../../domain/drn.js';
import { AppError, UsageError, isConflict } from '../../errors.js';
import { builtInRoleName } from '../../domain/role-labels.js';
import { roleNameProblem } from '../../domain/role-name.js';
import { explainWriteError } from '../../domain/explain-role-write.js';
import { printable, terminalSafe } from '../../text/terminal.js';
import { resolveDatabase } from '../resolve-database.js';
import type { OptionsOf } from '../verb.js';
import type { TokenVerbs } from './register.js';
export { resolveDatabase } from '../resolve-database.js';

export const DEFAULT_SCOPED_ROLE = 'Database Administrator';

/** The scope flags of `token create`, `token rotate` and `token exec`, as declared. */
export type ScopeFlags = Pick<OptionsOf<TokenVerbs['create']>, 'db' | 'keyspace' | 'table' | 'role'>;

/** What `--db/--keyspace/--table/--role` ask for, checked offline. */
export interface ScopeRequest {
  /** A database id (UUID, lower-cased) or name, as given. */
  db: string;
  keyspace?: string;
  table?: string;
  /** The built-in role whose actions the scoped role gets, spelt as Astra spells it. */
  baseRole: string;
}

/** The role a scoped token gets, and whether this run created it. */
export interface ScopedRole {
  role: Role;
  created: boolean;
}

/**
 * Checks the flag combination before any request (exit 2): a keyspace needs a database, a table a keyspace, names
 * must fit their DRN level, and `--role` (at most one) must name a built-in role. Undefined without `--db`.
 * A `*` level is the same scope as leaving the level out, so it is folded away: equal scopes get equal role names.
 */
export function scopeRequest(options: ScopeFlags): ScopeRequest | undefined {
  const db = options.db?.trim();
  // The database is checked as `*` here: it may still be a name, resolved to an id later.
  checkDbScope({ db: db === undefined ? undefined : '*', keyspace: options.keyspace, table: options.table });
  if (db === undefined) return undefined;
  if (db === '') throw new UsageError('--db: give a database name or id');
  if (db === '*') throw new UsageError('--db: name one database (a token for every database needs no --db: use --role)');
  const refs = options.role ?? [];
  if (refs.length > 1) {
    throw new UsageError('--db takes one --role: the built-in role whose actions the database-scoped role gets', {
      hint: 'for several roles, create one scoped token per role, or a custom role with role create --db',
    });
  }
  const ref = refs[0] ?? DEFAULT_SCOPED_ROLE;
  const baseRole = builtInRoleName(ref);
  if (!baseRole) {
    throw new UsageError(`--role with --db must name a built-in role, not '${printable(ref)}'`, {
      hint: `e.g. --role "${DEFAULT_SCOPED_ROLE}" (the default), "R/W User" or "RO User"; a custom role can be scoped with 'astra-token role create --db'`,
    });
  }
  let keyspace = options.keyspace;
  let table = options.table;
  if (table === '*') table = undefined;
  if (keyspace === '*' && table === undefined) keyspace = undefined;
  return { db: isUuid(db) ? db.toLowerCase() : db, keyspace, table, baseRole };
}

/** The role name for a database name (or id), a built-in role and a scope; see the naming table above. */
export function scopedRoleName(dbLabel: string, baseRole: string, scope: Pick<DbScope, 'keyspace' | 'table'>): string {
  const base = `${dbLabel} ${baseRole}`;
  if (scope.table !== undefined) return `${base} (table ${scope.keyspace ?? '*'}.${scope.table})`;
  if (scope.keyspace !== undefined) return `${base} (keyspace ${scope.keyspace})`;
  return base;
}

/** The role a `--db` token gets, as the portal does it: the org, the database (its name names the role), the role. */
export async function scopedRoleFor(ctx: Context, api: DevOpsClient, request: ScopeRequest): Promise<ScopedRole> {
  const orgId = (await api.currentOrg()).id;
  const database = await resolveDatabase(ctx, api, request.db);
  return findOrCreateScopedRole(ctx, api, request, database, orgId);
}

const sameSet = (a: readonly string[], b: readonly string[]): boolean => {
  const left = new Set(a);
  const right = new Set(b);
  return left.size === right.size && [...left].every((x) => right.has(x));
};

/**
 * Finds the scoped role by name (names are unique case-insensitively) or creates it. A role of that name is reused
 * only when it is exactly what this would make, the scope's resources and the base role's actions: a role widened
 * since (`role update --add-action org-token-write`) or pointed elsewhere is exit 6, rather than a token that
 * reaches further than `--db` says.
 */
export async function findOrCreateScopedRole(
  ctx: Context,
  api: DevOpsClient,
  request: ScopeRequest,
  database: Database,
  orgId: string,
): Promise<ScopedRole> {
  const dbLabel = database.name === '' ? database.id : database.name;
  const name = scopedRoleName(dbLabel, request.baseRole, request);
  // The name comes from API data (the database's name): it passes the check a typed role name passes, or nothing
  // is made.
  const problem = roleNameProblem(name);
  if (problem) {
    throw new UsageError(`database ${database.id} has a name that cannot name a role (${problem})`, {
      hint: `make the role yourself: 'astra-token role create <name> --db ${database.id} --action ...', then token create --role <name>`,
    });
  }
  const resources = scopeResources(orgId, { db: database.id, keyspace: request.keyspace, table: request.table });

  const roles = await api.listRoles();
  const lowerBase = request.baseRole.toLowerCase();
  const base = roles.find((r) => r.builtIn && r.name.toLowerCase() === lowerBase) ?? roles.find((r) => r.name.toLowerCase() === lowerBase);
  if (!base) {
    throw new AppError('NOT_FOUND', `the org has no built-in role '${request.baseRole}' to copy the actions from`, {
      hint: "see 'astra-token role list'",
    });
  }

  const existing = findByName(roles, name);
  if (existing) return { role: reuse(ctx, existing, base, resources, name), created: false };

  const policy: RolePolicy = {
    description: `${request.baseRole} limited to ${describeScope(dbLabel, database.id, request)}; made by astra-token token create --db`,
    resources,
    actions: [...base.actions],
    effect: 'allow',
  };
  try {
    const role = await api.createRole({ name, policy });
    ctx.io.success(`created role '${terminalSafe(role.name)}' (${role.id})`);
    return { role, created: true };
  } catch (err) {
    // Another run created it between the list and the create: reuse it when it is the same scope.
    if (isConflict(err)) {
      const raced = findByName(await api.listRoles(), name);
      if (raced) return { role: reuse(ctx, raced, base, resources, name), created: false };
    }
    throw explainWriteError(err, 'org-role-write', name);
  }
}

function findByName(roles: readonly Role[], name: string): Role | undefined {
  const lower = name.toLowerCase();
  return roles.find((r) => r.name.toLowerCase() === lower);
}

function reuse(ctx: Context, role: Role, base: Role, resources: readonly string[], name: string): Role {
  const differs = role.builtIn
    ? 'is a built-in role'
    : !sameSet(role.resources, resources)
      ? 'covers other resources than this scope'
      : !sameSet(role.actions, base.actions)
        ? `allows other actions than '${printable(base.name)}' (it was changed after it was made)`
        : undefined;
  if (differs) {
    throw new AppError('CONFLICT', `a role named '${printable(role.name)}' (${role.id}) exists but ${differs}; it is not reused`, {
      hint: role.builtIn
        ? `'${printable(name)}' cannot be a scoped role name; use 'astra-token role create --db' with another name, then token create --role`
        : `see 'astra-token role get ${role.id}'; delete it ('astra-token role delete ${role.id}') or rename it ('astra-token role update ${role.id} --name <new name>'), and the next run makes it anew`,
    });
  }
  ctx.io.info(`reusing role '${terminalSafe(role.name)}' (${role.id})`);
  return role;
}

function describeScope(dbLabel: string, dbId: string, scope: Pick<DbScope, 'keyspace' | 'table'>): string {
  const db = dbLabel === dbId ? `database ${dbId}` : `database ${dbLabel} (${dbId})`;
  if (scope.table !== undefined) return `table ${scope.keyspace ?? '*'}.${scope.table} of ${db}`;
  if (scope.keyspace !== undefined) return `keyspace ${scope.keyspace} of ${db}`;
  return db;
}
