/**
 * Roles CRUD on `/v2/organizations/roles`. The role endpoints answer errors with bare JSON strings, except the list,
 * whose errors are the shared errors object (error-bodies.ts); a malformed resource DRN gets the real API's
 * unhelpful "unable to create role".
 */
import { HttpResponse, type HttpHandler } from 'msw';
import { readJson, route, type RouteContext } from '../route-kit.js';
import { toWireRole, type Org, type RolePolicy } from '../state/orgs.js';

const BASE = '/v2/organizations/roles';

export function roleRoutes(ctx: RouteContext): HttpHandler[] {
  const { state } = ctx;
  const byId = (org: Org, id: string | undefined) => org.roles.find((r) => r.id === id);
  const nameTaken = (org: Org, name: string, exceptId?: string) =>
    org.roles.some((r) => r.id !== exceptId && r.name.toLowerCase() === name.toLowerCase());

  return [
    route(ctx, {
      method: 'get',
      path: BASE,
      action: 'org-role-read',
      resolve: ({ caller }) => HttpResponse.json(caller.org.roles.map(toWireRole)),
    }),
    route(ctx, {
      method: 'get',
      path: `${BASE}/:roleId`,
      action: 'org-role-read',
      resolve: ({ caller, params, fail }) => {
        const role = byId(caller.org, params.roleId);
        return role ? HttpResponse.json(toWireRole(role)) : fail(404, 'unable to get role for organization');
      },
    }),
    route(ctx, {
      method: 'post',
      path: BASE,
      action: 'org-role-write',
      resolve: async ({ request, caller, fail }) => {
        const input = parseRoleInput(await readJson(request));
        if (!input) return fail(400, 'unable to create role');
        if (nameTaken(caller.org, input.name)) {
          return fail(409, `role with name ${input.name} already exists`);
        }
        const role = {
          id: state.uuid(),
          name: input.name,
          policy: input.policy,
          last_update_datetime: state.now().toISOString(),
          last_update_userid: caller.token.clientId,
          builtIn: false,
        };
        caller.org.roles.push(role);
        return HttpResponse.json(toWireRole(role), { status: 201 });
      },
    }),
    route(ctx, {
      method: 'put',
      path: `${BASE}/:roleId`,
      action: 'org-role-write',
      resolve: async ({ request, caller, params, fail }) => {
        const role = byId(caller.org, params.roleId);
        if (!role) return fail(404, 'unable to get role for organization');
        if (role.builtIn) return fail(400, 'unable to update default role');
        const input = parseRoleInput(await readJson(request));
        if (!input) return fail(400, 'unable to update role');
        if (nameTaken(caller.org, input.name, role.id)) {
          return fail(409, `role with name ${input.name} already exists`);
        }
        role.name = input.name;
        role.policy = input.policy;
        role.last_update_datetime = state.now().toISOString();
        role.last_update_userid = caller.token.clientId;
        return new HttpResponse(null, { status: 200 });
      },
    }),
    route(ctx, {
      method: 'delete',
      path: `${BASE}/:roleId`,
      action: 'org-role-delete',
      resolve: ({ caller, params, fail }) => {
        const role = byId(caller.org, params.roleId);
        if (!role) return fail(404, 'unable to get role for organization');
        if (role.builtIn) return fail(400, 'unable to delete default role');
        caller.org.roles.splice(caller.org.roles.indexOf(role), 1);
        return new HttpResponse(null, { status: 204 });
      },
    }),
  ];
}

/** `{name, policy}` with a policy object (or its JSON text); undefined for anything the API would refuse. */
function parseRoleInput(body: unknown): { name: string; policy: RolePolicy } | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const { name, policy: rawPolicy } = body as { name?: unknown; policy?: unknown };
  let policy = rawPolicy;
  if (typeof policy === 'string') {
    try {
      policy = JSON.parse(policy) as unknown;
    } catch {
      return undefined;
    }
  }
  if (typeof name !== 'string' || name.trim() === '' || typeof policy !== 'object' || policy === null) return undefined;
  const { description, resources, actions, effect } = policy as Record<string, unknown>;
  const strings = (v: unknown): v is string[] => Array.isArray(v) && v.length > 0 && v.every((s) => typeof s === 'string');
  if (!strings(actions) || !strings(resources) || !resources.every((r) => r.startsWith('drn:astra:org:'))) return undefined;
  if (effect !== undefined && effect !== 'allow') return undefined;
  if (description !== undefined && typeof description !== 'string') return undefined;
  return { name, policy: { description: description ?? '', resources: [...resources], actions: [...actions], effect: 'allow' } };
}
