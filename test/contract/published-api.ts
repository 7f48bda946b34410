/**
 * The project's own record of the Astra API as DataStax publishes it, for the operations the emulator serves: for
 * each one its method and path, the request headers it requires, its query parameters, the shape of its request
 * body, and per status the media type and body shape of the answer. Shapes are JSON Schema written here; each
 * operation names where it is published (API, version, operationId). Only facts of the interface are recorded
 * (names, types, required fields, enumerated values); where the publication contradicts itself it is recorded as
 * published, and the contract test (test/emulator/openapi-contract.test.ts) says what it does instead and why.
 *
 * Sources: "Astra DevOps API" 2.3.0 and "Astra Streaming DevOps API" 2.2.0, DataStax's OpenAPI descriptions.
 */

/** A JSON Schema (draft 7). References are absolute: `devops#/$defs/Name` or `streaming#/$defs/Name`. */
export type Schema = Readonly<Record<string, unknown>>;

export type ApiId = 'devops' | 'streaming';

export interface Citation {
  api: 'Astra DevOps API' | 'Astra Streaming DevOps API';
  version: '2.3.0' | '2.2.0';
  operationId: string;
}

/** What an operation declares for one status: no `media` means it declares no content at all. */
export interface Answer {
  media?: 'application/json' | 'text/plain' | '*/*';
  schema?: Schema;
}

export interface PublishedOperation {
  api: ApiId;
  cite: Citation;
  /** Request headers the operation requires (besides the bearer token every operation takes). */
  headers?: readonly string[];
  /** Query parameters, each with the schema of its value. */
  query?: Readonly<Record<string, Schema>>;
  /** Present when the operation takes a JSON request body: its schema. */
  body?: Schema;
  /** Keyed by status (`200`), status class (`5XX`) or `default`. */
  answers: Readonly<Record<string, Answer>>;
}

const devops = (name: string): Schema => ({ $ref: `devops#/$defs/${name}` });
const streaming = (name: string): Schema => ({ $ref: `streaming#/$defs/${name}` });
const str: Schema = { type: 'string' };
const int: Schema = { type: 'integer' };
const strings: Schema = { type: 'array', items: str };
const arrayOf = (items: Schema): Schema => ({ type: 'array', items });
const enumOf = (...values: string[]): Schema => ({ type: 'string', enum: values });

const DEVOPS_SCHEMAS: Record<string, Schema> = {
  // The error object of the DevOps API. As published, `required` names `id` while the property is spelled `ID`.
  Error: { type: 'object', required: ['id', 'message'], properties: { ID: int, message: str } },
  Errors: { type: 'object', required: ['errors'], properties: { errors: arrayOf(devops('Error')) } },
  ClientRole: { type: 'object', properties: { clientId: str, roles: strings } },
  ClientRoleList: { type: 'object', properties: { clients: arrayOf(devops('ClientRole')) } },
  GenerateTokenBody: { type: 'object', required: ['roles'], properties: { roles: strings, orgId: str } },
  GenerateTokenResponse: {
    type: 'object',
    required: ['clientId', 'secret', 'orgId', 'roles'],
    properties: { clientId: str, secret: str, orgId: str, roles: strings, token: str },
  },
  Organization: { type: 'object', required: ['id'], properties: { id: str } },
  UserResponse: {
    type: 'object',
    required: ['userID'],
    properties: { userID: str, email: str, status: str, roles: arrayOf(devops('Role')) },
  },
  OrganizationUsers: {
    type: 'object',
    required: ['orgID', 'orgName', 'users'],
    properties: { orgID: str, orgName: str, users: arrayOf(devops('UserResponse')) },
  },
  PolicyAction: enumOf(
    ...['all-keyspace-create', 'all-keyspace-describe', 'cql', 'graphql'].map((a) => `db-${a}`),
    ...['alter', 'authorize', 'create', 'describe', 'drop', 'grant', 'modify'].map((a) => `db-keyspace-${a}`),
    'db-rest',
    ...['alter', 'authorize', 'create', 'describe', 'drop', 'grant', 'modify', 'select'].map((a) => `db-table-${a}`),
    'org-audits-read',
    'org-billing-read',
    'org-billing-write',
    ...['addpeering', 'create', 'expand', 'managemigratorproxy', 'passwordreset', 'suspend', 'terminate', 'view'].map((a) => `org-db-${a}`),
    'org-external-auth-read',
    'org-external-auth-write',
    'org-notification-write',
    'org-read',
    'org-role-delete',
    'org-role-read',
    'org-role-write',
    'org-token-read',
    'org-token-write',
    'org-user-read',
    'org-user-write',
    'org-write',
  ),
  Policy: {
    type: 'object',
    required: ['description', 'actions', 'effect', 'resources'],
    properties: { description: str, resources: strings, actions: arrayOf(devops('PolicyAction')), effect: enumOf('allow') },
  },
  Role: {
    type: 'object',
    properties: {
      id: str,
      name: str,
      policy: devops('Policy'),
      last_update_datetime: { type: 'string', format: 'date-time' },
      last_update_userid: str,
    },
  },
  RoleRequest: { type: 'object', required: ['name', 'policy'], properties: { name: str, policy: devops('Policy') } },
  CloudProvider: enumOf('AWS', 'GCP', 'AZURE'),
  Tier: enumOf('developer', 'A5', 'A10', 'A20', 'A40', 'C10', 'C20', 'C40', 'D10', 'D20', 'D40', 'serverless', 'cloudnative'),
  StatusEnum: enumOf(
    ...['ACTIVE', 'PENDING', 'PREPARING', 'PREPARED', 'INITIALIZING', 'PARKED', 'PARKING', 'UNPARKING'],
    ...['TERMINATED', 'TERMINATING', 'RESIZING', 'ERROR', 'MAINTENANCE', 'SUSPENDED', 'UNKNOWN'],
  ),
  Storage: {
    type: 'object',
    required: ['nodeCount', 'replicationFactor', 'totalStorage'],
    properties: { nodeCount: int, replicationFactor: int, totalStorage: int, usedStorage: int },
  },
  Datacenter: {
    type: 'object',
    required: ['tier', 'cloudProvider', 'region', 'status'],
    properties: {
      id: str,
      name: str,
      tier: devops('Tier'),
      status: str,
      cloudProvider: devops('CloudProvider'),
      region: str,
      regionZone: enumOf('emea', 'apac', 'na', 'sa'),
      regionClassification: enumOf('standard', 'premium', 'premium_plus'),
      capacityUnits: int,
      ...Object.fromEntries(
        ['studio', 'grafana', 'cqlsh', 'graphql', 'dataEndpoint', 'secureBundle', 'secureBundleInternal'].map((u) => [`${u}Url`, str]),
      ),
      secureBundleMigrationProxyUrl: str,
      secureBundleMigrationProxyInternalUrl: str,
    },
  },
  DatabaseInfo: {
    type: 'object',
    properties: {
      name: str,
      keyspace: str,
      cloudProvider: devops('CloudProvider'),
      tier: devops('Tier'),
      capacityUnits: { type: 'integer', minimum: 1, maximum: 100 },
      region: str,
      datacenters: arrayOf(devops('Datacenter')),
      user: str,
      password: str,
      additionalKeyspaces: strings,
      dbType: enumOf('vector'),
    },
  },
  Database: {
    type: 'object',
    required: ['id', 'orgId', 'ownerId', 'info', 'status'],
    properties: {
      id: str,
      orgId: str,
      ownerId: str,
      info: devops('DatabaseInfo'),
      creationTime: str,
      terminationTime: str,
      status: devops('StatusEnum'),
      storage: devops('Storage'),
      availableActions: arrayOf(
        enumOf(
          ...['park', 'unpark', 'resize', 'resetPassword', 'addKeyspace', 'addDatacenters', 'terminateDatacenter'],
          ...['getCreds', 'terminate', 'removeKeyspace', 'addTable', 'removeMigrationProxy', 'launchMigrationProxy'],
          ...['migrateServerlessTenant', 'suspend', 'createServerlessMigrationProxy', 'removeServerlessMigrationProxy'],
          'hibernate',
        ),
      ),
      message: str,
      ...Object.fromEntries(['studio', 'grafana', 'cqlsh', 'graphql', 'dataEndpoint'].map((u) => [`${u}Url`, str])),
      dbType: enumOf('vector'),
    },
  },
};

const STREAMING_SCHEMAS: Record<string, Schema> = {
  /** The streaming service's error body. */
  ResponseErr: { type: 'object', properties: { reason: str } },
  /** As published, the 401 and 500 answers declare this wrapper (a `Body` holding ResponseErr). */
  errorResponse: { type: 'object', required: ['Body'], properties: { Body: streaming('ResponseErr') } },
  TenantToken: { type: 'object', properties: { iat: int, iss: str, sub: str, tokenid: str } },
  tokenResponse: { type: 'object', properties: { id: str, subject: str, token: str } },
  CreateTenantTokenV3Request: { type: 'object', properties: { exp: str, role: str, type: str } },
  CreateTenantTokenV3Response: { type: 'object', properties: { id: str, rolename: str, token: str } },
};

/** The JSON Schema documents the operations' schemas refer to, by id. */
export const SCHEMA_DOCUMENTS: Readonly<Record<ApiId, Schema>> = {
  devops: { $id: 'devops', $defs: DEVOPS_SCHEMAS },
  streaming: { $id: 'streaming', $defs: STREAMING_SCHEMAS },
};

// ---- DevOps API 2.3.0 ----------------------------------------------------------------------------------------------

const cite = (operationId: string): Citation => ({ api: 'Astra DevOps API', version: '2.3.0', operationId });
const json = (schema: Schema): Answer => ({ media: 'application/json', schema });
const text: Answer = { media: 'text/plain', schema: str };
const errors = json(devops('Errors'));
const jsonString = json(str);
const none: Answer = {};

/** Token create: the 200 declares `items` without `type: array`; its errors are plain text. */
const createToken = (operationId: string): PublishedOperation => ({
  api: 'devops',
  cite: cite(operationId),
  body: devops('GenerateTokenBody'),
  answers: { 200: json({ items: devops('GenerateTokenResponse') }), 400: text, 403: text, 404: text, 500: text },
});

const roleErrors = (...statuses: number[]) => Object.fromEntries(statuses.map((s) => [s, jsonString]));

const DEVOPS: Record<string, PublishedOperation> = {
  'POST /v2/tokens': createToken('generateAppTokenForClient'),
  'POST /v2/clientIdSecrets': createToken('generateTokenForClient'),
  'GET /v2/clientIdSecrets': {
    api: 'devops',
    cite: cite('getClientsForOrg'),
    answers: { 200: json({ items: devops('ClientRoleList') }), 400: errors, 403: errors, 500: errors },
  },
  'DELETE /v2/clientIdSecrets/{clientId}': {
    api: 'devops',
    cite: cite('deleteTokenForClient'),
    answers: { 200: none, 400: errors, 403: errors, 500: errors },
  },
  'GET /v2/organizations/roles': {
    api: 'devops',
    cite: cite('getOrganizationRoles'),
    answers: { 200: json(arrayOf(devops('Role'))), 403: errors, 404: errors, 500: errors },
  },
  'POST /v2/organizations/roles': {
    api: 'devops',
    cite: cite('addOrganizationRole'),
    body: devops('RoleRequest'),
    answers: { 201: json(devops('Role')), ...roleErrors(400, 403, 404, 409, 500) },
  },
  'GET /v2/organizations/roles/{roleID}': {
    api: 'devops',
    cite: cite('getOrganizationRole'),
    answers: { 200: json(devops('Role')), ...roleErrors(400, 403, 404, 500) },
  },
  'PUT /v2/organizations/roles/{roleID}': {
    api: 'devops',
    cite: cite('updateRole'),
    body: devops('RoleRequest'),
    answers: { 200: none, ...roleErrors(400, 403, 404, 500) },
  },
  'DELETE /v2/organizations/roles/{roleID}': {
    api: 'devops',
    cite: cite('deleteOrganizationRole'),
    answers: { 204: none, ...roleErrors(400, 404, 500) },
  },
  'GET /v2/organizations/users': {
    api: 'devops',
    cite: cite('getOrganizationUsers'),
    answers: { 200: json(devops('OrganizationUsers')), 404: errors, 500: errors },
  },
  'GET /v2/currentOrg': {
    api: 'devops',
    cite: cite('getCurrentOrganization'),
    answers: { 200: json(devops('Organization')), 400: errors, 403: errors, 404: errors, 500: errors },
  },
  'GET /v2/databases': {
    api: 'devops',
    cite: cite('listDatabases'),
    query: {
      include: enumOf(
        ...['nonterminated', 'all', 'active', 'pending', 'preparing', 'prepared', 'initializing', 'parked', 'parking'],
        ...['unparking', 'terminating', 'terminated', 'resizing', 'error', 'maintenance', 'hibernating', 'hibernated'],
        'resuming',
      ),
      provider: enumOf('ALL', 'GCP', 'AWS', 'Azure'),
      starting_after: str,
      limit: { type: 'integer', minimum: 1, maximum: 100 },
    },
    answers: { 200: json(arrayOf(devops('Database'))), 400: errors, 401: errors, '5XX': errors },
  },
  'GET /v2/databases/{databaseId}': {
    api: 'devops',
    cite: cite('getDatabase'),
    answers: { 200: json(devops('Database')), 400: errors, 401: errors, 404: errors, '5XX': errors },
  },
};

// ---- Astra Streaming DevOps API 2.2.0 ------------------------------------------------------------------------------

const STREAMING_HEADERS = ['Authorization', 'X-DataStax-Current-Org', 'X-DataStax-Pulsar-Cluster'] as const;
const streamingOp = (operationId: string, answers: Record<string, Answer>, body?: Schema): PublishedOperation => ({
  api: 'streaming',
  cite: { api: 'Astra Streaming DevOps API', version: '2.2.0', operationId },
  headers: STREAMING_HEADERS,
  ...(body ? { body } : {}),
  answers,
});
const anyMedia = (schema: Schema): Answer => ({ media: '*/*', schema });
const failure = anyMedia(streaming('errorResponse'));

const STREAMING: Record<string, PublishedOperation> = {
  'GET /v2/streaming/tenants/{tenant}/tokens': streamingOp('getPulsarTokensByTenant', {
    200: json(arrayOf(streaming('TenantToken'))),
    401: failure,
    404: none,
    500: failure,
  }),
  'POST /v2/streaming/tenants/{tenant}/tokens': streamingOp('CreateTenantTokenHandler', {
    201: anyMedia(streaming('tokenResponse')),
    401: failure,
    404: none,
    409: none,
    500: failure,
  }),
  'GET /v2/streaming/tenants/{tenant}/tokens/{tokenID}': streamingOp('getPulsarTokenByID', {
    200: none,
    401: failure,
    404: none,
    500: failure,
  }),
  'DELETE /v2/streaming/tenants/{tenant}/tokens/{tokenID}': streamingOp('deletePulsarTokenByID', {
    200: none,
    401: failure,
    404: none,
    500: failure,
  }),
  // The request body is optional (`required: false`).
  'POST /v3/streaming/tenants/{tenant}/tokens': streamingOp(
    'CreateTenantTokenHandlerV3',
    { 201: json(streaming('CreateTenantTokenV3Response')), 401: none, 404: none, 409: none, 500: none },
    streaming('CreateTenantTokenV3Request'),
  ),
};

/** Every published operation the emulator serves, keyed by `METHOD path` as the publication writes the path. */
export const PUBLISHED_OPERATIONS: Readonly<Record<string, PublishedOperation>> = { ...DEVOPS, ...STREAMING };
