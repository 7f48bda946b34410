import type { RolePolicy } from '../../api/schemas.js';
import type { Context } from '../../context.js';
import { explainWriteError } from '../../domain/explain-role-write.js';
import { orgDrn, scopeResources } from '../../domain/drn.js';
import { UsageError, isMissingPermission } from '../../errors.js';
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
} from './policy-input.js';
import { renderRole } from './show.js';
import type { OptionsOf } from '../verb.js';
import type { RoleVerbs } from './register.js';
import { terminalSafe } from '../../text/terminal.js';

export type RoleCreateOptions = OptionsOf<RoleVerbs['create']>;

export async function roleCreate(ctx: Context, rawName: string, options: RoleCreateOptions): Promise<void> {
  // Everything that can be checked offline is checked before the first request.
  const name = checkRoleName('role name', rawName);
  const actions = flagValues(options.action);
  if (actions.length === 0) {
    throw new UsageError('give at least one --action', { hint: 'e.g. --action db-cql --action db-table-select' });
  }
  checkActionSyntax('--action', actions);
  const given = flagValues(options.resource);
  const scope = dbScope(options);
  if (given.length > 0 && scope) {
    throw new UsageError('--resource cannot be combined with --db/--keyspace/--table', {
      hint: 'give the resources either as DRNs or as a database scope',
    });
  }
  checkResources('--resource', given);
  checkKnownActions(ctx, '--action', actions, options.allowUnknownAction === true);

  const api = await ctx.api();
  const orgId = await currentOrgId(api);
  // Without --resource or --db the role covers the org itself (org-level actions such as org-audits-read), not its
  // databases: the least a role can grant, and the user is told how to reach further.
  if (scope) scope.db = await scopeDatabaseId(ctx, api, scope.db);
  const resources = scope ? scopeResources(orgId, scope) : given.length > 0 ? given : [orgDrn(orgId)];
  if (!scope && given.length === 0) {
    ctx.io.info(`resources: ${orgDrn(orgId)} (the org itself); add --db <id> or --resource <drn> to reach databases`);
  }
  checkResourcesOrg('--resource', resources, orgId);

  // A clean "already exists" before writing; a token that may write roles but not read them relies on the API's 409.
  try {
    checkNameFree(await api.listRoles(), name);
  } catch (err) {
    if (!isMissingPermission(err)) throw err;
    ctx.debug('cannot list roles (403): leaving the duplicate-name check to the API');
  }

  const policy: RolePolicy = { description: options.description ?? '', resources, actions, effect: 'allow' };
  const role = await api.createRole({ name, policy }).catch((err: unknown) => {
    throw explainWriteError(err, 'org-role-write', name);
  });
  ctx.io.success(`created role '${terminalSafe(role.name)}' (${role.id})`);
  renderRole(ctx, role);
}
