/**
 * The emulator's in-memory model: `EmulatorState` and the types of what it holds. Each concern lives in its own
 * module under `state/`; this file only gathers them for the routes' and tests' imports.
 */
export { EmulatorState, type StateOptions } from './state/emulator-state.js';
export { databaseRecord, type Database, type Datacenter } from './state/databases.js';
export { sha256Hex } from './state/ids.js';
export { ADMIN_ROLE_NAME, toWireRole, type Org, type Role, type RolePolicy, type User } from './state/orgs.js';
export type { Caller } from './state/permissions.js';
export type { EmulatorStateJSON } from './state/snapshot.js';
export { DEMO_CLUSTER, DEMO_TENANT, STREAMING_TOKEN_LIMIT, type StreamingTenant, type StreamingTokenRecord } from './state/streaming.js';
export type { IssuedToken, TokenRecord } from './state/tokens.js';
export type { Fault, RequestLogEntry } from './state/traffic.js';
export { ORG_ID_PLACEHOLDER } from './built-in-roles.js';
