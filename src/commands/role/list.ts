import { listOutput } from '../options.js';
import type { OptionsOf } from '../verb.js';
import type { RoleVerbs } from './register.js';
import type { Role } from '../../api/schemas.js';
import { nameCacheKey, writeRoleCache } from '../../config/role-cache.js';
import type { Context } from '../../context.js';
import { renderList, type Column } from '../../output/render.js';

/** The contract's role object (`role list` items and `role get`). */
export function roleJson(role: Role) {
  return {
    id: role.id,
    name: role.name,
    builtIn: role.builtIn,
    description: role.description,
    effect: role.effect,
    actions: role.actions,
    resources: role.resources,
  };
}

export async function roleList(ctx: Context, options: OptionsOf<RoleVerbs['list']>): Promise<void> {
  const api = await ctx.api();
  const roles = await api.listRoles();
  // Shell completion of --role reads this cache: it never calls the network itself.
  writeRoleCache(
    ctx,
    nameCacheKey((await ctx.credential()).profile),
    roles.map((r) => r.name),
  );
  // Built-in roles first, then custom ones, each by name.
  roles.sort((a, b) => Number(b.builtIn) - Number(a.builtIn) || a.name.localeCompare(b.name));
  const columns: Column<Role>[] = [
    // A terminal shows the NAME first and whole (what --role takes); the id gives way first.
    { header: 'ID', plain: (r) => r.id, flexible: 'id' },
    { header: 'NAME', plain: (r) => r.name, tty: (r) => ctx.io.color.bold(r.name), flexible: 'last', ttyFirst: true },
    {
      header: 'TYPE',
      plain: (r) => (r.builtIn ? 'built-in' : 'custom'),
      tty: (r) => (r.builtIn ? 'built-in' : ctx.io.color.cyan('custom')),
    },
    { header: 'DESCRIPTION', plain: (r) => r.description, flexible: true },
  ];
  renderList(listOutput(ctx, options), roles, columns, roles.map(roleJson), 'no roles found');
}
