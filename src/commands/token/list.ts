import { listOutput } from '../options.js';
import { nameCacheKey, writeRoleCache } from '../../config/role-cache.js';
import type { Context } from '../../context.js';
import { renderList } from '../../output/render.js';
import type { OptionsOf } from '../verb.js';
import type { TokenVerbs } from './register.js';
import { parseSelectors } from './selectors.js';
import { fetchOrgTokens, tokenColumns, tokenJson } from './token-view.js';

export async function tokenList(ctx: Context, options: OptionsOf<TokenVerbs['list']>): Promise<void> {
  // Flags are checked before any request.
  const selection = parseSelectors(options, ctx.now());
  const api = await ctx.api();
  const { tokens, roles, roleNamesKnown } = await fetchOrgTokens(ctx, api, selection.needsRoles);
  // Shell completion of --role reads this cache: it never calls the network itself.
  if (roleNamesKnown)
    writeRoleCache(
      ctx,
      nameCacheKey((await ctx.credential()).profile),
      roles.map((r) => r.name),
    );

  const shown = tokens.filter(selection.bind(roles, tokens));
  const empty = selection.count ? 'no tokens match the given filters' : 'this org has no tokens';
  renderList(listOutput(ctx, options), shown, tokenColumns(ctx), shown.map(tokenJson), empty);
}
