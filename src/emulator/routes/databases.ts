/** Databases of the caller's org, read-only (org-db-view): enough for `--db <name-or-id>` resolution. */
import { HttpResponse, type HttpHandler } from 'msw';
import { route, type RouteContext } from '../route-kit.js';

export function databaseRoutes(ctx: RouteContext): HttpHandler[] {
  return [
    route(ctx, {
      method: 'get',
      path: '/v2/databases',
      action: 'org-db-view',
      resolve: ({ caller }) => HttpResponse.json(structuredClone(caller.org.databases)),
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
