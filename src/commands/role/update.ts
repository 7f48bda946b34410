import type { RolePolicy } from '../../api/schemas.js';
import type { Context } from '../../context.js';
import { explainWriteError } from '../../domain/explain-role-write.js';
import { scopeResources } from '../../domain/drn.js';
import { UsageError } from '../../errors.js';
import { resolveRole } from '../../domain/resolve-roles.js';
import {
  checkActionSyntax,
  checkKnownActions,
  checkNameFree,
  checkResources,
  checkResourcesOrg,
  checkRoleName,
  currentOrgId,
  dbScope,
  scopeDatabaseId,
  flagValues,
  refuseBuiltIn,
  refuseBuiltInName,
} from './policy-input.js';
import { renderRole } from './show.js';
import type { OptionsOf } from '../verb.js';
import type { RoleVerbs } from './register.js';
import { printable, terminalSafe } from '../../text/terminal.js';

export type RoleUpdateOptions = OptionsOf<RoleVerbs['update']>;

export async function roleUpdate(ctx: Context, ref: string, options: RoleUpdateOptions): Promise<void> {
  const newName = options.name === undefined ? undefined : checkRoleName('--name', options.name);
  const addActions = flagValues(options.addAction);
  const removeActions = flagValues(options.removeAction);
  const addResources = flagValues(options.addResource);
  const removeResources = flagValues(options.removeResource);
  const scope = dbScope(options);
  if (
    newName === undefined &&
    options.description === undefined &&
    addActions.length + removeActions.length + addResources.length + removeResources.length === 0 &&
    !scope
  ) {
    throw new UsageError('nothing to change', {
      hint: 'give --name, --description, --add-action, --remove-action, --add-resource, --remove-resource or --db',
    });
  }
  checkActionSyntax('--add-action', addActions);
  checkActionSyntax('--remove-action', removeActions);
  checkResources('--add-resource', addResources);
  checkResources('--remove-resource', removeResources);
  const both = (a: string[], b: string[]) => a.find((x) => b.includes(x));
  const clashAction = both(addActions, removeActions);
  if (clashAction) throw new UsageError(`action '${printable(clashAction)}' is both added and removed`);
  const clashResource = both(addResources, removeResources);
  if (clashResource) throw new UsageError(`resource '${printable(clashResource, 120)}' is both added and removed`);
  refuseBuiltInName(ref, 'update');
  checkKnownActions(ctx, '--add-action', addActions, options.allowUnknownAction === true);

  const api = await ctx.api();
  const roles = await api.listRoles();
  const role = resolveRole(roles, ref);
  refuseBuiltIn(role, 'update');
  if (newName !== undefined) checkNameFree(roles, newName, role.id);

  for (const action of removeActions) {
    if (!role.actions.includes(action)) {
      throw new UsageError(`--remove-action: role '${role.name}' has no action '${printable(action)}'`, {
        hint: `see 'astra-token role get ${role.id}'`,
      });
    }
  }
  for (const resource of removeResources) {
    if (!role.resources.includes(resource)) {
      throw new UsageError(`--remove-resource: role '${role.name}' has no resource '${printable(resource, 120)}'`, {
        hint: `see 'astra-token role get ${role.id}'`,
      });
    }
  }

  let added = addResources;
  if (addResources.length > 0 || scope) {
    const orgId = await currentOrgId(api);
    checkResourcesOrg('--add-resource', addResources, orgId);
    if (scope) scope.db = await scopeDatabaseId(ctx, api, scope.db);
    added = [...addResources, ...(scope ? scopeResources(orgId, scope) : [])];
  }
  const merge = (current: string[], add: string[], remove: string[]) => [
    ...current.filter((x) => !remove.includes(x)),
    ...add.filter((x, i) => !current.includes(x) && add.indexOf(x) === i),
  ];
  const name = newName ?? role.name;
  const policy: RolePolicy = {
    description: options.description ?? role.description,
    actions: merge(role.actions, addActions, removeActions),
    resources: merge(role.resources, added, removeResources),
    // Kept as it is: rewriting it would silently turn another effect into a grant.
    effect: role.effect,
  };
  if (policy.actions.length === 0) {
    throw new UsageError(`role '${role.name}' would have no action left`, { hint: 'a role needs at least one action; delete it instead' });
  }
  if (policy.resources.length === 0) {
    throw new UsageError(`role '${role.name}' would have no resource left`, {
      hint: 'a role needs at least one resource; delete it instead',
    });
  }

  const same = (a: string[], b: string[]) => a.length === b.length && a.every((x, i) => x === b[i]);
  if (
    name === role.name &&
    policy.description === role.description &&
    same(policy.actions, role.actions) &&
    same(policy.resources, role.resources)
  ) {
    // Re-running an update that is already in place is not an error (scripts stay idempotent).
    ctx.io.info(`role '${terminalSafe(role.name)}' already has these settings; nothing sent`);
    renderRole(ctx, role);
    return;
  }

  const updated = await api.updateRole(role.id, { name, policy }).catch((err: unknown) => {
    throw explainWriteError(err, 'org-role-write', name);
  });
  ctx.io.success(`updated role '${terminalSafe(updated.name)}' (${updated.id})`);
  renderRole(ctx, updated);
}
