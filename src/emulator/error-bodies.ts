/**
 * How each emulated route writes its errors, with the source of that choice. The emulator answers the same error
 * bodies in every API shape (the shapes differ in which routes exist, not in how a route fails): DataStax's published
 * descriptions (DevOps API 2.3.0, Astra Streaming 2.2.0; recorded in test/contract/published-api.ts) decide, unless a
 * documented answer says otherwise, which is then named here. The contract test checks the emulator against both.
 *
 * - `errors`: `{"errors":[{"ID":..., "message":...}]}` (the description's Errors object)
 * - `string`: a bare JSON string (`"unable to get role for organization"`)
 * - `text`: a text/plain body
 * - `reason`: the streaming service's `{"reason": ...}` (ResponseErr)
 */
export type ErrorForm = 'errors' | 'string' | 'text' | 'reason';

export interface RouteErrorBodies {
  /** The body of a 401 (no, malformed or unknown token). */
  unauthorized: ErrorForm;
  /** The body of a 403 (the token's roles lack the route's action) and of the route's own errors. */
  errors: ErrorForm;
  /** Where this comes from. */
  source: string;
}

const AUTH = '401: the authentication in front of every DevOps route (Unauthorized: Errors, where an operation declares it)';
const STREAMING_SOURCE =
  'Astra Streaming 2.2.0: 401 and 500 declare `errorResponse`, a go-swagger response wrapper whose `Body` is the wire ' +
  'body, ResponseErr `{"reason"}` (as the streaming docs show it); an unknown tenant or token is a 404 with no content';

const route = (errors: ErrorForm, source: string, unauthorized: ErrorForm = 'errors'): RouteErrorBodies => ({
  unauthorized,
  errors,
  source: unauthorized === 'errors' ? `${source}; ${AUTH}` : source,
});

/** Keyed by `METHOD path` as the routes declare them. Every authenticated route must have an entry. */
export const ERROR_BODIES: Readonly<Record<string, RouteErrorBodies>> = {
  'POST /v2/tokens': route('text', 'DevOps API 2.3.0 generateAppTokenForClient: 400, 403, 404, 500 text/plain'),
  'POST /v2/clientIdSecrets': route('text', 'DevOps API 2.3.0 generateTokenForClient: 400, 403, 404, 500 text/plain'),
  'GET /v2/clientIdSecrets': route('errors', 'DevOps API 2.3.0 getClientsForOrg: 400, 403, 500 Errors'),
  'GET /v2/tokens': route('errors', 'not in the description; the current docs: the same call as GET /v2/clientIdSecrets'),
  'DELETE /v2/clientIdSecrets/:clientId': route('errors', 'DevOps API 2.3.0 deleteTokenForClient: 400, 403, 500 Errors'),
  'DELETE /v2/tokens/:clientId': route(
    'errors',
    'not in the description; the current docs: the same call as DELETE /v2/clientIdSecrets/{id}',
  ),
  'GET /v2/organizations/roles': route(
    'errors',
    'DevOps API 2.3.0 getOrganizationRoles: 403, 404, 500 Forbidden/NotFound/ServerError (Errors)',
  ),
  'POST /v2/organizations/roles': route('string', 'DevOps API 2.3.0 addOrganizationRole: 400, 403, 404, 409, 500 a JSON string'),
  'GET /v2/organizations/roles/:roleId': route('string', 'DevOps API 2.3.0 getOrganizationRole: 400, 403, 404, 500 a JSON string'),
  'PUT /v2/organizations/roles/:roleId': route('string', 'DevOps API 2.3.0 updateRole: 400, 403, 404, 500 a JSON string'),
  'DELETE /v2/organizations/roles/:roleId': route(
    'string',
    'DevOps API 2.3.0 deleteOrganizationRole: 400, 404, 500 a JSON string (no 403 declared: the route answers it as its other errors)',
  ),
  'GET /v2/organizations/users': route('errors', 'DevOps API 2.3.0 getOrganizationUsers: 404, 500 Errors'),
  'GET /v2/currentOrg': route('errors', 'DevOps API 2.3.0 getCurrentOrganization: 400, 403, 404, 500 Errors'),
  'GET /v2/databases': route('errors', 'DevOps API 2.3.0 listDatabases: 400, 401, 5XX Errors'),
  'GET /v2/databases/:databaseId': route('errors', 'DevOps API 2.3.0 getDatabase: 400, 401, 404, 5XX Errors'),
  'GET /v2/streaming/tenants/:tenant/tokens': route('reason', `getPulsarTokensByTenant. ${STREAMING_SOURCE}`, 'reason'),
  'POST /v2/streaming/tenants/:tenant/tokens': route('reason', `CreateTenantTokenHandler; 409 no content. ${STREAMING_SOURCE}`, 'reason'),
  'GET /v2/streaming/tenants/:tenant/tokens/:tokenId': route('reason', `getPulsarTokenByID. ${STREAMING_SOURCE}`, 'reason'),
  'DELETE /v2/streaming/tenants/:tenant/tokens/:tokenId': route('reason', `deletePulsarTokenByID. ${STREAMING_SOURCE}`, 'reason'),
  'POST /v3/streaming/tenants/:tenant/tokens': route(
    'reason',
    'CreateTenantTokenHandlerV3: 401, 404, 409, 500 declare no content; the docs show 409 "Exceeded the token limit for ' +
      'this tenant" as {"reason"}, the form of the service\'s other routes, used here for every error',
    'reason',
  ),
};

/** The error bodies of `METHOD path`; throws for a route missing from the table (a new route must be added). */
export function errorBodiesOf(method: string, path: string): RouteErrorBodies {
  const found = ERROR_BODIES[`${method.toUpperCase()} ${path}`];
  if (!found) throw new Error(`emulator route ${method.toUpperCase()} ${path} has no entry in ERROR_BODIES`);
  return found;
}
