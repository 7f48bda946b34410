// The Astra Streaming API's token endpoints for one Pulsar tenant. Same transport as the DevOps client (retries,
// deadlines, redaction); every call also carries the org and the Pulsar cluster headers the service routes by.
// It never prints, reads no config and knows no commander.
import * as z from 'zod/mini';
import { folded, foldKeys } from './schemas.js';
import { ResponseShapeError } from './errors.js';
import { parseResponse } from './parse-response.js';
import { createTransport, type ApiSettings } from './index.js';
import type { Transport } from './transport.js';

export const DEFAULT_STREAMING_API_URL = 'https://api.streaming.datastax.com';

export interface StreamingSettings extends Omit<ApiSettings, 'headers'> {
  /** Sent as `X-DataStax-Current-Org`. */
  orgId: string;
  /** Sent as `X-DataStax-Pulsar-Cluster`, e.g. `pulsar-gcp-useast4`. */
  cluster: string;
}

/** One Pulsar token as the list shows it: the JWT's claims, normalised. */
export interface PulsarTokenClaims {
  tokenId: string;
  subject: string;
  issuer: string;
  issuedAt: Date | null;
  expiresAt: Date | null;
}

export interface CreatedPulsarToken {
  tokenId: string;
  role: string;
  /** The JWT. */
  token: string;
}

/** JWT NumericDate (seconds since the epoch); some serialisers send it as a string. */
const numericDate = z.pipe(
  z.nullish(z.union([z.number(), z.string().check(z.regex(/^\d+(\.\d+)?$/))])),
  z.transform((v) => (v === null || v === undefined ? null : new Date(Number(v) * 1000))),
);

const claimsSchema = folded(
  {
    tokenid: z.string().check(z.minLength(1)),
    sub: z.nullish(z.string()),
    iss: z.nullish(z.string()),
    iat: numericDate,
    exp: numericDate,
  },
  (c): PulsarTokenClaims => ({
    tokenId: c.tokenid,
    subject: c.sub ?? '',
    issuer: c.iss ?? '',
    issuedAt: c.iat,
    expiresAt: c.exp,
  }),
);

const claimsListSchema = z.pipe(
  z.nullable(z.array(claimsSchema)),
  z.transform((list) => list ?? []),
);

const createdSchema = folded(
  { id: z.string().check(z.minLength(1)), rolename: z.nullish(z.string()), token: z.string().check(z.minLength(1)) },
  (c): CreatedPulsarToken => ({ tokenId: c.id, role: c.rolename ?? '', token: c.token }),
);

export function createStreamingClient(settings: StreamingSettings): StreamingClient {
  const { orgId, cluster, ...rest } = settings;
  // The Astra application token authenticates here too (not a Pulsar JWT); the headers route to org and cluster.
  const transport = createTransport({
    ...rest,
    headers: { 'X-DataStax-Current-Org': orgId, 'X-DataStax-Pulsar-Cluster': cluster },
  });
  return new StreamingClient(transport, cluster);
}

export class StreamingClient {
  constructor(
    readonly transport: Transport,
    readonly cluster: string,
  ) {}

  get baseUrl(): string {
    return this.transport.baseUrl;
  }

  /** The tenant's tokens (their claims; never the JWTs). */
  async listTokens(tenant: string): Promise<PulsarTokenClaims[]> {
    const path = `/v2/streaming/tenants/${encodeURIComponent(tenant)}/tokens`;
    return parseResponse(claimsListSchema, await this.transport.request('GET', path), `GET ${path}`);
  }

  /** Creates an admin token; `exp` is a duration the service understands (`30d`), absent for a token that never expires. */
  async createToken(tenant: string, request: { exp?: string } = {}): Promise<CreatedPulsarToken> {
    const path = `/v3/streaming/tenants/${encodeURIComponent(tenant)}/tokens`;
    const body: { type: 'admin'; exp?: string } = { type: 'admin' };
    if (request.exp !== undefined) body.exp = request.exp;
    return parseResponse(createdSchema, await this.transport.request('POST', path, { body }), `POST ${path}`);
  }

  /** The JWT of one token. The body is the raw JWT, either plain or JSON-quoted. */
  async getToken(tenant: string, tokenId: string): Promise<string> {
    const path = tokenPath(tenant, tokenId);
    const res = await this.transport.request('GET', path);
    const jwt = rawJwt(res.text);
    if (!jwt) throw new ResponseShapeError(`GET ${path} answered HTTP ${res.status} without a JWT in its body`);
    return jwt;
  }

  async deleteToken(tenant: string, tokenId: string): Promise<void> {
    await this.transport.request('DELETE', tokenPath(tenant, tokenId));
  }
}

function tokenPath(tenant: string, tokenId: string): string {
  return `/v2/streaming/tenants/${encodeURIComponent(tenant)}/tokens/${encodeURIComponent(tokenId)}`;
}

const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

/** `eyJ...` or `"eyJ..."` (or, leniently, `{"token":"eyJ..."}`); undefined when the body holds no JWT. */
export function rawJwt(text: string): string | undefined {
  let candidate: unknown = text.trim();
  if (typeof candidate === 'string' && (candidate.startsWith('"') || candidate.startsWith('{'))) {
    try {
      candidate = JSON.parse(candidate);
    } catch {
      return undefined;
    }
    if (candidate !== null && typeof candidate === 'object') candidate = (foldKeys(candidate) as Record<string, unknown>).token;
  }
  if (typeof candidate !== 'string') return undefined;
  const jwt = candidate.trim();
  return JWT_SHAPE.test(jwt) ? jwt : undefined;
}
