/** The emulator's public surface: state, handlers and the loopback server. */
import './no-web-storage.js'; // first: before msw loads
export { EmulatorState, ADMIN_ROLE_NAME, sha256Hex, toWireRole } from './state.js';
export { applySeed, SeedError, type SeedSummary } from './state/seed.js';
export type {
  Caller,
  Database,
  EmulatorStateJSON,
  Fault,
  IssuedToken,
  Org,
  RequestLogEntry,
  Role,
  RolePolicy,
  StateOptions,
  TokenRecord,
  User,
} from './state.js';
export { createHandlers } from './handlers.js';
export type { ApiShape, HandlerOptions, RouteArea } from './handlers.js';
export { API_SHAPES } from './handlers.js';
export { startEmulatorServer } from './server.js';
export type { EmulatorServer, EmulatorServerOptions } from './server.js';
export { BUILT_IN_ROLES, ALL_ACTIONS, ORG_ID_PLACEHOLDER } from './built-in-roles.js';
