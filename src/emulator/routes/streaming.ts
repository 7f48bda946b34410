/**
 * Astra Streaming (Pulsar) tokens of a tenant. Every call needs the Astra token (Authorization), the caller's org in
 * `X-DataStax-Current-Org` and the tenant's cluster in `X-DataStax-Pulsar-Cluster`; errors use `{"reason": ...}`
 * bodies, except an unknown tenant or token, which is a 404 with an empty body (as the service answers).
 */
import { HttpResponse, type HttpHandler } from 'msw';
import { readJson, route, type RouteContext, type RouteRequest } from '../route-kit.js';
import { STREAMING_TOKEN_LIMIT, type StreamingTenant } from '../state/streaming.js';

const ORG_HEADER = 'x-datastax-current-org';
const CLUSTER_HEADER = 'x-datastax-pulsar-cluster';
const ACTION = 'org-stream-manage';
const MIN_LIFETIME_S = 7 * 86_400;
const UNIT_S: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400, w: 7 * 86_400, y: 365 * 86_400 };

const reason = (status: number, text: string) => HttpResponse.json({ reason: text }, { status });
const notFound = () => new HttpResponse(null, { status: 404 });

export function streamingRoutes(ctx: RouteContext): HttpHandler[] {
  const { state } = ctx;

  /** The tenant the request addresses, or the error response for missing/mismatched headers or an unknown tenant. */
  const tenantOf = ({ request, params, caller }: RouteRequest): StreamingTenant | Response => {
    const org = request.headers.get(ORG_HEADER);
    const cluster = request.headers.get(CLUSTER_HEADER);
    if (!org) return reason(400, 'missing X-DataStax-Current-Org header');
    if (!cluster) return reason(400, 'missing X-DataStax-Pulsar-Cluster header');
    if (org !== caller.org.id) return reason(401, 'X-DataStax-Current-Org does not match the organization of the token');
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

  return [
    tenantRoute('get', '/v2/streaming/tenants/:tenant/tokens', (_req, tenant) =>
      HttpResponse.json(tenant.tokens.map((t) => state.streamingClaims(t))),
    ),
    tenantRoute('post', '/v3/streaming/tenants/:tenant/tokens', async (req, tenant) => {
      const body = await readJson(req.request);
      if (typeof body !== 'object' || body === null || Array.isArray(body)) {
        return reason(400, 'request body must be a JSON object');
      }
      const { type, exp } = body as Record<string, unknown>;
      if (type !== 'admin') return reason(400, 'type must be "admin"');
      let lifetime: number | null = null;
      if (exp !== undefined && exp !== null && exp !== '') {
        const match = typeof exp === 'string' ? /^(\d{1,9})([smhdwy])$/.exec(exp) : null;
        if (!match) return reason(400, 'exp must be a duration such as 30d');
        lifetime = Number(match[1]) * UNIT_S[match[2]!]!;
        if (lifetime < MIN_LIFETIME_S) return reason(400, 'token expiry must be at least 7 days');
      }
      if (tenant.tokens.length >= STREAMING_TOKEN_LIMIT) {
        return reason(409, 'Exceeded the token limit for this tenant');
      }
      const record = state.createStreamingToken(tenant, lifetime);
      return HttpResponse.json({ id: record.tokenId, rolename: record.role, token: state.signStreamingToken(record) }, { status: 201 });
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
