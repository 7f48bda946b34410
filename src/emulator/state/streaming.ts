/** Astra Streaming: per-org tenants on a Pulsar cluster, and the HS256 JWTs issued for them. */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Random } from './ids.js';

/** An Astra Streaming tenant: its Pulsar cluster and the JWTs issued for it. Instants are in epoch seconds (JWT style). */
export interface StreamingTenant {
  orgId: string;
  name: string;
  cluster: string;
  tokens: StreamingTokenRecord[];
}

/** The claims of one Pulsar JWT; the JWT itself is re-signed from them whenever it is asked for. */
export interface StreamingTokenRecord {
  tokenId: string;
  subject: string;
  role: string;
  issuedAt: number;
  expiresAt: number | null;
}

/** The per-org tenant every org starts with. */
export const DEMO_TENANT = 'demo-tenant';
export const DEMO_CLUSTER = 'pulsar-gcp-useast4';
/** How many tokens a tenant may hold before create answers 409. */
export const STREAMING_TOKEN_LIMIT = 10;
const STREAMING_ISSUER = 'datastax';

/** The claims of a new token of the tenant, issued at `issuedAt` (epoch seconds). */
export function newStreamingToken(
  tenant: StreamingTenant,
  tokenId: string,
  issuedAt: number,
  lifetimeSeconds: number | null,
): StreamingTokenRecord {
  const role = `admin-${tokenId.slice(0, 8)}`;
  return {
    tokenId,
    subject: `client;${tenant.orgId};${tenant.name};${role}`,
    role,
    issuedAt,
    expiresAt: lifetimeSeconds === null ? null : issuedAt + lifetimeSeconds,
  };
}

/** The JWT claims of a token, in the order the service lists them. */
export function streamingClaims(record: StreamingTokenRecord): Record<string, string | number> {
  const claims: Record<string, string | number> = {
    iat: record.issuedAt,
    iss: STREAMING_ISSUER,
    sub: record.subject,
    tokenid: record.tokenId,
  };
  if (record.expiresAt !== null) claims.exp = record.expiresAt;
  return claims;
}

/** Signs and verifies the JWTs with one HMAC key, drawn from `random` on first use (so injected randomness stays deterministic). */
export class StreamingSigner {
  private key: Buffer | undefined;

  constructor(private readonly random: Random) {}

  /** A real HS256 JWT over the token's claims. */
  sign(record: StreamingTokenRecord): string {
    const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const unsigned = `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode(streamingClaims(record))}`;
    const signature = createHmac('sha256', this.signingKey()).update(unsigned).digest('base64url');
    return `${unsigned}.${signature}`;
  }

  /** Checks a JWT's HS256 signature against the key. */
  verify(jwt: string): boolean {
    const parts = jwt.split('.');
    if (parts.length !== 3) return false;
    const expected = createHmac('sha256', this.signingKey()).update(`${parts[0]}.${parts[1]}`).digest();
    const given = Buffer.from(parts[2] ?? '', 'base64url');
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  /** The key for a snapshot: undefined until a JWT was signed (then nothing depends on it yet). */
  get savedKey(): Buffer | undefined {
    return this.key;
  }

  restoreKey(key: Buffer): void {
    this.key = key;
  }

  private signingKey(): Buffer {
    this.key ??= Buffer.from(Array.from({ length: 32 }, () => Math.floor(this.random() * 256)));
    return this.key;
  }
}
