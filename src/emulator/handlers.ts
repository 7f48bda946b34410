/**
 * The emulator's msw request handlers. Tests use them in-process (setupServer); the loopback server in server.ts
 * serves the very same handlers through msw's getResponse. Paths answer on any origin.
 *
 * Extension point: an API area is a `RouteArea` in routes/<area>.ts; add it to AREAS.
 */
import type { HttpHandler } from 'msw';
import type { HandlerOptions, RouteArea, RouteContext } from './route-kit.js';
import { databaseRoutes } from './routes/databases.js';
import { orgRoutes } from './routes/org.js';
import { roleRoutes } from './routes/roles.js';
import { streamingRoutes } from './routes/streaming.js';
import { tokenRoutes } from './routes/tokens.js';
import type { EmulatorState } from './state/emulator-state.js';

export type { ApiShape, HandlerOptions, RouteArea } from './route-kit.js';
export { API_SHAPES } from './route-kit.js';

const AREAS: readonly RouteArea[] = [tokenRoutes, roleRoutes, orgRoutes, databaseRoutes, streamingRoutes];

export function createHandlers(state: EmulatorState, opts: HandlerOptions = {}): HttpHandler[] {
  const ctx: RouteContext = { state, options: opts, failures: { count: 0 } };
  return AREAS.flatMap((area) => area(ctx));
}
