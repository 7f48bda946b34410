import { listOutput } from '../options.js';
import type { Role } from '../../api/schemas.js';
import { nameCacheKey, writeRoleCache } from '../../config/role-cache.js';
import type { Context } from '../../context.js';
import { isNotFound } from '../../errors.js';
import { renderList } from '../../output/render.js';
import { checkRoleRef, resolveRole } from '../../domain/resolve-roles.js';
import type { OptionsOf } from '../verb.js';
import type { TokenVerbs } from './register.js';
import { fetchOrgTokens, tokenColumns, tokenJson, type TokenView } from './token-view.js';

export async function tokenList(ctx: Context, options: OptionsOf<TokenVerbs['list']>): Promise<void> {
  // Flags are checked before any request.
  const withinMs = options.expiringWithin;
  if (options.role !== undefined) checkRoleRef(options.role, '--role');
  const api = await ctx.api();
  const { tokens, roles, roleNamesKnown } = await fetchOrgTokens(ctx, api, options.role !== undefined);
  // Shell completion of --role reads this cache: it never calls the network itself.
  if (roleNamesKnown)
    writeRoleCache(
      ctx.configDir(),
      nameCacheKey((await ctx.credential()).profile),
      roles.map((r) => r.name),
    );

  const filters: Array<(t: TokenView) => boolean> = [];
  if (options.role !== undefined) {
    const roleId = roleIdFor(options.role, roles, tokens);
    filters.push((t) => t.roles.some((r) => r.id === roleId));
  }
  if (options.expired) filters.push((t) => t.status === 'expired');
  if (withinMs !== undefined) {
    const limit = ctx.now().getTime() + withinMs;
    // Tokens that will expire within the window; ones already expired are `--expired`'s business.
    filters.push((t) => t.status !== 'expired' && (t.expiresMs ?? Infinity) <= limit);
  }
  const shown = tokens.filter((t) => filters.every((keep) => keep(t)));
  const empty = filters.length ? 'no tokens match the given filters' : 'this org has no tokens';
  renderList(listOutput(ctx, options), shown, tokenColumns(ctx), shown.map(tokenJson), empty);
}

/**
 * The role a `--role` filter means. A role that was deleted can still be named on tokens by its id: that id is
 * accepted as it is rather than reported as unknown.
 */
function roleIdFor(ref: string, roles: readonly Role[], tokens: readonly TokenView[]): string {
  try {
    return resolveRole(roles, ref).id;
  } catch (err) {
    const wanted = ref.trim();
    if (isNotFound(err) && tokens.some((t) => t.roles.some((r) => r.id === wanted))) {
      return wanted;
    }
    throw err;
  }
}
