/**
 * The emulator against DataStax's published API (DevOps API 2.3.0, Astra Streaming 2.2.0, as this project records it
 * in test/contract/published-api.ts), in every API shape: each token, role, user, org, database and streaming
 * operation it serves is called with its successes and its errors, each request is validated against the operation's
 * request schema, and each answer against what the operation declares for that status (its media type and schema). A
 * status the operation does not declare must come in the route's recorded form (src/emulator/error-bodies.ts). Where
 * the publication is inconsistent in itself, DEPARTURES says what is done instead and why; nothing else is bent.
 */
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { API_SHAPES, type ApiShape } from '../../src/emulator/handlers.js';
import { ERROR_BODIES, type ErrorForm } from '../../src/emulator/error-bodies.js';
import { DEMO_CLUSTER, DEMO_TENANT } from '../../src/emulator/state.js';
import { createApiClient, type FetchLike } from '../../src/api/index.js';
import { createStreamingClient } from '../../src/api/streaming.js';
import { withEmulatorServer, type LoopbackEmulator } from '../helpers/emulator.js';
import { call, type Reply } from '../helpers/emulator-call.js';
import { PUBLISHED_OPERATIONS, SCHEMA_DOCUMENTS, type PublishedOperation, type Schema } from '../contract/published-api.js';

/** Where the publication contradicts itself or the API's documented answers: what the test does instead. */
const DEPARTURES = [
  // DevOps 2.3.0 `Error`: `required: [id, message]` while its property is `ID`; JSON Schema is case-sensitive, so no
  // body could satisfy both. The docs' examples (and every client) use `ID`: it is required as `ID`.
  'Error.required names `id`, its property is `ID`: required as `ID`',
  // Streaming 2.2.0 `errorResponse` is go-swagger's response struct, whose `Body` field is the wire body (ResponseErr,
  // `{"reason"}`, as the streaming docs show errors). The client reads both forms (test/api/client.test.ts).
  'errorResponse ({"Body":ResponseErr}) validated as its Body, ResponseErr',
  // Streaming 2.2.0 CreateTenantTokenHandler (POST /v2/.../tokens): the operation says it returns the JWT string and
  // its /v3 successor says it returns JSON "instead of the string returned by the v2 endpoint"; the `*/*` schema
  // (tokenResponse) disagrees. The emulator answers the JWT string.
  'POST /v2/streaming/tenants/{tenant}/tokens 201: the JWT string, not tokenResponse',
  // GET /v2/tokens and DELETE /v2/tokens/{id} are in the current docs, not in the 2.3.0 description: they are held to
  // the description of the same calls under /v2/clientIdSecrets.
  'GET /v2/tokens and DELETE /v2/tokens/{id} (docs and mixed shapes): held to their /v2/clientIdSecrets twins',
  // DevOps 2.3.0 `PolicyAction` enumerates 43 actions, but the same description's security scopes require others
  // (accesslist-read, accesslist-write, db-manage-privateendpoint, db-manage-telemetry, ...) that built-in roles hold.
  'PolicyAction: any string (its enum lacks actions the description itself requires)',
] as const;

/** The recorded schemas with the departures applied (the record itself stays as published). */
const devopsDefs = { ...(SCHEMA_DOCUMENTS.devops.$defs as Record<string, Schema>) };
const streamingDefs = { ...(SCHEMA_DOCUMENTS.streaming.$defs as Record<string, Schema>) };
const errorSchema = { ...devopsDefs.Error!, required: (devopsDefs.Error!.required as string[]).map((k) => (k === 'id' ? 'ID' : k)) };
devopsDefs.Error = errorSchema;
streamingDefs.errorResponse = { $ref: 'streaming#/$defs/ResponseErr' };
const listedActions = devopsDefs.PolicyAction!.enum as string[];
devopsDefs.PolicyAction = { type: 'string' };
const ALIASES: Record<string, string> = {
  'GET /v2/tokens': 'GET /v2/clientIdSecrets',
  'DELETE /v2/tokens/{clientId}': 'DELETE /v2/clientIdSecrets/{clientId}',
};

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
const ajv = addFormats(new Ajv({ strict: true, strictTypes: false, allErrors: true }));
ajv.addSchema({ ...SCHEMA_DOCUMENTS.devops, $defs: devopsDefs });
ajv.addSchema({ ...SCHEMA_DOCUMENTS.streaming, $defs: streamingDefs });

const compiled = new Map<string, ValidateFunction>();
function assertValid(schema: Schema, data: unknown, what: string): void {
  const key = JSON.stringify(schema);
  let v = compiled.get(key);
  if (!v) compiled.set(key, (v = ajv.compile(schema)));
  if (!v(data)) throw new Error(`${what}: ${ajv.errorsText(v.errors?.slice(0, 5))}\n${JSON.stringify(data).slice(0, 400)}`);
}

function operation(method: string, template: string): PublishedOperation {
  const key = ALIASES[`${method} ${template}`] ?? `${method} ${template}`;
  const op = PUBLISHED_OPERATIONS[key];
  if (!op) throw new Error(`${key} is not an operation of DataStax's published API`);
  return op;
}

/** The route's key in ERROR_BODIES (`:param` where the description has `{param}`). */
const tableKey = (method: string, template: string) =>
  `${method} ${template.replace('{clientId}', ':clientId').replace('{roleID}', ':roleId').replace('{databaseId}', ':databaseId').replace('{tenant}', ':tenant').replace('{tokenID}', ':tokenId')}`;

interface Exchange {
  method: string;
  /** The path as the description writes it, e.g. `/v2/organizations/roles/{roleID}`. */
  template: string;
  path: string;
  token?: string | null;
  body?: unknown;
  headers?: Record<string, string>;
  /** The request breaks the description on purpose (to provoke an error): it is not validated. */
  invalidRequest?: boolean;
}

function checkRequest(x: Exchange, op: PublishedOperation): void {
  for (const header of op.headers ?? []) {
    const name = header.toLowerCase();
    const sent = Object.entries(x.headers ?? {}).find(([k]) => k.toLowerCase() === name)?.[1];
    expect(name === 'authorization' ? x.token : sent, `${x.method} ${x.template}: header ${header}`).toBeTruthy();
  }
  const query = new URL(x.path, 'http://x').searchParams;
  for (const [name, schema] of Object.entries(op.query ?? {})) {
    if (!query.has(name)) continue;
    const value = query.get(name)!;
    assertValid(schema, schema.type === 'integer' ? Number(value) : value, `query ${name}`);
  }
  for (const name of query.keys()) expect(op.query, `${x.method} ${x.template}: query ${name}`).toHaveProperty(name);
  if (x.body !== undefined) {
    expect(op.body, `${x.method} ${x.template} takes no request body`).toBeDefined();
    assertValid(op.body!, x.body, `request of ${x.method} ${x.template}`);
  }
}

/** Checks a body against the route's recorded error form (a status its operation does not declare). */
function checkForm(form: ErrorForm, reply: Reply, what: string): void {
  const type = reply.headers.get('content-type') ?? '';
  if (form === 'text') {
    expect(type, what).toMatch(/^text\/plain/);
    expect(reply.text.trim(), what).not.toBe('');
  } else if (form === 'string') {
    expect(type, what).toMatch(/^application\/json/);
    expect(typeof reply.body, what).toBe('string');
  } else if (form === 'reason') {
    assertValid({ $ref: 'streaming#/$defs/ResponseErr' }, reply.body, what);
    expect((reply.body as { reason: string }).reason, what).toBeTruthy();
  } else {
    assertValid({ $ref: 'devops#/$defs/Errors' }, reply.body, what);
  }
}

function checkResponse(x: Exchange, reply: Reply, op: PublishedOperation): void {
  const what = `${x.method} ${x.template} -> ${reply.status}`;
  const status = String(reply.status);
  const declared = op.answers[status] ?? op.answers[`${status[0]}XX`] ?? op.answers.default;
  if (!declared) {
    const form = ERROR_BODIES[tableKey(x.method, x.template)];
    expect(form, `${what}: undeclared status on a route missing from ERROR_BODIES`).toBeDefined();
    expect(reply.status, what).toBeGreaterThanOrEqual(400);
    checkForm(reply.status === 401 ? form!.unauthorized : form!.errors, reply, `${what} (undeclared; ${form!.source})`);
    return;
  }
  const { media, schema } = declared;
  if (!media) return; // no content declared: the publication says nothing of the body
  const type = reply.headers.get('content-type') ?? '';
  const json = /^application\/json/.test(type);
  if (media !== '*/*' && !type.startsWith(media)) throw new Error(`${what}: answered ${type}, declared ${media}`);
  if (media === 'text/plain') {
    expect(reply.text.trim(), what).not.toBe('');
    return;
  }
  if (media === '*/*' && !json) {
    expect(`${x.method} ${x.template} ${status}`).toBe('POST /v2/streaming/tenants/{tenant}/tokens 201'); // DEPARTURES[2]
    expect(reply.text).toMatch(/^eyJ[\w-]*\.[\w-]+\.[\w-]+$/);
    return;
  }
  expect(type, `${what}: JSON declared`).toMatch(/^application\/json/);
  if (schema) assertValid(schema, reply.body, what);
}

/** A route the shape does not have: answered as the real API's router answers one. */
function checkMissingRoute(reply: Reply, what: string): void {
  expect([404, 405], what).toContain(reply.status);
  expect(reply.headers.get('content-type'), what).toMatch(/^text\/plain/);
  if (reply.status === 404) expect(reply.text, what).toBe('404 page not found\n');
}

const MISSING: Record<ApiShape, string[]> = {
  docs: [],
  mixed: ['DELETE /v2/tokens/{clientId}'],
  spec: ['GET /v2/tokens', 'DELETE /v2/tokens/{clientId}'],
};

describe.each(API_SHAPES)("the emulator against DataStax's descriptions, %s shape", (shape) => {
  it('answers every operation it serves, success and error, as the descriptions declare', async () => {
    await withEmulatorServer(
      async (emu) => {
        const seen = new Set<string>();
        const run = async (x: Exchange): Promise<Reply> => {
          const reply = await call(emu.url, x.method, x.path, {
            token: x.token === undefined ? emu.adminToken : x.token,
            body: x.body,
            headers: x.headers,
          });
          const key = `${x.method} ${x.template}`;
          seen.add(key);
          if (MISSING[shape].includes(key)) {
            checkMissingRoute(reply, `${key} (${shape})`);
            return reply;
          }
          const op = operation(x.method, x.template);
          if (!x.invalidRequest) checkRequest({ ...x, token: x.token === undefined ? emu.adminToken : x.token }, op);
          checkResponse(x, reply, op);
          return reply;
        };
        await exerciseDevOps(emu, run);
        await exerciseStreaming(emu, run);

        // Every authenticated route the emulator has was called, and each is an operation of the descriptions.
        const served = Object.keys(ERROR_BODIES);
        const called = [...seen].map((key) => tableKey(...(key.split(' ') as [string, string])));
        expect(new Set(called)).toEqual(new Set(served));
        for (const key of seen) if (!MISSING[shape].includes(key)) operation(...(key.split(' ') as [string, string]));
        // ... and every operation recorded in the published API was called.
        for (const key of Object.keys(PUBLISHED_OPERATIONS)) expect([...seen], key).toContain(key);

        // An unknown route: Go's router answer, with or without a token.
        checkMissingRoute(await call(emu.url, 'GET', '/v2/no-such-route', { token: emu.adminToken }), 'unknown route');
      },
      { apiShape: shape },
    );
  });

  it("the CLI's own clients send requests the descriptions accept, and read the emulator's answers", async () => {
    await withEmulatorServer(
      async (emu) => {
        const sent: Array<{ method: string; url: URL; headers: Headers; body?: string; reply: Response }> = [];
        const fetch: FetchLike = async (url, init) => {
          const res = await globalThis.fetch(url, init);
          const body = typeof init.body === 'string' ? init.body : undefined;
          sent.push({
            method: init.method ?? 'GET',
            url: new URL(url),
            headers: new Headers(init.headers),
            body,
            reply: res.clone(),
          });
          return res;
        };
        const settings = { baseUrl: emu.url, token: emu.adminToken, userAgent: 'astra-token/0.0.0', timeoutMs: 5000, fetch };
        const api = await createApiClient(settings);
        const org = (await api.currentOrg()).id;
        await api.orgUsers();
        const roles = await api.listRoles();
        const ro = roles.find((r) => r.name === 'RO User')!.id;
        const created = await api.createToken({ roles: [ro], description: 'contract', tokenExpiry: '2099-01-01T00:00:00Z' });
        await api.listTokens();
        await api.deleteToken(created.clientId);
        const policy = { description: 'contract', resources: [`drn:astra:org:${org}`], actions: ['org-read'], effect: 'allow' as const };
        const role = await api.createRole({ name: 'Contract', policy });
        await api.getRole(role.id);
        await api.updateRole(role.id, { name: 'Contract 2', policy });
        await api.deleteRole(role.id);
        const [db] = await api.listDatabases();
        await api.getDatabase(db!.id);

        const pulsar = createStreamingClient({ ...settings, orgId: org, cluster: DEMO_CLUSTER });
        await pulsar.listTokens(DEMO_TENANT);
        const made = await pulsar.createToken(DEMO_TENANT, { exp: '30d' });
        await pulsar.createToken(DEMO_TENANT);
        await pulsar.getToken(DEMO_TENANT, made.tokenId);
        await pulsar.deleteToken(DEMO_TENANT, made.tokenId);

        const templates = [...new Set([...Object.keys(PUBLISHED_OPERATIONS), ...Object.keys(ALIASES)].map((k) => k.split(' ')[1]!))];
        const checked: string[] = [];
        for (const s of sent) {
          const template = templates.find((t) => new RegExp(`^${t.replace(/\{[^}]+\}/g, '[^/]+')}$`).test(s.url.pathname));
          expect(template, `${s.method} ${s.url.pathname} is no operation of the descriptions`).toBeDefined();
          const text = await s.reply.text();
          let body: unknown;
          try {
            body = text === '' ? undefined : JSON.parse(text);
          } catch {
            body = text;
          }
          const reply: Reply = { status: s.reply.status, headers: s.reply.headers, text, body };
          const key = `${s.method} ${template!}`;
          checked.push(`${key} ${reply.status}`);
          if (MISSING[shape].includes(key)) {
            checkMissingRoute(reply, key);
            continue;
          }
          const x: Exchange = {
            method: s.method,
            template: template!,
            path: s.url.pathname + s.url.search,
            token: s.headers.get('authorization')?.replace(/^Bearer /, ''),
            headers: Object.fromEntries(s.headers),
            body: s.body === undefined ? undefined : (JSON.parse(s.body) as unknown),
          };
          const op = operation(s.method, template!);
          checkRequest(x, op);
          checkResponse(x, reply, op);
          expect(s.headers.get('authorization')).toBe(`Bearer ${emu.adminToken}`);
          if (s.body !== undefined) expect(s.headers.get('content-type')).toBe('application/json');
        }
        expect(checked).toEqual(
          expect.arrayContaining(['POST /v3/streaming/tenants/{tenant}/tokens 201', 'DELETE /v2/organizations/roles/{roleID} 204']),
        );
        expect(checked.length).toBeGreaterThanOrEqual(18);
      },
      { apiShape: shape },
    );
  });

  it('records each departure from the descriptions with its reason', () => {
    expect(DEPARTURES).toHaveLength(5);
    expect(errorSchema.required).toEqual(['ID', 'message']);
    // The enum the description gives still holds every action the CLI knows by name that it lists.
    expect(listedActions).toContain('org-token-write');
    expect(listedActions).not.toContain('accesslist-read');
    // Each route's recorded error form cites the published operation it comes from.
    for (const [key, op] of Object.entries(PUBLISHED_OPERATIONS)) {
      expect(ERROR_BODIES[tableKey(...(key.split(' ') as [string, string]))]?.source, key).toContain(op.cite.operationId);
    }
    expect(listedActions).toHaveLength(43);
  });
});

type Run = (x: Exchange) => Promise<Reply>;

async function exerciseDevOps(emu: LoopbackEmulator, run: Run): Promise<void> {
  const { state } = emu;
  const org = state.defaultOrg.id;
  const forbidden = state.issueToken(org, ['Billing Admin']).token;
  const roles = (await run({ method: 'GET', template: '/v2/organizations/roles', path: '/v2/organizations/roles' })).body as Array<{
    id: string;
    name: string;
  }>;
  const roleId = (name: string) => roles.find((r) => r.name === name)!.id;
  await run({ method: 'GET', template: '/v2/organizations/roles', path: '/v2/organizations/roles', token: forbidden });
  await run({ method: 'GET', template: '/v2/currentOrg', path: '/v2/currentOrg' });
  await run({ method: 'GET', template: '/v2/currentOrg', path: '/v2/currentOrg', token: `AstraCS:${'x'.repeat(24)}:${'0'.repeat(64)}` });
  await run({ method: 'GET', template: '/v2/organizations/users', path: '/v2/organizations/users' });
  await run({ method: 'GET', template: '/v2/organizations/users', path: '/v2/organizations/users', token: forbidden });

  for (const base of ['/v2/tokens', '/v2/clientIdSecrets']) {
    await run({ method: 'GET', template: base, path: base });
    await run({ method: 'GET', template: base, path: base, token: forbidden });
    const created = await run({
      method: 'POST',
      template: base,
      path: base,
      body: { roles: [roleId('RO User')], orgId: org },
    });
    expect(created.status).toBe(200);
    await run({ method: 'POST', template: base, path: base, body: { description: 'no roles' }, invalidRequest: true });
    await run({ method: 'POST', template: base, path: base, body: { roles: [roleId('RO User')] }, token: forbidden });
    const { clientId } = created.body as { clientId: string };
    const one = `${base}/{clientId}`;
    await run({ method: 'DELETE', template: one, path: `${base}/${clientId}`, token: forbidden });
    const deleted = await run({ method: 'DELETE', template: one, path: `${base}/${clientId}` });
    await run({ method: 'DELETE', template: one, path: `${base}/${'Z'.repeat(24)}` });
    if (deleted.status === 200) expect(state.findToken(clientId)).toBeUndefined();
    else await run({ method: 'DELETE', template: '/v2/clientIdSecrets/{clientId}', path: `/v2/clientIdSecrets/${clientId}` });
  }

  const policy = { description: 'contract', resources: [`drn:astra:org:${org}`], actions: ['org-read'], effect: 'allow' };
  const rolesPath = '/v2/organizations/roles';
  const created = await run({ method: 'POST', template: rolesPath, path: rolesPath, body: { name: 'Contract', policy } });
  expect(created.status).toBe(201);
  const id = (created.body as { id: string }).id;
  await run({ method: 'POST', template: rolesPath, path: rolesPath, body: { name: 'Contract', policy } }); // 409
  await run({ method: 'POST', template: rolesPath, path: rolesPath, body: { name: 'Bad', policy: { ...policy, resources: ['db:*'] } } }); // 400
  await run({ method: 'POST', template: rolesPath, path: rolesPath, body: { name: 'X', policy }, token: forbidden });
  const one = `${rolesPath}/{roleID}`;
  const missing = '00000000-0000-4000-8000-000000000000';
  await run({ method: 'GET', template: one, path: `${rolesPath}/${id}` });
  await run({ method: 'GET', template: one, path: `${rolesPath}/${missing}` });
  await run({ method: 'GET', template: one, path: `${rolesPath}/${id}`, token: forbidden });
  await run({ method: 'PUT', template: one, path: `${rolesPath}/${id}`, body: { name: 'Contract 2', policy } });
  await run({ method: 'PUT', template: one, path: `${rolesPath}/${missing}`, body: { name: 'Y', policy } });
  await run({ method: 'PUT', template: one, path: `${rolesPath}/${roleId('RO User')}`, body: { name: 'RO User', policy } }); // 400
  await run({ method: 'PUT', template: one, path: `${rolesPath}/${id}`, body: { name: 'Z', policy }, token: forbidden });
  await run({ method: 'DELETE', template: one, path: `${rolesPath}/${id}`, token: forbidden });
  expect((await run({ method: 'DELETE', template: one, path: `${rolesPath}/${id}` })).status).toBe(204);
  await run({ method: 'DELETE', template: one, path: `${rolesPath}/${id}` }); // 404

  const dbs = '/v2/databases';
  for (const query of ['', '?include=all', '?include=nonterminated&provider=ALL&limit=100']) {
    await run({ method: 'GET', template: dbs, path: `${dbs}${query}` });
  }
  await run({ method: 'GET', template: dbs, path: dbs, token: forbidden });
  const bad = await run({ method: 'GET', template: dbs, path: `${dbs}?include=bogus`, invalidRequest: true });
  expect(bad.status).toBe(400);
  const list = (await run({ method: 'GET', template: dbs, path: `${dbs}?include=all` })).body as Array<{ id: string }>;
  expect(list.length).toBeGreaterThan(0);
  await run({ method: 'GET', template: dbs, path: `${dbs}?limit=1&starting_after=${list[0]!.id}&provider=GCP` });
  await run({ method: 'GET', template: `${dbs}/{databaseId}`, path: `${dbs}/${list[0]!.id}` });
  await run({ method: 'GET', template: `${dbs}/{databaseId}`, path: `${dbs}/${missing}` });
  await run({ method: 'GET', template: `${dbs}/{databaseId}`, path: `${dbs}/${list[0]!.id}`, token: forbidden });
}

async function exerciseStreaming(emu: LoopbackEmulator, run: Run): Promise<void> {
  const { state } = emu;
  const org = state.defaultOrg.id;
  const headers = { 'X-DataStax-Current-Org': org, 'X-DataStax-Pulsar-Cluster': DEMO_CLUSTER };
  const unknownToken = `AstraCS:${'y'.repeat(24)}:${'1'.repeat(64)}`;
  const list = '/v2/streaming/tenants/{tenant}/tokens';
  const v2 = `/v2/streaming/tenants/${DEMO_TENANT}/tokens`;
  const v3 = `/v3/streaming/tenants/${DEMO_TENANT}/tokens`;
  await run({ method: 'GET', template: list, path: v2, headers });
  await run({ method: 'GET', template: list, path: v2, headers, token: unknownToken });
  await run({ method: 'GET', template: list, path: '/v2/streaming/tenants/nope/tokens', headers });

  const v3Template = '/v3/streaming/tenants/{tenant}/tokens';
  for (const body of [{}, undefined, { type: 'admin', exp: '30d' }]) {
    expect((await run({ method: 'POST', template: v3Template, path: v3, headers, body })).status).toBe(201);
  }
  await run({ method: 'POST', template: v3Template, path: v3, headers, body: {}, token: unknownToken });
  await run({ method: 'POST', template: v3Template, path: '/v3/streaming/tenants/nope/tokens', headers, body: {} });
  const created = await run({ method: 'POST', template: list, path: v2, headers });
  expect(created.status).toBe(201);
  await run({ method: 'POST', template: list, path: v2, headers, token: unknownToken });

  const one = `${list}/{tokenID}`;
  const tokenId = state.findStreamingTenant(org, DEMO_TENANT)!.tokens.at(-1)!.tokenId;
  await run({ method: 'GET', template: one, path: `${v2}/${tokenId}`, headers });
  await run({ method: 'GET', template: one, path: `${v2}/no-such-token`, headers });
  await run({ method: 'GET', template: one, path: `${v2}/${tokenId}`, headers, token: unknownToken });
  await run({ method: 'DELETE', template: one, path: `${v2}/${tokenId}`, headers, token: unknownToken });
  expect((await run({ method: 'DELETE', template: one, path: `${v2}/${tokenId}`, headers })).status).toBe(200);
  await run({ method: 'DELETE', template: one, path: `${v2}/${tokenId}`, headers });
}
