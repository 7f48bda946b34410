import { listOutput } from '../options.js';
import type { Database } from '../../api/schemas.js';
import { nameCacheKey, writeDbCache } from '../../config/role-cache.js';
import type { Context } from '../../context.js';
import { renderList, type Column } from '../../output/render.js';
import type { OptionsOf } from '../verb.js';
import type { DbVerbs } from './register.js';

/** The contract's `db list` item. */
export function databaseJson(db: Database) {
  return { id: db.id, name: db.name, region: db.region, status: db.status };
}

export async function dbList(ctx: Context, options: OptionsOf<DbVerbs['list']>): Promise<void> {
  const api = await ctx.api();
  const databases = (await api.listDatabases(options.all ? { include: 'all' } : {})).sort(
    (a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id),
  );
  // Shell completion of --db reads this cache: it never calls the network itself. A terminated database (--all) is
  // no name --db can use.
  const usable = databases.filter((d) => d.status !== 'TERMINATED' && d.name !== '');
  writeDbCache(
    ctx,
    nameCacheKey((await ctx.credential()).profile),
    usable.map((d) => d.name),
  );
  const { color } = ctx.io;
  const columns: Column<Database>[] = [
    // A terminal shows the NAME first (what --db takes); the id gives way before it does.
    { header: 'ID', plain: (d) => d.id, flexible: 'id' },
    { header: 'NAME', plain: (d) => d.name, tty: (d) => color.bold(d.name), flexible: 'last', ttyFirst: true },
    { header: 'REGION', plain: (d) => d.region, flexible: true },
    { header: 'STATUS', plain: (d) => d.status, tty: (d) => (d.status === 'ACTIVE' ? color.green(d.status) : color.yellow(d.status)) },
  ];
  renderList(listOutput(ctx, options), databases, columns, databases.map(databaseJson), 'this org has no databases');
}
