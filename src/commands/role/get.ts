import type { Context } from '../../context.js';
import { resolveRole } from '../../domain/resolve-roles.js';
import { renderRole } from './show.js';

export async function roleGet(ctx: Context, ref: string): Promise<void> {
  const api = await ctx.api();
  const role = resolveRole(await api.listRoles(), ref);
  renderRole(ctx, role);
}
