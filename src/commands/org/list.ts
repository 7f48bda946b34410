import type { Context } from '../../context.js';
import { renderList, type Column } from '../../output/render.js';
import { profileItem, type ProfileItem } from './profile-item.js';

export async function orgList(ctx: Context): Promise<void> {
  const config = await ctx.config();
  const items = config.profiles.map((p) => profileItem(p, config)).sort((a, b) => a.name.localeCompare(b.name));
  const c = ctx.io.color;
  const unknown = c.dim('-');
  const columns: Column<ProfileItem>[] = [
    { header: 'NAME', plain: (p) => p.name, tty: (p) => (p.current ? c.bold(p.name) : p.name), flexible: 'last' },
    { header: 'ORG ID', plain: (p) => p.orgId ?? '', tty: (p) => p.orgId ?? unknown },
    { header: 'ORG NAME', plain: (p) => p.orgName ?? '', tty: (p) => p.orgName ?? unknown, flexible: true },
    { header: 'API URL', plain: (p) => p.apiUrl, flexible: true },
    { header: 'CURRENT', plain: (p) => (p.current ? '*' : ''), tty: (p) => (p.current ? c.green('*') : '') },
    // Last, so the columns scripts already cut by position stay where they were.
    { header: 'STORAGE', plain: (p) => p.storage },
  ];
  renderList(ctx, items, columns, items, 'no profiles saved yet; add one with: astra-token org add <name>');
}
