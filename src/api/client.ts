// One typed method per DevOps API endpoint the tool uses. It never prints, reads no config and knows no commander.
import type * as z from 'zod/mini';
import { printable } from '../text/terminal.js';
import { ApiError, isRouteNotFound, isStatus, ResponseShapeError } from './errors.js';
import {
  createdTokenSchema,
  currentOrgSchema,
  databaseListSchema,
  databaseSchema,
  orgUsersSchema,
  roleListSchema,
  roleSchema,
  tokenListSchema,
  plainTokenList,
  type CreatedToken,
  type Database,
  type OrgUsers,
  type Role,
  type RolePolicy,
  type TokenInfo,
} from './schemas.js';
import { redact } from '../text/redact.js';
import { parseResponse } from './parse-response.js';
import type { HttpResult, Transport } from './transport.js';
import { RouteKnowledge } from './route-knowledge.js';
import { API_READS } from '../startup/early.js';

/** Databases asked for per page: the most the API gives. */
const DATABASE_PAGE = 100;

export interface CreateTokenRequest {
  /** Role IDs only: the API silently accepts a name and makes a token with no role. */
  roles: string[];
  description?: string;
  /** ISO-8601 UTC instant ending in Z. */
  tokenExpiry?: string;
  orgId?: string;
}

export interface RoleRequest {
  name: string;
  policy: RolePolicy;
}

const MODERN_TOKENS = API_READS.tokens;
const LEGACY_TOKENS = '/v2/clientIdSecrets';

export class DevOpsClient {
  constructor(
    readonly transport: Transport,
    /** Shared between the clients of one run; a private one when not given. */
    readonly routes: RouteKnowledge = new RouteKnowledge(),
  ) {}

  get baseUrl(): string {
    return this.transport.baseUrl;
  }

  async currentOrg(): Promise<{ id: string }> {
    return this.json('GET', '/v2/currentOrg', currentOrgSchema);
  }

  /** The org's users and, more usefully, its name. Needs org-user-read. */
  async orgUsers(): Promise<OrgUsers> {
    return this.json('GET', '/v2/organizations/users', orgUsersSchema);
  }

  async listTokens(): Promise<TokenInfo[]> {
    const { res, route } = await this.tokensCall('GET', '');
    return parseResponse(tokenListSchema, res, `GET ${route}`, plainTokenList);
  }

  /**
   * Creates a token. The answer's `token` is optional in the API description: when it is missing, `token` is null
   * and the caller derives it (see deriveToken in src/domain/token-format.ts) and checks it.
   */
  async createToken(request: CreateTokenRequest): Promise<CreatedToken> {
    const { res, route } = await this.tokensCall('POST', '', request);
    return parseResponse(createdTokenSchema, res, `POST ${route}`);
  }

  /**
   * Revokes a token. 200 and 204 are both success; so is the "no such token" 404 of a retry whose earlier attempt
   * was sent and lost its answer (that attempt revoked it).
   */
  async deleteToken(clientId: string): Promise<void> {
    let answerLost = false;
    try {
      await this.tokensCall('DELETE', `/${encodeURIComponent(clientId)}`, undefined, () => (answerLost = true));
    } catch (err) {
      if (answerLost && isStatus(err, 404)) return;
      throw err;
    }
  }

  async listRoles(): Promise<Role[]> {
    return this.json('GET', API_READS.roles, roleListSchema);
  }

  async getRole(roleId: string): Promise<Role> {
    return this.json('GET', `/v2/organizations/roles/${encodeURIComponent(roleId)}`, roleSchema);
  }

  async createRole(request: RoleRequest): Promise<Role> {
    return this.json('POST', '/v2/organizations/roles', roleSchema, request);
  }

  /** Replaces a role's name and policy. The response body may be empty: then the role is read back. */
  async updateRole(roleId: string, request: RoleRequest): Promise<Role> {
    const path = `/v2/organizations/roles/${encodeURIComponent(roleId)}`;
    const res = await this.transport.request('PUT', path, { body: request });
    if (res.text.trim() === '') return this.getRole(roleId);
    return parseResponse(roleSchema, res, `PUT ${path}`);
  }

  async deleteRole(roleId: string): Promise<void> {
    await this.transport.request('DELETE', `/v2/organizations/roles/${encodeURIComponent(roleId)}`);
  }

  /**
   * Every database of the org, page by page: the list pages (25 by default, `limit` at most 100) and a page shorter
   * than the limit is the last; the next page starts after the last id seen. `include: 'all'` adds terminated
   * databases (the API's default leaves them out). A server that ignores `limit` (a longer page) has sent them all;
   * one that ignores `starting_after` (an id seen before) would loop forever, so it is a bad answer.
   */
  async listDatabases(options: { include?: 'all' } = {}): Promise<Database[]> {
    const all: Database[] = [];
    const seen = new Set<string>();
    for (let after: string | undefined; ;) {
      const query = new URLSearchParams();
      if (options.include) query.set('include', options.include);
      query.set('limit', String(DATABASE_PAGE));
      if (after !== undefined) query.set('starting_after', after);
      const path = `/v2/databases?${query.toString()}`;
      const page = await this.json('GET', path, databaseListSchema);
      for (const db of page) {
        if (seen.has(db.id)) throw new ResponseShapeError(`GET ${path}: the API sent database ${printable(db.id)} again`);
        seen.add(db.id);
        all.push(db);
      }
      if (page.length !== DATABASE_PAGE) return all;
      after = page.at(-1)!.id;
    }
  }

  async getDatabase(databaseId: string): Promise<Database> {
    return this.json('GET', `/v2/databases/${encodeURIComponent(databaseId)}`, databaseSchema);
  }

  private async json<S extends z.ZodMiniType>(method: string, path: string, schema: S, body?: unknown): Promise<z.output<S>> {
    const res = await this.transport.request(method, path, { body });
    return parseResponse(schema, res, `${method} ${path}`);
  }

  /**
   * Token calls go to `/v2/tokens` or `/v2/clientIdSecrets`; which routes a server has differs (docs/devops-api.md: docs,
   * spec and mixed shapes), so the choice is made per request. A 404 or 405 from `/v2/tokens` may only mean that the
   * route is missing: the request is then made on `/v2/clientIdSecrets` before anything is concluded. A 404 means
   * "no such token" only from `/v2/clientIdSecrets/{id}` or from a route known to exist. A route already known to
   * exist is tried first; every 2xx teaches the shared knowledge that its route exists. Any other error (5xx,
   * network) is that error: never "not found", never retried on the other route (a POST that may have been received
   * is never sent twice).
   */
  private async tokensCall(
    method: string,
    suffix: string,
    body?: unknown,
    onAnswerLost?: () => void,
  ): Promise<{ res: HttpResult; route: string }> {
    const base = this.baseUrl;
    const template = suffix === '' ? '' : '/{id}';
    const known = (root: string) => this.routes.has(base, method, root + template);
    const order = known(LEGACY_TOKENS) && !known(MODERN_TOKENS) ? [LEGACY_TOKENS] : [MODERN_TOKENS, LEGACY_TOKENS];
    for (const [i, root] of order.entries()) {
      const route = root + suffix;
      try {
        const res = await this.transport.request(method, route, { body, onAnswerLost });
        this.routes.learn(base, method, root + template);
        return { res, route };
      } catch (err) {
        const status = err instanceof ApiError ? err.status : undefined;
        const routeMayBeMissing = root === MODERN_TOKENS && !known(root) && (status === 404 || status === 405);
        if (routeMayBeMissing && i + 1 < order.length) continue;
        throw tokenNotFound(err, suffix, `${method} ${root}${template}`);
      }
    }
    throw new Error('unreachable: the last route always returns or throws');
  }
}

/**
 * A 404 on a token route that exists (the legacy one, or one known to exist): the token does not. A router's own 404
 * (`404 page not found`) says the route does not exist at this API URL: nothing about the token is known, so it is
 * never reported as "no such token" (nor, for a retried delete, as done).
 */
function tokenNotFound(err: unknown, suffix: string, call: string): unknown {
  if (isRouteNotFound(err)) {
    return new ResponseShapeError(`${call} is not a route of the API at this URL (HTTP 404 "404 page not found")`, {
      hint: 'check the API URL (--api-url, --env, ASTRA_API_URL or the profile): it may point at something other than the DevOps API',
      cause: err,
    });
  }
  if (suffix === '' || !isStatus(err, 404)) return err;
  return new ApiError(404, `no token with client id ${redact(printable(decodeURIComponent(suffix.slice(1)), 100))}`, {
    body: err.body,
    detail: err.detail,
    cause: err,
  });
}
