import type { CreateTokenRequest, DevOpsClient } from '../../api/client.js';
import type { Role } from '../../api/schemas.js';
import type { Context, GlobalOptions } from '../../context.js';
import { AppError, UsageError, printable } from '../../errors.js';
import { resolveRoles } from '../../resolve-roles.js';
import { parseExpiry, toApiInstant } from '../../time.js';
import { NewTokenOutput, newTokenJson } from './new-token.js';

export interface TokenCreateOptions extends GlobalOptions {
  role?: string[];
  description?: string;
  expires?: string;
  orgId?: string;
  outputFile?: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function tokenCreate(ctx: Context, options: TokenCreateOptions): Promise<void> {
  // Everything that can be checked locally is checked before the first request.
  const refs = options.role ?? [];
  if (refs.length === 0) {
    throw new UsageError('--role is required: give a role name or id (repeat --role for several)', {
      hint: "see 'astra-token role list' for the roles of this org",
    });
  }
  const request: Omit<CreateTokenRequest, 'roles'> = {};
  if (options.description !== undefined && options.description !== '') request.description = options.description;
  if (options.expires !== undefined) request.tokenExpiry = toApiInstant(parseExpiry(options.expires, ctx.now()));
  if (options.orgId !== undefined) {
    if (!UUID.test(options.orgId.trim())) {
      throw new UsageError(`--org-id: '${printable(options.orgId)}' is not an organization id (a UUID)`);
    }
    request.orgId = options.orgId.trim().toLowerCase();
  }
  const output = await NewTokenOutput.prepare(ctx, options.outputFile);

  const api = await ctx.api();
  const roles = await rolesForToken(api, refs, request.orgId !== undefined);
  const full: CreateTokenRequest = { roles: roles.map((r) => r.id), ...request };

  await output.reserve();
  let created;
  try {
    created = await api.createToken(full);
  } catch (err) {
    await output.abandon();
    throw err;
  }
  await output.deliver(newTokenJson(created, full, roles));
}

/**
 * The roles the new token gets, as role ids (the API takes a role *name* silently and makes a powerless token).
 * This is where a second source of roles (a database-scoped role for `--db/--keyspace/--table`) plugs in.
 *
 * With `--org-id` the roles of the target org cannot be listed: a UUID that is not one of this org's roles is passed
 * through as the target org's role id.
 */
async function rolesForToken(api: DevOpsClient, refs: readonly string[], otherOrg: boolean): Promise<Role[]> {
  const roles = await api.listRoles();
  if (!otherOrg) return resolveRoles(roles, refs);
  const resolved: Role[] = [];
  for (const ref of refs) {
    const id = ref.trim();
    try {
      resolved.push(...resolveRoles(roles, [ref]));
    } catch (err) {
      if (!(err instanceof AppError && err.code === 'NOT_FOUND' && UUID.test(id))) throw err;
      resolved.push({ id, name: id, description: '', effect: 'allow', actions: [], resources: [], builtIn: false, lastUpdated: null });
    }
  }
  return resolved.filter((r, i) => resolved.findIndex((o) => o.id === r.id) === i);
}
