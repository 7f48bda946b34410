/**
 * Astra Streaming (Pulsar) tokens of a tenant. Every call needs the Astra token (Authorization), the caller's org in
 * `X-DataStax-Current-Org` and the tenant's cluster in `X-DataStax-Pulsar-Cluster`; errors (401 included) use
 * `{"reason": ...}` bodies, except an unknown tenant or token, which is a 404 with an empty body (as the service
 * answers; error-bodies.ts). Tokens are created on `/v3/...` (JSON answer, every body field optional) or on the
 * older `/v2/...` (no body; the answer is the JWT itself).
 */
import { HttpResponse, type HttpHandler } from 'msw';
import { readJson, route, type RouteContext, type RouteRequest } from '../route-kit.js';
import { STREAMING_TOKEN_LIMIT, type StreamingTenant } from '../state/streaming.js';

const ORG_HEADER = 'x-datastax-current-org';
const CLUSTER_HEADER = 'x-datastax-pulsar-cluster';
const ACTION = 'org-stream-manage';
const MIN_LIFETIME_S = 7 * 86_400;
const UNIT_S: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400, w: 7 * 86_400, y: 365 * 86_400 };

const notFound = () => new HttpResponse(null, { status: 404 });

export function streamingRoutes(ctx: RouteContext): HttpHandler[] {
  const { state } = ctx;

  /** The tenant the request addresses, or the error response for missing/mismatched headers or an unknown tenant. */
  const tenantOf = ({ request, params, caller, fail }: RouteRequest): StreamingTenant | Response => {
    const org = request.headers.get(ORG_HEADER);
    const cluster = request.headers.get(CLUSTER_HEADER);
    if (!org) return fail(400, 'missing X-DataStax-Current-Org header');
    if (!cluster) return fail(400, 'missing X-DataStax-Pulsar-Cluster header');
    if (org !== caller.org.id) return fail(401, 'X-DataStax-Current-Org does not match the organization of the token');
    const tenant = state.findStreamingTenant(caller.org.id, params.tenant ?? '');
    return tenant && tenant.cluster === cluster ? tenant : notFound();
  };

  /** A streaming route: the headers and the tenant are checked first, then `resolve` gets the tenant. */
  const tenantRoute = (
    method: 'get' | 'post' | 'delete',
    path: string,
    resolve: (req: RouteRequest, tenant: StreamingTenant) => Response | Promise<Response>,
  ) =>
    route(ctx, {
      method,
      path,
      action: ACTION,
      resolve: (req) => {
        const tenant = tenantOf(req);
        return tenant instanceof Response ? tenant : resolve(req, tenant);
      },
    });

  /** A new token of the tenant; undefined when the tenant is at its token limit. */
  const create = (tenant: StreamingTenant, lifetime: number | null) =>
    tenant.tokens.length >= STREAMING_TOKEN_LIMIT ? undefined : state.createStreamingToken(tenant, lifetime);

  return [
    tenantRoute('get', '/v2/streaming/tenants/:tenant/tokens', (_req, tenant) =>
      HttpResponse.json(tenant.tokens.map((t) => state.streamingClaims(t))),
    ),
    tenantRoute('post', '/v3/streaming/tenants/:tenant/tokens', async (req, tenant) => {
      // The body and each of its fields are optional (CreateTenantTokenV3Request); `type` defaults to admin.
      const body = await readJson(req.request);
      if (body !== undefined && (typeof body !== 'object' || body === null || Array.isArray(body))) {
        return req.fail(400, 'request body must be a JSON object');
      }
      const { type, exp } = (body ?? {}) as Record<string, unknown>;
      if (type !== undefined && type !== null && type !== '' && type !== 'admin') return req.fail(400, 'type must be "admin"');
      const lifetime = lifetimeOf(exp);
      if (typeof lifetime === 'string') return req.fail(400, lifetime);
      const record = create(tenant, lifetime);
      if (!record) return req.fail(409, 'Exceeded the token limit for this tenant');
      return HttpResponse.json({ id: record.tokenId, rolename: record.role, token: state.signStreamingToken(record) }, { status: 201 });
    }),
    tenantRoute('post', '/v2/streaming/tenants/:tenant/tokens', (req, tenant) => {
      // The older create: no request body, a never-expiring admin token, and the JWT itself as the answer (the
      // description's words for this operation and for its /v3 successor).
      const record = create(tenant, null);
      if (!record) return new HttpResponse(null, { status: 409 });
      return new HttpResponse(state.signStreamingToken(record), { status: 201, headers: { 'Content-Type': 'text/plain' } });
    }),
    tenantRoute('get', '/v2/streaming/tenants/:tenant/tokens/:tokenId', (req, tenant) => {
      const record = tenant.tokens.find((t) => t.tokenId === req.params.tokenId);
      if (!record) return notFound();
      // The raw JWT as the body (the primary variant; clients also accept a JSON-quoted string).
      return new HttpResponse(state.signStreamingToken(record), { status: 200, headers: { 'Content-Type': 'text/plain' } });
    }),
    tenantRoute('delete', '/v2/streaming/tenants/:tenant/tokens/:tokenId', (req, tenant) => {
      if (!state.revokeStreamingToken(tenant, req.params.tokenId ?? '')) return notFound();
      return new HttpResponse(null, { status: 200 });
    }),
  ];
}

/** The lifetime in seconds an `exp` asks for (null: never expires), or the reason it is refused. */
function lifetimeOf(exp: unknown): number | null | string {
  if (exp === undefined || exp === null || exp === '') return null;
  const match = typeof exp === 'string' ? /^(\d{1,9})([smhdwy])$/.exec(exp) : null;
  if (!match) return 'exp must be a duration such as 30d';
  const lifetime = Number(match[1]) * UNIT_S[match[2]!]!;
  return lifetime < MIN_LIFETIME_S ? 'token expiry must be at least 7 days' : lifetime;
}
