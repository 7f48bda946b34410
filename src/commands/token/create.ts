import type { CreateTokenRequest } from '../../api/client.js';
import type { Context } from '../../context.js';
import { UsageError } from '../../errors.js';
import { printable } from '../../text/terminal.js';
import { isUuid } from '../../domain/drn.js';
import { checkRoleRef } from '../../domain/resolve-roles.js';
import { CREATE_SHORT_EXPIRY_MS, parseExpiry, toApiInstant } from '../../domain/time.js';
import { NewTokenOutput, newTokenJson, type NewTokenJson } from './new-token.js';
import { scopeRequest } from './scoped-role.js';
import { rolesForNewToken } from './new-token-roles.js';
import type { OptionsOf } from '../verb.js';
import type { TokenVerbs } from './register.js';

export type TokenCreateOptions = OptionsOf<TokenVerbs['create']>;

export async function tokenCreate(ctx: Context, options: TokenCreateOptions): Promise<void> {
  // Everything that can be checked locally is checked before the first request.
  const scope = scopeRequest(options);
  const refs = options.role ?? [];
  if (!scope && refs.length === 0) {
    throw new UsageError('--role is required: give a role name or id (repeat --role for several)', {
      hint: "see 'astra-token role list' for the roles of this org",
    });
  }
  for (const ref of refs) checkRoleRef(ref, '--role');
  const request: Omit<CreateTokenRequest, 'roles'> = {};
  if (options.description !== undefined && options.description !== '') request.description = options.description;
  if (options.expires !== undefined) {
    const now = ctx.now();
    const expiry = parseExpiry(options.expires, now);
    if (expiry.getTime() - now.getTime() < CREATE_SHORT_EXPIRY_MS) {
      ctx.io.warn(
        `--expires '${printable(options.expires)}': the token dies in under 5 minutes; 'astra-token token exec' creates a short-lived token and revokes it when the command ends`,
      );
    }
    request.tokenExpiry = toApiInstant(expiry);
  }
  if (options.orgId !== undefined) {
    if (scope) {
      throw new UsageError('--org-id cannot be combined with --db: the scoped role is made in the org of the credential', {
        hint: 'use a credential of the target org instead',
      });
    }
    if (!isUuid(options.orgId.trim())) {
      throw new UsageError(`--org-id: '${printable(options.orgId)}' is not an organization id (a UUID)`);
    }
    request.orgId = options.orgId.trim().toLowerCase();
  }
  const output = await NewTokenOutput.prepare(ctx, options.outputFile, options);
  output.refuseUnreadableStdout();

  const api = await ctx.api();
  const { roles, scoped } = await rolesForNewToken(ctx, api, scope, refs, request.orgId !== undefined);
  const full: CreateTokenRequest = { roles: roles.map((r) => r.id), ...request };

  const created = await output.create(api, full, 'run the same command again', roles);
  const json: NewTokenJson & { scopedRole?: { id: string; name: string; created: boolean } } = newTokenJson(created, full, roles);
  // With --db the JSON object also says which role the token holds and whether this run made it (an addition).
  if (scoped) json.scopedRole = { id: scoped.role.id, name: scoped.role.name, created: scoped.created };
  await output.deliver(json);
}
