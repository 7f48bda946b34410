import { confirmOrStop, requireConsent } from '../../confirm.js';
import type { Context } from '../../context.js';
import { explainWriteError } from '../../domain/explain-role-write.js';
import { isMissingPermission } from '../../errors.js';
import { renderResult } from '../../output/result.js';
import { resolveRole } from '../../domain/resolve-roles.js';
import { refuseBuiltIn, refuseBuiltInName } from './policy-input.js';
import type { OptionsOf } from '../verb.js';
import type { RoleVerbs } from './register.js';
import { terminalSafe } from '../../text/terminal.js';

export type RoleDeleteOptions = OptionsOf<RoleVerbs['delete']>;

export async function roleDelete(ctx: Context, ref: string, options: RoleDeleteOptions): Promise<void> {
  refuseBuiltInName(ref, 'delete');
  const yes = options.yes === true;
  requireConsent(ctx, yes, 'role delete');

  const api = await ctx.api();
  const role = resolveRole(await api.listRoles(), ref);
  refuseBuiltIn(role, 'delete');

  // Tokens keep a deleted role's id and silently lose what it granted: say so while there is time to stop.
  let holders: number | undefined;
  try {
    holders = (await api.listTokens()).filter((t) => t.roles.includes(role.id)).length;
  } catch (err) {
    if (!isMissingPermission(err)) throw err;
    ctx.debug('cannot list tokens (403): not checking which tokens hold the role');
  }
  if (holders) {
    ctx.io.warn(
      `${holders} token${holders === 1 ? '' : 's'} still hold${holders === 1 ? 's' : ''} role '${role.name}'; ` +
        `${holders === 1 ? 'it' : 'they'} will lose the permissions it grants`,
    );
  }

  if (!yes)
    await confirmOrStop(
      ctx,
      `Delete role '${terminalSafe(role.name)}' (${role.id})?`,
      `role '${terminalSafe(role.name)}' not deleted: not confirmed`,
    );

  await api.deleteRole(role.id).catch((err: unknown) => {
    throw explainWriteError(err, 'org-role-delete');
  });
  ctx.io.success(`deleted role '${terminalSafe(role.name)}' (${role.id})`);
  renderResult(ctx, { json: { id: role.id, name: role.name, deleted: true } });
}
