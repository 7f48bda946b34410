// What role create and role update share: reading the action and resource flags, the checks that run before any
// request (DRN grammar, known actions, built-in roles), and the org the resources must belong to.
import type { DevOpsClient } from '../../api/client.js';
import type { Role } from '../../api/schemas.js';
import type { Context } from '../../context.js';
import { checkDbScope, isUuid, requireDrn, type DbScope } from '../../domain/drn.js';
import { AppError, UsageError } from '../../errors.js';
import { printable } from '../../text/terminal.js';
import { unknownActions } from '../../domain/known-actions.js';
import { builtInRoleByName } from '../../domain/role-labels.js';
import { roleNameProblem } from '../../domain/role-name.js';
import { resolveDatabase } from '../resolve-database.js';

/** Repeated flags may also carry comma-separated values (`--action db-cql,db-rest`); blanks and repeats drop out. */
export function flagValues(values: readonly string[] | undefined): string[] {
  const out: string[] = [];
  for (const value of values ?? []) {
    for (const item of value.split(',')) {
      const trimmed = item.trim();
      if (trimmed !== '' && !out.includes(trimmed)) out.push(trimmed);
    }
  }
  return out;
}

/** Actions are plain tokens like `db-cql`: anything with spaces or odd characters is a typo, even with --allow-unknown-action. */
export function checkActionSyntax(flag: string, actions: readonly string[]): void {
  for (const action of actions) {
    if (!/^[a-z0-9][a-z0-9-]*$/i.test(action)) {
      throw new UsageError(`${flag}: '${printable(action)}' is not an action name (like db-cql or org-db-view)`);
    }
  }
}

/**
 * Unknown actions: exit 2 naming the closest known one, before any request (a role granting `db-cqll` grants
 * nothing it was meant to). The server's list grows, so `--allow-unknown-action` sends them, with a warning.
 */
export function checkKnownActions(ctx: Context, flag: string, actions: readonly string[], allowUnknown: boolean): void {
  for (const { action, suggestion } of unknownActions(actions)) {
    const hint = suggestion ? `did you mean '${suggestion}'?` : "see 'astra-token role actions' for the documented ones";
    if (!allowUnknown) {
      throw new UsageError(`${flag}: unknown action '${printable(action)}'`, {
        hint: `${hint} (an action newer than this tool: add --allow-unknown-action)`,
      });
    }
    ctx.io.warn(`unknown action '${printable(action)}' (${hint}); sending it as given (--allow-unknown-action)`);
  }
}

/** Validates `--resource`-style DRNs (exit 2 before any request). */
export function checkResources(flag: string, resources: readonly string[]): void {
  for (const resource of resources) requireDrn(resource, flag);
}

/** `--db/--keyspace/--table` as given; undefined when none of them is. `--db` may be a name: see scopeDatabaseId. */
export function dbScope(options: { db?: string; keyspace?: string; table?: string }): (DbScope & { db: string }) | undefined {
  const scope: DbScope = { db: options.db, keyspace: options.keyspace, table: options.table };
  // A name is looked up later (it needs the API); the levels below it are checked now, offline.
  checkDbScope({ ...scope, db: scope.db === undefined || !isDatabaseName(scope.db) ? scope.db : '*' });
  return scope.db === undefined ? undefined : { ...scope, db: scope.db };
}

const isDatabaseName = (db: string) => db !== '*' && !isUuid(db);

/** The database id a scope's `--db` means: an id or `*` as given, a name looked up (as `token create --db` does). */
export async function scopeDatabaseId(ctx: Context, api: DevOpsClient, db: string): Promise<string> {
  return isDatabaseName(db) ? (await resolveDatabase(ctx, api, db)).id : db;
}

/** The org id the credential belongs to: custom roles' resources name it. */
export async function currentOrgId(api: DevOpsClient): Promise<string> {
  return (await api.currentOrg()).id;
}

/** A resource naming another org (or the built-ins' `__ORG_ID__` placeholder) would make a role that grants nothing. */
export function checkResourcesOrg(flag: string, resources: readonly string[], orgId: string): void {
  for (const resource of resources) {
    const { org } = requireDrn(resource, flag);
    if (org.toLowerCase() !== orgId.toLowerCase()) {
      throw new UsageError(
        `${flag}: '${printable(resource, 120)}' names org ${printable(org)}, but the credential belongs to org ${orgId}`,
        {
          hint: `custom roles can only cover their own org; use drn:astra:org:${orgId}...`,
        },
      );
    }
  }
}

/**
 * Refuses a built-in role named on the command line by its API name, before any request. (A label is refused once
 * the role list shows which role it names: a custom role may bear a label as its name.)
 */
export function refuseBuiltInName(ref: string, verb: 'update' | 'delete'): void {
  const name = builtInRoleByName(ref);
  if (name) throw builtInRefusal(name, verb);
}

/** Refuses a built-in role found by id (only the role list has been read). */
export function refuseBuiltIn(role: Role, verb: 'update' | 'delete'): void {
  if (role.builtIn) throw builtInRefusal(role.name, verb);
}

function builtInRefusal(name: string, verb: 'update' | 'delete'): UsageError {
  return new UsageError(`'${name}' is a built-in role: built-in roles cannot be ${verb === 'update' ? 'changed' : 'deleted'}`, {
    hint: verb === 'update' ? "create a custom role instead ('astra-token role create --help')" : 'only custom roles can be deleted',
  });
}

/** A role name that another role already has (names are unique, case-insensitively). */
export function checkNameFree(roles: readonly Role[], name: string, exceptId?: string): void {
  const taken = roles.find((r) => r.id !== exceptId && r.name.toLowerCase() === name.toLowerCase());
  if (taken) {
    throw new AppError('CONFLICT', `a role named '${printable(taken.name)}' already exists (${taken.id})`, {
      hint: 'role names are unique in an org (case-insensitively); pick another name',
    });
  }
}

/** A role name typed by the user, checked by the one role-name rule (exit 2); surrounding spaces dropped. */
export function checkRoleName(flag: string, name: string): string {
  const problem = roleNameProblem(name);
  if (problem) throw new UsageError(`${flag}: ${problem}`);
  return name.trim();
}
