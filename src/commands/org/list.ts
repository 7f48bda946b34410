import { listOutput } from '../options.js';
import type { OptionsOf } from '../verb.js';
import type { OrgVerbs } from './register.js';
import type { Context } from '../../context.js';
import { renderList, type Column } from '../../output/render.js';
import { profileItem, type ProfileItem } from './profile-item.js';

/** An org id on a terminal, unless --wide: its first 8 characters are enough to tell orgs apart (as git's short ids). */
const shortId = (id: string) => (id.length > 9 ? `${id.slice(0, 8)}…` : id);

export async function orgList(ctx: Context, options: OptionsOf<OrgVerbs['list']>): Promise<void> {
  const config = await ctx.config();
  const items = config.profiles.map((p) => profileItem(p, config)).sort((a, b) => a.name.localeCompare(b.name));
  const c = ctx.io.color;
  const unknown = c.dim('-');
  const columns: Column<ProfileItem>[] = [
    { header: 'NAME', plain: (p) => p.name, tty: (p) => (p.current ? c.bold(p.name) : p.name), flexible: 'last' },
    {
      header: 'ORG ID',
      plain: (p) => p.orgId ?? '',
      tty: (p) => p.orgId ?? unknown,
      compact: (p) => (p.orgId === null ? unknown : shortId(p.orgId)),
    },
    { header: 'ORG NAME', plain: (p) => p.orgName ?? '', tty: (p) => p.orgName ?? unknown, flexible: true },
    // Not shortened with the names: a URL cut to `http://…` says nothing.
    { header: 'API URL', plain: (p) => p.apiUrl },
    { header: 'CURRENT', plain: (p) => (p.current ? '*' : ''), tty: (p) => (p.current ? c.green('*') : '') },
    // Last, so the columns scripts already cut by position stay where they were.
    { header: 'STORAGE', plain: (p) => p.storage },
  ];
  renderList(listOutput(ctx, options), items, columns, items, 'no profiles saved yet; add one with: astra-token org add <name>');
}
