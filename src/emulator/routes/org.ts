/** The organization: `/v2/currentOrg` (any valid token) and `/v2/organizations/users` (org-user-read). */
import { HttpResponse, type HttpHandler } from 'msw';
import { route, type RouteContext } from '../route-kit.js';

export function orgRoutes(ctx: RouteContext): HttpHandler[] {
  return [
    route(ctx, {
      method: 'get',
      path: '/v2/currentOrg',
      resolve: ({ caller }) => HttpResponse.json({ id: caller.org.id }),
    }),
    route(ctx, {
      method: 'get',
      path: '/v2/organizations/users',
      action: 'org-user-read',
      resolve: ({ caller }) => {
        const { org } = caller;
        return HttpResponse.json({
          orgID: org.id,
          orgName: org.name,
          users: org.users.map((u) => ({
            userID: u.userID,
            email: u.email,
            status: u.status,
            roles: u.roles.flatMap((id) => {
              const role = org.roles.find((r) => r.id === id);
              return role ? [{ id: role.id, name: role.name }] : [];
            }),
          })),
        });
      },
    }),
  ];
}
