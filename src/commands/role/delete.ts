import { confirmOrStop, requireConsent } from '../../confirm.js';
import type { Context } from '../../context.js';
import { explainWriteError } from '../../domain/explain-role-write.js';
import { isMissingPermission } from '../../errors.js';
import { renderResult } from '../../output/result.js';
import { resolveRole } from '../../domain/resolve-roles.js';
import { refuseBuiltIn, refuseBuiltInName } from './policy-input.js';
import type { OptionsOf } from '../verb.js';
import type { RoleVerbs } from './register.js';
import { printable, terminalSafe } from '../../text/terminal.js';
import { cappedLines } from '../../output/capped-lines.js';
import type { TokenInfo } from '../../api/schemas.js';

export type RoleDeleteOptions = OptionsOf<RoleVerbs['delete']>;

export async function roleDelete(ctx: Context, ref: string, options: RoleDeleteOptions): Promise<void> {
  refuseBuiltInName(ref, 'delete');
  const yes = options.yes === true;
  requireConsent(ctx, yes, 'role delete');

  const api = await ctx.api();
  const role = resolveRole(await api.listRoles(), ref);
  refuseBuiltIn(role, 'delete');

  // Tokens keep a deleted role's id and silently lose what it granted: say which, while there is time to stop.
  let holders: TokenInfo[] = [];
  try {
    holders = (await api.listTokens()).filter((t) => t.roles.includes(role.id));
  } catch (err) {
    if (!isMissingPermission(err)) throw err;
    ctx.debug('cannot list tokens (403): not checking which tokens hold the role');
  }
  if (holders.length) {
    const n = holders.length;
    const lines = holders.map((t) => `  ${t.clientId}  ${t.description ? `"${printable(t.description)}"` : '(no description)'}`);
    ctx.io.warn(
      [
        `${n} token${n === 1 ? '' : 's'} still hold${n === 1 ? 's' : ''} role '${role.name}'; ` +
          `${n === 1 ? 'it' : 'they'} will lose the permissions it grants:`,
        ...cappedLines(lines, ` (see: astra-token token list --role ${role.id})`),
      ].join('\n'),
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
