/** Databases of the caller's org, read-only (org-db-view): enough for `--db <name-or-id>` resolution. */
import { HttpResponse, type HttpHandler } from 'msw';
import { route, type RouteContext } from '../route-kit.js';
import type { Database } from '../state/databases.js';

/** The published API's paging: 25 a page unless `limit` says otherwise, never more than 100. */
export const DEFAULT_DATABASE_PAGE = 25;
export const MAX_DATABASE_PAGE = 100;

const PROVIDERS = ['ALL', 'AWS', 'GCP', 'AZURE'];
/** `include` values besides `all` and `nonterminated`: one status each (the published description's list). */
const STATUSES = [
  'ACTIVE',
  'PENDING',
  'PREPARING',
  'PREPARED',
  'MAINTENANCE',
  'INITIALIZING',
  'PARKED',
  'PARKING',
  'UNPARKING',
  'TERMINATING',
  'TERMINATED',
  'RESIZING',
  'ERROR',
  'HIBERNATING',
  'HIBERNATED',
  'RESUMING',
];

export function databaseRoutes(ctx: RouteContext): HttpHandler[] {
  return [
    route(ctx, {
      method: 'get',
      path: '/v2/databases',
      action: 'org-db-view',
      resolve: ({ caller, request, fail }) => {
        const page = listPage(caller.org.databases, new URL(request.url).searchParams);
        return typeof page === 'string' ? fail(400, page, 2000) : HttpResponse.json(structuredClone(page));
      },
    }),
    route(ctx, {
      method: 'get',
      path: '/v2/databases/:databaseId',
      action: 'org-db-view',
      resolve: ({ caller, params, fail }) => {
        const db = caller.org.databases.find((d) => d.id === params.databaseId);
        return db ? HttpResponse.json(structuredClone(db)) : fail(404, `database ${params.databaseId ?? ''} not found`, 2000);
      },
    }),
  ];
}

/**
 * One page of `GET /v2/databases`, or what is wrong with the query. `include` (case-insensitive, DataStax's TS
 * client sends upper case) filters by status, `nonterminated` by default; `provider` by cloud; `starting_after`
 * names the last database of the previous page (in the org's order, whatever the filters); `limit` above 100 gives
 * 100, as the published API does.
 */
export function listPage(databases: readonly Database[], query: URLSearchParams): Database[] | string {
  const include = (query.get('include') ?? 'nonterminated').toUpperCase();
  if (include !== 'ALL' && include !== 'NONTERMINATED' && !STATUSES.includes(include)) return `include: unknown value '${include}'`;
  const provider = (query.get('provider') ?? 'ALL').toUpperCase();
  if (!PROVIDERS.includes(provider)) return `provider: unknown value '${provider}'`;
  const rawLimit = query.get('limit');
  const limit = rawLimit === null ? DEFAULT_DATABASE_PAGE : Number(rawLimit);
  if (!Number.isInteger(limit) || limit < 1) return `limit: '${rawLimit}' is not a positive integer`;
  const after = query.get('starting_after');
  let start = 0;
  if (after !== null) {
    const at = databases.findIndex((d) => d.id === after);
    if (at < 0) return `starting_after: no database ${after}`;
    start = at + 1;
  }
  return databases
    .slice(start)
    .filter((d) => (include === 'ALL' ? true : include === 'NONTERMINATED' ? d.status !== 'TERMINATED' : d.status === include))
    .filter((d) => provider === 'ALL' || d.info.cloudProvider.toUpperCase() === provider)
    .slice(0, Math.min(limit, MAX_DATABASE_PAGE));
}
