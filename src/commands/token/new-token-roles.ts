// The roles a new token gets from `--role` (repeatable) or `--db/--keyspace/--table` (with `--role` as the base
// role): one function for every verb that mints a token from such flags (token create, token rotate).
import type { DevOpsClient } from '../../api/client.js';
import type { Role } from '../../api/schemas.js';
import type { Context } from '../../context.js';
import { isNotFound } from '../../errors.js';
import { isUuid } from '../../domain/drn.js';
import { resolveRoles } from '../../domain/resolve-roles.js';
import { scopedRoleFor, type ScopedRole, type ScopeRequest } from './scoped-role.js';

export interface NewTokenRoles {
  roles: Role[];
  /** With `--db`: the scoped role and whether this run made it. */
  scoped?: ScopedRole;
}

/**
 * Resolves `--db` (the portal's database-scoped role, found or created) or the `--role` references (to role ids: the
 * API takes a role *name* silently and makes a powerless token).
 *
 * With `otherOrg` (`--org-id`) the roles of the target org cannot be listed: a UUID that is not one of this org's
 * roles is passed through as the target org's role id.
 */
export async function rolesForNewToken(
  ctx: Context,
  api: DevOpsClient,
  scope: ScopeRequest | undefined,
  refs: readonly string[],
  otherOrg = false,
): Promise<NewTokenRoles> {
  if (scope) {
    const scoped = await scopedRoleFor(ctx, api, scope);
    return { roles: [scoped.role], scoped };
  }
  const roles = await api.listRoles();
  if (!otherOrg) return { roles: resolveRoles(roles, refs) };
  const resolved: Role[] = [];
  for (const ref of refs) {
    const id = ref.trim();
    try {
      resolved.push(...resolveRoles(roles, [ref]));
    } catch (err) {
      if (!(isNotFound(err) && isUuid(id))) throw err;
      resolved.push({ id, name: id, description: '', effect: 'allow', actions: [], resources: [], builtIn: false, lastUpdated: null });
    }
  }
  return { roles: resolved.filter((r, i) => resolved.findIndex((o) => o.id === r.id) === i) };
}
