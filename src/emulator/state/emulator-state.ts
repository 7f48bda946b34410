/**
 * The in-memory model behind the emulator: orgs with roles, users and databases, tokens, streaming tenants, scripted
 * faults and a request log. HTTP concerns live in the route files; this class is the one handle the routes, the
 * `emulator` verb and the tests hold, and each concern's data and rules live in its own module next to it.
 */
import { SEED_DATABASES, databaseRecord, seedCloud } from './databases.js';
import { cryptoRandom, uuid, type Random } from './ids.js';
import { ADMIN_ROLE_NAME, findRoleIn, newOrg, type Org, type Role } from './orgs.js';
import { actionsOf, isOrgAdmin, type Caller } from './permissions.js';
import { fromSnapshot, toSnapshot, type EmulatorStateJSON } from './snapshot.js';
import {
  DEMO_CLUSTER,
  DEMO_TENANT,
  StreamingSigner,
  newStreamingToken,
  streamingClaims,
  type StreamingTenant,
  type StreamingTokenRecord,
} from './streaming.js';
import { TokenStore, tokenString, type IssuedToken, type TokenRecord } from './tokens.js';
import { takeFault, type Fault, type RequestLogEntry } from './traffic.js';

export interface StateOptions {
  now?: () => Date;
  /** A source of uniform numbers in [0, 1) for ids and secrets; crypto-backed by default. */
  random?: Random;
}

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export class EmulatorState {
  readonly orgs: Org[] = [];
  readonly requests: RequestLogEntry[] = [];
  readonly faults: Fault[] = [];
  readonly now: () => Date;
  readonly random: () => number;
  private readonly tokens: TokenStore;
  private adminClientId: string | undefined;
  readonly streamingTenants: StreamingTenant[] = [];
  private readonly streamingSigner: StreamingSigner;

  private constructor(opts: StateOptions = {}) {
    this.now = opts.now ?? (() => new Date());
    this.random = opts.random ?? cryptoRandom;
    this.tokens = new TokenStore(this.random, this.now);
    this.streamingSigner = new StreamingSigner(this.random);
  }

  /** A fresh emulator: one org "Emulated Org" with the built-in roles, an admin user and three databases. */
  static create(opts?: StateOptions): EmulatorState {
    const state = new EmulatorState(opts);
    const org = state.addOrg('Emulated Org');
    const owner = org.users[0]?.userID ?? state.uuid();
    for (const [name, region] of SEED_DATABASES) {
      org.databases.push(databaseRecord(state.uuid(), org.id, owner, name, region, seedCloud(region), state.now()));
    }
    return state;
  }

  get defaultOrg(): Org {
    const org = this.orgs[0];
    if (!org) throw new Error('emulator state has no org');
    return org;
  }

  // Orgs and roles

  /** Adds an org with the 16 built-in roles and one admin user (for enterprise `orgId` scenarios). */
  addOrg(name: string): Org {
    const org = newOrg(name, this.orgs.length, () => this.uuid(), this.now());
    this.orgs.push(org);
    this.seedStreaming(org.id);
    return org;
  }

  findOrg(orgId: string): Org | undefined {
    return this.orgs.find((o) => o.id === orgId);
  }

  /** A role of the org by id, or else by name (case-insensitive). */
  findRole(orgId: string, idOrName: string): Role | undefined {
    return findRoleIn(this.findOrg(orgId)?.roles ?? [], idOrName);
  }

  // Streaming

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
    const record = newStreamingToken(tenant, this.uuid(), issuedAt, lifetimeSeconds);
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
    return streamingClaims(record);
  }

  /** A real HS256 JWT over the token's claims, signed with this state's key. */
  signStreamingToken(record: StreamingTokenRecord): string {
    return this.streamingSigner.sign(record);
  }

  /** Checks a JWT's HS256 signature against this state's key (for tests and diagnostics). */
  verifyStreamingToken(jwt: string): boolean {
    return this.streamingSigner.verify(jwt);
  }

  // Organization tokens

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
      if (UUID_PATTERN.test(r)) return r;
      throw new Error(`unknown role ${JSON.stringify(r)} in org ${orgId}`);
    });
    return this.mintToken(orgId, roles, opts.description ?? '', opts.expiresAt ?? null, opts.generatedOn);
  }

  /** Creates a token record with fresh credentials; role ids are stored as given. */
  mintToken(orgId: string, roles: string[], description: string, expiresAt: Date | null, generatedOn?: Date): IssuedToken {
    return this.tokens.mint(orgId, roles, description, expiresAt, generatedOn);
  }

  /** A fresh Organization Administrator token for the default org. */
  issueAdminToken(): string {
    return this.issueToken(this.defaultOrg.id, [ADMIN_ROLE_NAME], { description: 'emulator admin' }).token;
  }

  /** One Organization Administrator token for the default org, issued on first use and kept across toJSON/fromJSON. */
  get adminToken(): string {
    const existing = this.adminClientId ? this.tokens.find(this.adminClientId) : undefined;
    if (existing) return tokenString(existing);
    const token = this.issueAdminToken();
    this.adminClientId = token.slice('AstraCS:'.length, 'AstraCS:'.length + 24);
    return token;
  }

  listTokens(orgId: string): TokenRecord[] {
    return this.tokens.list(orgId);
  }

  findToken(clientId: string): TokenRecord | undefined {
    return this.tokens.find(clientId);
  }

  revokeToken(clientId: string): boolean {
    return this.tokens.revoke(clientId);
  }

  isExpired(token: TokenRecord): boolean {
    return this.tokens.isExpired(token);
  }

  // Authentication and permissions

  /** The caller behind a bearer token string (with or without the `Bearer ` prefix), if it is known and unexpired. */
  authenticate(bearer: string | null | undefined): Caller | undefined {
    const token = this.tokens.authenticate(bearer);
    const org = token && this.findOrg(token.orgId);
    return token && org ? { token, org } : undefined;
  }

  /** The actions a token's roles grant; role ids that are unknown or deleted grant nothing. */
  actionsOf(token: TokenRecord): Set<string> {
    return actionsOf(token, this.findOrg(token.orgId)?.roles ?? []);
  }

  can(token: TokenRecord, action: string): boolean {
    return this.actionsOf(token).has(action);
  }

  isOrgAdmin(token: TokenRecord): boolean {
    return isOrgAdmin(token, this.findOrg(token.orgId)?.roles ?? []);
  }

  // Scripted faults and the request log

  /** Queues a scripted fault; faults are consumed in order by the requests they match (see handlers). */
  injectFault(fault: Fault): void {
    this.faults.push({ ...fault });
  }

  /** Takes the first queued fault matching the request, counting one use of it. */
  takeFault(method: string, path: string): Fault | undefined {
    return takeFault(this.faults, method, path);
  }

  recordRequest(method: string, path: string, status: number): void {
    this.requests.push({ method, path, status });
  }

  uuid(): string {
    return uuid(this.random);
  }

  // Persistence

  /** A JSON-safe snapshot for `--state` files. Holds token hashes, never secrets; faults and the log are not kept. */
  toJSON(): EmulatorStateJSON {
    return toSnapshot({
      orgs: this.orgs,
      tokens: this.tokens.all(),
      adminClientId: this.adminClientId,
      streaming: { key: this.streamingSigner.savedKey, tenants: this.streamingTenants },
    });
  }

  /** Restores a snapshot made by `toJSON` (accepts the parsed object or its JSON text); throws on a foreign shape. */
  static fromJSON(json: unknown, opts?: StateOptions): EmulatorState {
    const snapshot = fromSnapshot(json);
    const state = new EmulatorState(opts);
    state.orgs.push(...snapshot.orgs);
    for (const token of snapshot.tokens) state.tokens.restore(token);
    state.adminClientId = snapshot.adminClientId;
    if (snapshot.streaming) {
      if (snapshot.streaming.key) state.streamingSigner.restoreKey(snapshot.streaming.key);
      state.streamingTenants.push(...snapshot.streaming.tenants);
    } else {
      // A snapshot from before streaming existed: give its orgs the demo tenant.
      for (const org of state.orgs) state.seedStreaming(org.id);
    }
    return state;
  }
}
