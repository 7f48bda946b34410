// Builds a DevOps API client from plain settings. No config, no commander, no printing.
import { DevOpsClient } from './client.js';
import { createTransport, type ApiSettings } from './create-transport.js';

export { createTransport, type ApiSettings } from './create-transport.js';

export async function createApiClient(settings: ApiSettings): Promise<DevOpsClient> {
  return new DevOpsClient(await createTransport(settings), settings.routes);
}

export { DevOpsClient } from './client.js';
export { RouteKnowledge } from './route-knowledge.js';
export type { CreateTokenRequest, RoleRequest } from './client.js';
export type { CreatedToken, Database, OrgUsers, Role, RolePolicy, TokenInfo } from './schemas.js';
export type { FetchLike } from './transport.js';
