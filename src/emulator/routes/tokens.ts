/**
 * Application tokens: `/v2/tokens` (current) and `/v2/clientIdSecrets` (legacy). In the `docs` shape both answer
 * identically; `spec` and `mixed` leave out the `/v2/tokens` routes the published description does not have (see
 * ApiShape); `spec` leaves the optional `token` out of a create answer. Token-create errors are text/plain in every
 * shape, as the description has them (error-bodies.ts). Lists never carry secrets; a create shows the secret and token
 * once and does not echo description or expiry.
 */
import { HttpResponse, type HttpHandler } from 'msw';
import { missingRoute, readJson, route, type RouteContext } from '../route-kit.js';
import type { TokenRecord } from '../state/tokens.js';

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

export function tokenRoutes(ctx: RouteContext): HttpHandler[] {
  const shape = ctx.options.apiShape ?? 'docs';
  const has = (base: string, method: 'get' | 'delete') =>
    base === '/v2/clientIdSecrets' || shape === 'docs' || (shape === 'mixed' && method === 'get');
  return ['/v2/tokens', '/v2/clientIdSecrets'].flatMap((base) => [
    !has(base, 'get')
      ? missingRoute(ctx, 'get', base, 'POST')
      : route(ctx, {
          method: 'get',
          path: base,
          action: 'org-token-read',
          resolve: ({ caller }) => HttpResponse.json({ clients: ctx.state.listTokens(caller.org.id).map(toTokenInfo) }),
        }),
    route(ctx, {
      method: 'post',
      path: base,
      action: 'org-token-write',
      resolve: async ({ request, caller, fail }) => {
        const body = await readJson(request);
        if (!isObject(body)) return fail(400, 'request body must be a JSON object', 340001);
        const { roles, description, tokenExpiry, orgId } = body;
        if (!Array.isArray(roles) || roles.length === 0 || !roles.every((r) => typeof r === 'string' && r !== '')) {
          return fail(400, 'roles must be a non-empty array of role ids', 340002);
        }
        if (description !== undefined && description !== null && typeof description !== 'string') {
          return fail(400, 'description must be a string', 340003);
        }
        let expiresAt: Date | null = null;
        if (tokenExpiry !== undefined && tokenExpiry !== null) {
          const ms = typeof tokenExpiry === 'string' && ISO_INSTANT.test(tokenExpiry) ? Date.parse(tokenExpiry) : NaN;
          if (Number.isNaN(ms)) return fail(400, 'tokenExpiry must be an ISO-8601 instant', 340004);
          if (ms <= ctx.state.now().getTime()) return fail(400, 'tokenExpiry must be in the future', 340005);
          expiresAt = new Date(ms);
        }
        let targetOrg = caller.org;
        if (orgId !== undefined && orgId !== null && orgId !== caller.org.id) {
          const other = typeof orgId === 'string' ? ctx.state.findOrg(orgId) : undefined;
          if (!other || !ctx.state.isOrgAdmin(caller.token)) {
            return fail(
              403,
              `not permitted to create tokens for organization ${typeof orgId === 'string' ? orgId : JSON.stringify(orgId)}`,
              340019,
            );
          }
          targetOrg = other;
        }
        const generatedOn = ctx.state.now();
        const issued = ctx.state.mintToken(targetOrg.id, roles as string[], description ?? '', expiresAt, generatedOn);
        return HttpResponse.json({
          clientId: issued.clientId,
          secret: issued.secret,
          orgId: targetOrg.id,
          roles,
          // `token` is optional in the published description: the spec shape leaves it out, and a client must build it
          // as AstraCS:<clientId>:hex(sha256(secret)).
          ...(shape === 'spec' ? {} : { token: issued.token }),
          // The create response carries nanosecond precision where lists carry milliseconds.
          generatedOn: generatedOn.toISOString().replace('Z', '000000Z'),
        });
      },
    }),
    !has(base, 'delete')
      ? missingRoute(ctx, 'delete', `${base}/:clientId`)
      : route(ctx, {
          method: 'delete',
          path: `${base}/:clientId`,
          action: 'org-token-write',
          resolve: ({ params, caller, fail }) => {
            const token = ctx.state.findToken(params.clientId ?? '');
            if (!token || token.orgId !== caller.org.id) return fail(404, `token ${params.clientId ?? ''} not found`, 340020);
            ctx.state.revokeToken(token.clientId);
            return new HttpResponse(null, { status: 200 });
          },
        }),
  ]);
}

function toTokenInfo(t: TokenRecord): Record<string, unknown> {
  return {
    clientId: t.clientId,
    roles: [...t.roles],
    generatedOn: t.generatedOn.toISOString(),
    description: t.description,
    tokenExpiry: t.expiresAt?.toISOString() ?? null,
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
