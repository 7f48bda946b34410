// `--db <name-or-id>`, the same everywhere (`token create`, `role create`, `role update`): one lookup, one
// did-you-mean. A successful list also refreshes the database names shell completion offers.
import type { DevOpsClient } from '../api/client.js';
import type { Database } from '../api/schemas.js';
import { nameCacheKey, writeDbCache } from '../config/role-cache.js';
import type { Context } from '../context.js';
import { isUuid } from '../domain/drn.js';
import { AppError, isMissingPermission, isNotFound, answerStatus } from '../errors.js';
import { printable } from '../text/terminal.js';
import { resolveByName } from '../domain/resolve-by-name.js';

/**
 * The database `--db` names. An id is read with GET /v2/databases/{id}; a name is matched (case-insensitively,
 * exactly) in GET /v2/databases. When the credential may not read databases (403), an id is used as it is: the
 * returned name is then the id, with a warning.
 */
export async function resolveDatabase(ctx: Context, api: DevOpsClient, ref: string): Promise<Database> {
  if (isUuid(ref)) {
    try {
      return await api.getDatabase(ref);
    } catch (err) {
      if (isNotFound(err)) {
        throw new AppError('NOT_FOUND', `no database with id ${ref} in this org`, {
          status: answerStatus(err),
          cause: err,
          hint: 'check the id in the Astra portal, or pass the database name',
        });
      }
      if (!isMissingPermission(err)) throw err;
      ctx.io.warn(
        `the credential may not read databases (org-db-view), so database ${ref} is taken as given and the role is named after its id`,
      );
      return { id: ref, name: ref, region: '', status: '', orgId: null };
    }
  }
  let databases: Database[];
  try {
    databases = await api.listDatabases();
    writeDbCache(ctx, nameCacheKey((await ctx.credential()).profile), databases.map((d) => d.name).filter(Boolean));
  } catch (err) {
    if (!isMissingPermission(err)) throw err;
    throw new AppError(
      'FORBIDDEN',
      `cannot look up database '${printable(ref)}' by name: the credential may not read databases (org-db-view)`,
      {
        status: answerStatus(err),
        cause: err,
        hint: 'pass the database id instead (--db <uuid>, shown in the Astra portal), or use a token that holds org-db-view',
      },
    );
  }
  // Ids were read above: a database id is a UUID, so only names are matched here.
  return resolveByName(databases, ref, {
    kind: 'database',
    nameOf: (d) => d.name,
    idOf: (d) => d.id,
    byId: false,
    notFound: {
      otherwise: databases.length ? `the databases of this org: ${databases.map((d) => d.name).join(', ')}` : 'this org has no databases',
    },
  });
}
