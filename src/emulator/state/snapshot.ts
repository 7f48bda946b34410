/** The `--state` file: a JSON-safe snapshot of orgs, token records and streaming data, and its strict reading. */
import { completeDatabase } from './databases.js';
import type { Org } from './orgs.js';
import type { StreamingTenant } from './streaming.js';
import type { TokenRecord } from './tokens.js';

const STATE_VERSION = 1;

export interface EmulatorStateJSON {
  version: number;
  orgs: Org[];
  adminClientId: string | null;
  tokens: Array<Omit<TokenRecord, 'generatedOn' | 'expiresAt'> & { generatedOn: string; expiresAt: string | null }>;
  /** Absent in snapshots written before the streaming routes existed. */
  streaming?: { key: string | null; tenants: StreamingTenant[] };
}

/** What a snapshot holds, as live values. */
export interface SnapshotParts {
  orgs: Org[];
  tokens: TokenRecord[];
  adminClientId: string | undefined;
  /** Absent in snapshots from before streaming existed. */
  streaming?: { key: Buffer | undefined; tenants: StreamingTenant[] };
}

/** Holds token hashes, never secrets; the values are copies, so the snapshot does not change with the state. */
export function toSnapshot(parts: SnapshotParts): EmulatorStateJSON {
  return {
    version: STATE_VERSION,
    orgs: structuredClone(parts.orgs),
    adminClientId: parts.adminClientId ?? null,
    tokens: parts.tokens.map((t) => ({
      ...t,
      roles: [...t.roles],
      generatedOn: t.generatedOn.toISOString(),
      expiresAt: t.expiresAt?.toISOString() ?? null,
    })),
    streaming: {
      // Null until a JWT was signed: then nothing depends on the key yet.
      key: parts.streaming?.key?.toString('base64url') ?? null,
      tenants: structuredClone(parts.streaming?.tenants ?? []),
    },
  };
}

/** Reads a snapshot made by `toSnapshot` (the parsed object or its JSON text); throws on a foreign shape. */
export function fromSnapshot(json: unknown): SnapshotParts {
  const data = (typeof json === 'string' ? JSON.parse(json) : json) as Partial<EmulatorStateJSON> | null;
  if (!data || data.version !== STATE_VERSION || !Array.isArray(data.orgs) || !Array.isArray(data.tokens) || data.orgs.length === 0) {
    throw new Error(`not an emulator state (version ${STATE_VERSION})`);
  }
  const orgs = structuredClone(data.orgs).map((org) => ({ ...org, databases: org.databases.map(completeDatabase) }));
  const tokens = data.tokens.map((t): TokenRecord => {
    if (typeof t.clientId !== 'string' || typeof t.tokenHash !== 'string' || !/^[0-9a-f]{64}$/.test(t.tokenHash)) {
      throw new Error('emulator state holds a malformed token record');
    }
    return {
      clientId: t.clientId,
      orgId: t.orgId,
      roles: [...t.roles],
      description: t.description ?? '',
      generatedOn: new Date(t.generatedOn),
      expiresAt: t.expiresAt ? new Date(t.expiresAt) : null,
      tokenHash: t.tokenHash,
    };
  });
  const parts: SnapshotParts = { orgs, tokens, adminClientId: data.adminClientId ?? undefined };
  if (data.streaming) {
    const { key, tenants } = data.streaming;
    if ((key !== null && typeof key !== 'string') || !Array.isArray(tenants)) {
      throw new Error('emulator state holds malformed streaming data');
    }
    parts.streaming = { key: key === null ? undefined : Buffer.from(key, 'base64url'), tenants: structuredClone(tenants) };
  }
  return parts;
}
