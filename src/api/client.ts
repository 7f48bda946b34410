// One typed method per DevOps API endpoint the tool uses. It never prints, reads no config and knows no commander.
import type * as z from 'zod/mini';
import { AppError, NotFoundError, printable } from '../errors.js';
import {
  createdTokenSchema,
  currentOrgSchema,
  databaseListSchema,
  databaseSchema,
  orgUsersSchema,
  roleListSchema,
  roleSchema,
  tokenListSchema,
  type CreatedToken,
  type Database,
  type OrgUsers,
  type Role,
  type RolePolicy,
  type TokenInfo,
} from './schemas.js';
import { redact } from './redact.js';
import { parseResponse } from './parse-response.js';
import type { HttpResult, Transport } from './transport.js';

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

const MODERN_TOKENS = '/v2/tokens';
const LEGACY_TOKENS = '/v2/clientIdSecrets';

export class DevOpsClient {
  /** Which token path this server speaks; settled by the first answer and kept for the process. */
  private tokensPath: string = MODERN_TOKENS;
  private tokensPathConfirmed = false;

  constructor(readonly transport: Transport) {}

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
    const res = await this.tokensCall('GET', '');
    return parseResponse(tokenListSchema, res, `GET ${this.tokensPath}`);
  }

  async createToken(request: CreateTokenRequest): Promise<CreatedToken> {
    const res = await this.tokensCall('POST', '', request);
    return parseResponse(createdTokenSchema, res, `POST ${this.tokensPath}`);
  }

  /** Revokes a token. 200 and 204 are both success. */
  async deleteToken(clientId: string): Promise<void> {
    await this.tokensCall('DELETE', `/${encodeURIComponent(clientId)}`);
  }

  async listRoles(): Promise<Role[]> {
    return this.json('GET', '/v2/organizations/roles', roleListSchema);
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

  async listDatabases(): Promise<Database[]> {
    return this.json('GET', '/v2/databases', databaseListSchema);
  }

  async getDatabase(databaseId: string): Promise<Database> {
    return this.json('GET', `/v2/databases/${encodeURIComponent(databaseId)}`, databaseSchema);
  }

  private async json<S extends z.ZodMiniType>(method: string, path: string, schema: S, body?: unknown): Promise<z.output<S>> {
    const res = await this.transport.request(method, path, { body });
    return parseResponse(schema, res, `${method} ${path}`);
  }

  /**
   * Token calls go to `/v2/tokens`; some environments lack it and answer 404 or 405 there, which means "use
   * `/v2/clientIdSecrets`". A 404 on DELETE of one token is ambiguous (unknown token, or unknown path), so the
   * fallback is tried for it only while the modern path has not yet proved itself, and when the legacy path answers
   * 404 too nothing has been learnt about the paths: the token is simply unknown.
   */
  private async tokensCall(method: string, suffix: string, body?: unknown): Promise<HttpResult> {
    const oneToken = suffix !== '';
    try {
      const res = await this.transport.request(method, this.tokensPath + suffix, { body });
      this.tokensPathConfirmed = true;
      return res;
    } catch (err) {
      const status = err instanceof AppError ? err.status : undefined;
      const ambiguous = status === 404 && oneToken && !this.tokensPathConfirmed;
      const pathMissing = status === 405 || (status === 404 && !oneToken) || ambiguous;
      if (this.tokensPath !== MODERN_TOKENS || !pathMissing) throw tokenNotFound(err, suffix);
      this.tokensPath = LEGACY_TOKENS;
      try {
        const res = await this.transport.request(method, this.tokensPath + suffix, { body });
        this.tokensPathConfirmed = true;
        return res;
      } catch (legacyErr) {
        if (ambiguous && legacyErr instanceof AppError && legacyErr.status === 404) this.tokensPath = MODERN_TOKENS;
        throw tokenNotFound(legacyErr, suffix);
      }
    }
  }
}

/** A 404 on the legacy path of one token: the path exists, so the token does not. */
function tokenNotFound(err: unknown, suffix: string): unknown {
  if (suffix === '' || !(err instanceof AppError) || err.status !== 404) return err;
  return new NotFoundError(`no token with client id ${redact(printable(decodeURIComponent(suffix.slice(1)), 100))}`, {
    status: 404,
    cause: err,
  });
}
