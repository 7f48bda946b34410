/**
 * The in-memory model behind the emulator: orgs with roles, users and databases, tokens, scripted faults and a
 * request log. HTTP concerns live in the route files; this module is plain data and domain rules.
 *
 * Secrets are never stored: a token record keeps `sha256(secret)` in hex, which is exactly the third part of the
 * bearer `AstraCS:<clientId>:<hash>`. Authentication compares that part with the stored hash, so a state restored with
 * `fromJSON` still accepts every token it issued, while the secrets themselves stay unrecoverable (as in Astra).
 */
import { createHash, createHmac, randomInt, timingSafeEqual } from 'node:crypto';
import { BUILT_IN_ROLES, ORG_ID_PLACEHOLDER } from './built-in-roles.js';

export interface RolePolicy {
  description: string;
  resources: string[];
  actions: string[];
  effect: 'allow';
}

/** A role in the wire shape (primary variant) plus the emulator's own `builtIn` marker, stripped on the wire. */
export interface Role {
  id: string;
  name: string;
  policy: RolePolicy;
  last_update_datetime: string;
  last_update_userid: string;
  builtIn: boolean;
}

export interface User {
  userID: string;
  email: string;
  status: string;
  roles: string[];
}

/**
 * A database as `/v2/databases` describes it (the published description's Database and Datacenter objects): what the
 * official SDKs read (`info.datacenters[].region/dateCreated`, `info.keyspaces`, `lastUsageTime`, ...) is there.
 */
export interface Database {
  id: string;
  orgId: string;
  ownerId: string;
  status: string;
  creationTime: string;
  lastUsageTime: string;
  terminationTime?: string;
  availableActions: string[];
  storage: { nodeCount: number; replicationFactor: number; totalStorage: number; usedStorage?: number };
  cqlshUrl: string;
  graphqlUrl: string;
  dataEndpointUrl: string;
  info: {
    name: string;
    keyspace: string;
    keyspaces: string[];
    cloudProvider: string;
    region: string;
    tier: string;
    capacityUnits: number;
    dbType?: string;
    datacenters: Datacenter[];
  };
}

export interface Datacenter {
  id: string;
  name: string;
  tier: string;
  status: string;
  cloudProvider: string;
  region: string;
  regionZone: string;
  regionClassification: string;
  capacityUnits: number;
  cqlshUrl: string;
  graphqlUrl: string;
  dateCreated: string;
}

export interface Org {
  id: string;
  name: string;
  roles: Role[];
  users: User[];
  databases: Database[];
}

export interface TokenRecord {
  clientId: string;
  orgId: string;
  roles: string[];
  description: string;
  generatedOn: Date;
  expiresAt: Date | null;
  /** sha256(secret) in lowercase hex: the third part of the token string. */
  tokenHash: string;
}

export interface IssuedToken {
  clientId: string;
  secret: string;
  token: string;
}

export interface Fault {
  /** HTTP method to match (case-insensitive); any when absent. */
  method?: string;
  /** Path to match: a string where `*` stands for one path segment and `**` for anything, or a RegExp; any when absent. */
  path?: string | RegExp;
  /** Status to answer with; 0 answers with a network error (connection dropped). */
  status: number;
  /** How many matching requests this fault answers (default 1). */
  times?: number;
  /** Seconds for a `Retry-After` header. */
  retryAfter?: number;
  /** Body text; default `{"errors":[{"ID":<status>,"message":"injected fault"}]}`. */
  body?: string;
  contentType?: string;
  /** Extra delay before this fault's response, on top of any latency. */
  delayMs?: number;
}

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

export interface RequestLogEntry {
  method: string;
  path: string;
  status: number;
}

export interface StateOptions {
  now?: () => Date;
  /** A source of uniform numbers in [0, 1) for ids and secrets; crypto-backed by default. */
  random?: () => number;
}

export interface Caller {
  token: TokenRecord;
  org: Org;
}

export const ADMIN_ROLE_NAME = 'Organization Administrator';
const TOKEN_PATTERN = /^AstraCS:([A-Za-z]{24}):([0-9a-f]{64})$/;
const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const SECRET_CHARS = `${LETTERS}0123456789,.-_`;
const STATE_VERSION = 1;

const cryptoRandom = (): number => randomInt(0, 2 ** 47) / 2 ** 47;
export const sha256Hex = (text: string): string => createHash('sha256').update(text).digest('hex');

export class EmulatorState {
  readonly orgs: Org[] = [];
  readonly requests: RequestLogEntry[] = [];
  readonly faults: Fault[] = [];
  readonly now: () => Date;
  readonly random: () => number;
  private readonly tokens = new Map<string, TokenRecord>();
  private adminClientId: string | undefined;
  readonly streamingTenants: StreamingTenant[] = [];
  /** HMAC key for Pulsar JWTs; drawn from `random` on first use (so injected randomness stays deterministic). */
  private streamingKey: Buffer | undefined;

  private constructor(opts: StateOptions = {}) {
    this.now = opts.now ?? (() => new Date());
    this.random = opts.random ?? cryptoRandom;
  }

  /** A fresh emulator: one org "Emulated Org" with the built-in roles, an admin user and three databases. */
  static create(opts?: StateOptions): EmulatorState {
    const state = new EmulatorState(opts);
    const org = state.addOrg('Emulated Org');
    const owner = org.users[0]?.userID ?? state.uuid();
    for (const [name, region] of [['orders', 'us-east1'], ['inventory', 'europe-west1'], ['analytics', 'us-west-2']] as const) {
      org.databases.push(databaseRecord(state.uuid(), org.id, owner, name, region, region.includes('-west-2') ? 'AWS' : 'GCP', state.now()));
    }
    return state;
  }

  get defaultOrg(): Org {
    const org = this.orgs[0];
    if (!org) throw new Error('emulator state has no org');
    return org;
  }

  /** Adds an org with the 16 built-in roles and one admin user (for enterprise `orgId` scenarios). */
  addOrg(name: string): Org {
    const org: Org = { id: this.uuid(), name, roles: [], users: [], databases: [] };
    const stamp = this.now().toISOString();
    for (const spec of BUILT_IN_ROLES) {
      org.roles.push({
        id: this.uuid(),
        name: spec.name,
        policy: { description: spec.description, resources: [...spec.resources], actions: [...spec.actions], effect: 'allow' },
        last_update_datetime: stamp,
        last_update_userid: 'system',
        builtIn: true,
      });
    }
    const admin = org.roles.find((r) => r.name === ADMIN_ROLE_NAME);
    org.users.push({
      userID: this.uuid(),
      email: this.orgs.length === 0 ? 'admin@emulated.example' : `admin+${this.orgs.length}@emulated.example`,
      status: 'active',
      roles: admin ? [admin.id] : [],
    });
    this.orgs.push(org);
    this.seedStreaming(org.id);
    return org;
  }

  /** Every org gets the demo tenant with one token, as a new Astra Streaming tenant starts with one. */
  private seedStreaming(orgId: string): void {
    const tenant = this.addStreamingTenant(orgId, DEMO_TENANT, DEMO_CLUSTER);
    this.createStreamingToken(tenant, null);
  }

  addStreamingTenant(orgId: string, name: string, cluster: string): StreamingTenant {
    if (!this.findOrg(orgId)) throw new Error(`unknown org ${orgId}`);
    if (this.findStreamingTenant(orgId, name)) throw new Error(`tenant ${name} exists in org ${orgId}`);
    const tenant: StreamingTenant = { orgId, name, cluster, tokens: [] };
    this.streamingTenants.push(tenant);
    return tenant;
  }

  findStreamingTenant(orgId: string, name: string): StreamingTenant | undefined {
    return this.streamingTenants.find((t) => t.orgId === orgId && t.name === name);
  }

  /** Adds a token's claims to the tenant (no limit check: the route enforces STREAMING_TOKEN_LIMIT). */
  createStreamingToken(tenant: StreamingTenant, lifetimeSeconds: number | null): StreamingTokenRecord {
    const issuedAt = Math.floor(this.now().getTime() / 1000);
    const tokenId = this.uuid();
    const role = `admin-${tokenId.slice(0, 8)}`;
    const record: StreamingTokenRecord = {
      tokenId,
      subject: `client;${tenant.orgId};${tenant.name};${role}`,
      role,
      issuedAt,
      expiresAt: lifetimeSeconds === null ? null : issuedAt + lifetimeSeconds,
    };
    tenant.tokens.push(record);
    return record;
  }

  revokeStreamingToken(tenant: StreamingTenant, tokenId: string): boolean {
    const index = tenant.tokens.findIndex((t) => t.tokenId === tokenId);
    if (index < 0) return false;
    tenant.tokens.splice(index, 1);
    return true;
  }

  /** The JWT claims of a token, in the order the service lists them. */
  streamingClaims(record: StreamingTokenRecord): Record<string, string | number> {
    const claims: Record<string, string | number> = {
      iat: record.issuedAt,
      iss: STREAMING_ISSUER,
      sub: record.subject,
      tokenid: record.tokenId,
    };
    if (record.expiresAt !== null) claims.exp = record.expiresAt;
    return claims;
  }

  /** A real HS256 JWT over the token's claims, signed with this state's key. */
  signStreamingToken(record: StreamingTokenRecord): string {
    const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const unsigned = `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode(this.streamingClaims(record))}`;
    const signature = createHmac('sha256', this.streamingSigningKey()).update(unsigned).digest('base64url');
    return `${unsigned}.${signature}`;
  }

  /** Checks a JWT's HS256 signature against this state's key (for tests and diagnostics). */
  verifyStreamingToken(jwt: string): boolean {
    const parts = jwt.split('.');
    if (parts.length !== 3) return false;
    const expected = createHmac('sha256', this.streamingSigningKey()).update(`${parts[0]}.${parts[1]}`).digest();
    const given = Buffer.from(parts[2] ?? '', 'base64url');
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  private streamingSigningKey(): Buffer {
    this.streamingKey ??= Buffer.from(Array.from({ length: 32 }, () => Math.floor(this.random() * 256)));
    return this.streamingKey;
  }

  findOrg(orgId: string): Org | undefined {
    return this.orgs.find((o) => o.id === orgId);
  }

  /** A role of the org by id, or else by name (case-insensitive). */
  findRole(orgId: string, idOrName: string): Role | undefined {
    const roles = this.findOrg(orgId)?.roles ?? [];
    return roles.find((r) => r.id === idOrName) ?? roles.find((r) => r.name.toLowerCase() === idOrName.toLowerCase());
  }

  /**
   * Seeds a token directly (no HTTP, no authorization). Role names are resolved to the org's role ids; a UUID that is
   * not a role of the org is kept as is (a token with no usable role, as the real API allows); anything else throws,
   * so a typo in a test does not silently produce a powerless token.
   */
  issueToken(
    orgId: string,
    roleIdsOrNames: string[],
    opts: { description?: string; expiresAt?: Date | null; generatedOn?: Date } = {},
  ): IssuedToken {
    if (!this.findOrg(orgId)) throw new Error(`unknown org ${orgId}`);
    const roles = roleIdsOrNames.map((r) => {
      const role = this.findRole(orgId, r);
      if (role) return role.id;
      if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(r)) return r;
      throw new Error(`unknown role ${JSON.stringify(r)} in org ${orgId}`);
    });
    return this.mintToken(orgId, roles, opts.description ?? '', opts.expiresAt ?? null, opts.generatedOn);
  }

  /** Creates a token record with fresh credentials; role ids are stored as given. */
  mintToken(orgId: string, roles: string[], description: string, expiresAt: Date | null, generatedOn?: Date): IssuedToken {
    let clientId = this.letters(24);
    while (this.tokens.has(clientId)) clientId = this.letters(24);
    const secret = this.secretString();
    const tokenHash = sha256Hex(secret);
    this.tokens.set(clientId, {
      clientId,
      orgId,
      roles: [...roles],
      description,
      generatedOn: generatedOn ?? this.now(),
      expiresAt,
      tokenHash,
    });
    return { clientId, secret, token: `AstraCS:${clientId}:${tokenHash}` };
  }

  /** A fresh Organization Administrator token for the default org. */
  issueAdminToken(): string {
    return this.issueToken(this.defaultOrg.id, [ADMIN_ROLE_NAME], { description: 'emulator admin' }).token;
  }

  /** One Organization Administrator token for the default org, issued on first use and kept across toJSON/fromJSON. */
  get adminToken(): string {
    const existing = this.adminClientId ? this.tokens.get(this.adminClientId) : undefined;
    if (existing) return `AstraCS:${existing.clientId}:${existing.tokenHash}`;
    const token = this.issueAdminToken();
    this.adminClientId = token.slice('AstraCS:'.length, 'AstraCS:'.length + 24);
    return token;
  }

  listTokens(orgId: string): TokenRecord[] {
    return [...this.tokens.values()].filter((t) => t.orgId === orgId);
  }

  findToken(clientId: string): TokenRecord | undefined {
    return this.tokens.get(clientId);
  }

  revokeToken(clientId: string): boolean {
    return this.tokens.delete(clientId);
  }

  isExpired(token: TokenRecord): boolean {
    return token.expiresAt !== null && token.expiresAt.getTime() <= this.now().getTime();
  }

  /** The caller behind a bearer token string (with or without the `Bearer ` prefix), if it is known and unexpired. */
  authenticate(bearer: string | null | undefined): Caller | undefined {
    const match = TOKEN_PATTERN.exec((bearer ?? '').replace(/^Bearer\s+/i, '').trim());
    if (!match) return undefined;
    const token = this.tokens.get(match[1] ?? '');
    if (!token || this.isExpired(token)) return undefined;
    const given = Buffer.from(match[2] ?? '', 'utf8');
    const stored = Buffer.from(token.tokenHash, 'utf8');
    if (given.length !== stored.length || !timingSafeEqual(given, stored)) return undefined;
    const org = this.findOrg(token.orgId);
    return org ? { token, org } : undefined;
  }

  /** The actions a token's roles grant; role ids that are unknown or deleted grant nothing. */
  actionsOf(token: TokenRecord): Set<string> {
    const roles = this.findOrg(token.orgId)?.roles ?? [];
    const actions = new Set<string>();
    for (const id of token.roles) {
      const role = roles.find((r) => r.id === id);
      if (role?.policy.effect === 'allow') role.policy.actions.forEach((a) => actions.add(a));
    }
    return actions;
  }

  can(token: TokenRecord, action: string): boolean {
    return this.actionsOf(token).has(action);
  }

  isOrgAdmin(token: TokenRecord): boolean {
    const admin = this.findRole(token.orgId, ADMIN_ROLE_NAME);
    return admin !== undefined && admin.builtIn && token.roles.includes(admin.id);
  }

  /** Queues a scripted fault; faults are consumed in order by the requests they match (see handlers). */
  injectFault(fault: Fault): void {
    this.faults.push({ ...fault });
  }

  /** Takes the first queued fault matching the request, counting one use of it. */
  takeFault(method: string, path: string): Fault | undefined {
    const index = this.faults.findIndex((f) => faultMatches(f, method, path));
    const fault = this.faults[index];
    if (!fault) return undefined;
    const left = (fault.times ?? 1) - 1;
    if (left <= 0) this.faults.splice(index, 1);
    else fault.times = left;
    return fault;
  }

  recordRequest(method: string, path: string, status: number): void {
    this.requests.push({ method, path, status });
  }

  uuid(): string {
    const hex = Array.from({ length: 32 }, () => Math.floor(this.random() * 16).toString(16));
    hex[12] = '4';
    hex[16] = (8 + Math.floor(this.random() * 4)).toString(16);
    const h = hex.join('');
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }

  private letters(n: number): string {
    return Array.from({ length: n }, () => LETTERS[Math.floor(this.random() * LETTERS.length)]).join('');
  }

  private secretString(): string {
    return Array.from({ length: 64 }, () => SECRET_CHARS[Math.floor(this.random() * SECRET_CHARS.length)]).join('');
  }

  /** A JSON-safe snapshot for `--state` files. Holds token hashes, never secrets; faults and the log are not kept. */
  toJSON(): EmulatorStateJSON {
    return {
      version: STATE_VERSION,
      orgs: structuredClone(this.orgs),
      adminClientId: this.adminClientId ?? null,
      tokens: [...this.tokens.values()].map((t) => ({
        ...t,
        roles: [...t.roles],
        generatedOn: t.generatedOn.toISOString(),
        expiresAt: t.expiresAt?.toISOString() ?? null,
      })),
      streaming: {
        // Null until a JWT was signed: then nothing depends on the key yet.
        key: this.streamingKey?.toString('base64url') ?? null,
        tenants: structuredClone(this.streamingTenants),
      },
    };
  }

  /** Restores a snapshot made by `toJSON` (accepts the parsed object or its JSON text); throws on a foreign shape. */
  static fromJSON(json: unknown, opts?: StateOptions): EmulatorState {
    const data = (typeof json === 'string' ? JSON.parse(json) : json) as Partial<EmulatorStateJSON> | null;
    if (!data || data.version !== STATE_VERSION || !Array.isArray(data.orgs) || !Array.isArray(data.tokens) || data.orgs.length === 0) {
      throw new Error(`not an emulator state (version ${STATE_VERSION})`);
    }
    const state = new EmulatorState(opts);
    state.orgs.push(...structuredClone(data.orgs).map((org) => ({ ...org, databases: org.databases.map(completeDatabase) })));
    for (const t of data.tokens) {
      if (typeof t.clientId !== 'string' || typeof t.tokenHash !== 'string' || !/^[0-9a-f]{64}$/.test(t.tokenHash)) {
        throw new Error('emulator state holds a malformed token record');
      }
      state.tokens.set(t.clientId, {
        clientId: t.clientId,
        orgId: t.orgId,
        roles: [...t.roles],
        description: t.description ?? '',
        generatedOn: new Date(t.generatedOn),
        expiresAt: t.expiresAt ? new Date(t.expiresAt) : null,
        tokenHash: t.tokenHash,
      });
    }
    state.adminClientId = data.adminClientId ?? undefined;
    if (data.streaming) {
      const { key, tenants } = data.streaming;
      if ((key !== null && typeof key !== 'string') || !Array.isArray(tenants)) {
        throw new Error('emulator state holds malformed streaming data');
      }
      if (key !== null) state.streamingKey = Buffer.from(key, 'base64url');
      state.streamingTenants.push(...structuredClone(tenants));
    } else {
      // A snapshot from before streaming existed: give its orgs the demo tenant.
      for (const org of state.orgs) state.seedStreaming(org.id);
    }
    return state;
  }
}

/** A fresh serverless database, ACTIVE, with one datacenter, as `/v2/databases` returns it. */
export function databaseRecord(id: string, orgId: string, ownerId: string, name: string, region: string, cloudProvider: string, created: Date): Database {
  const stamp = created.toISOString();
  const apps = `https://${id}-${region}.apps.astra.datastax.com`;
  return {
    id,
    orgId,
    ownerId,
    status: 'ACTIVE',
    creationTime: stamp,
    lastUsageTime: stamp,
    availableActions: ['park', 'getCreds', 'resetPassword', 'addKeyspace', 'removeKeyspace', 'addTable', 'terminate'],
    storage: { nodeCount: 3, replicationFactor: 3, totalStorage: 5 },
    cqlshUrl: `${apps}/cqlsh`,
    graphqlUrl: `${apps}/api/graphql`,
    dataEndpointUrl: `${apps}/api/rest`,
    info: {
      name,
      keyspace: name,
      keyspaces: [name],
      cloudProvider,
      region,
      tier: 'serverless',
      capacityUnits: 1,
      dbType: 'vector',
      datacenters: [
        {
          id: `${id}-1`,
          name: `dc-1`,
          tier: 'serverless',
          status: 'ACTIVE',
          cloudProvider,
          region,
          regionZone: region.startsWith('europe') ? 'emea' : 'na',
          regionClassification: 'standard',
          capacityUnits: 1,
          cqlshUrl: `${apps}/cqlsh`,
          graphqlUrl: `${apps}/api/graphql`,
          dateCreated: stamp,
        },
      ],
    },
  };
}

/** A database saved by an emulator from before the full shape: the missing fields filled in from what it has. */
function completeDatabase(db: Database): Database {
  const full = databaseRecord(db.id, db.orgId, db.ownerId, db.info.name, db.info.region, db.info.cloudProvider, new Date(db.creationTime));
  return { ...full, ...db, info: { ...full.info, ...db.info } };
}

export interface EmulatorStateJSON {
  version: number;
  orgs: Org[];
  adminClientId: string | null;
  tokens: Array<Omit<TokenRecord, 'generatedOn' | 'expiresAt'> & { generatedOn: string; expiresAt: string | null }>;
  /** Absent in snapshots written before the streaming routes existed. */
  streaming?: { key: string | null; tenants: StreamingTenant[] };
}

/** Roles on the wire: the emulator's `builtIn` marker is internal. */
export function toWireRole(role: Role): Omit<Role, 'builtIn'> {
  const { builtIn: _builtIn, ...wire } = role;
  return structuredClone(wire);
}

function faultMatches(fault: Fault, method: string, path: string): boolean {
  if (fault.method && fault.method.toUpperCase() !== method.toUpperCase()) return false;
  if (fault.path === undefined) return true;
  if (fault.path instanceof RegExp) return fault.path.test(path);
  const pattern = fault.path
    .split(/(\*\*|\*)/)
    .map((part) => (part === '**' ? '.*' : part === '*' ? '[^/]+' : part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${pattern}$`).test(path);
}

export { ORG_ID_PLACEHOLDER };
