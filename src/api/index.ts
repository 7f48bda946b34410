// Builds a DevOps API client from plain settings. No config, no commander, no printing.
import { DevOpsClient } from './client.js';
import type { RouteKnowledge } from './route-knowledge.js';
import { checkedProxyVariables } from './proxy-env.js';
import { Transport, type FetchLike } from './transport.js';

export interface ApiSettings {
  baseUrl: string;
  token: string;
  userAgent: string;
  timeoutMs: number;
  /** Injected in tests (msw intercepts global fetch); undici's fetch otherwise. */
  fetch?: FetchLike;
  debug?: (line: string) => void;
  signal?: AbortSignal;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  headers?: Record<string, string>;
  /** What the run's clients have learnt about the token routes (shared by every client of one invocation). */
  routes?: RouteKnowledge;
  /** Told before each wait between attempts (how long, why). */
  onWait?: (ms: number, why: string) => void;
}

/**
 * The transport every client shares: the injected fetch, or undici's, loaded when the first request goes through it
 * (a verb whose reads the bin sent at start-up may never need it).
 */
export function createTransport(settings: ApiSettings): Transport {
  // A malformed proxy variable is a configuration error (exit 2) before any request, not a failure of the first one.
  if (!settings.fetch) checkedProxyVariables();
  let undici: Promise<FetchLike> | undefined;
  const fetch: FetchLike =
    settings.fetch ??
    (async (url, init) => {
      undici ??= import('./http.js').then((m) => m.undiciRequestFetch());
      return (await undici)(url, init);
    });
  return new Transport({ ...settings, fetch });
}

export function createApiClient(settings: ApiSettings): Promise<DevOpsClient> {
  return Promise.resolve(new DevOpsClient(createTransport(settings), settings.routes));
}

export { DevOpsClient } from './client.js';
export { RouteKnowledge } from './route-knowledge.js';
export type { CreateTokenRequest, RoleRequest } from './client.js';
export type { CreatedToken, Database, OrgUsers, Role, RolePolicy, TokenInfo } from './schemas.js';
export type { FetchLike } from './transport.js';
