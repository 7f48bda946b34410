/**
 * What every emulator route shares: the request log, scripted faults, random failures, latency and authorization,
 * applied in that order around a plain resolver. Route files (one per API area) build their handlers with `route()`;
 * a new area (e.g. streaming) only needs a `RouteArea` function added to the list in handlers.ts.
 */
import { http, HttpResponse, type HttpHandler } from 'msw';
import type { EmulatorState } from './state/emulator-state.js';
import type { Caller } from './state/permissions.js';
import type { Fault } from './state/traffic.js';
import { errorBodiesOf, type ErrorForm, type RouteErrorBodies } from './error-bodies.js';

export type { ErrorForm } from './error-bodies.js';

import type { ApiShape } from './api-shapes.js';

export { API_SHAPES, type ApiShape } from './api-shapes.js';

export interface HandlerOptions {
  /** `docs` when absent. */
  apiShape?: ApiShape;
  /** Delay before every response, in milliseconds. */
  latencyMs?: number;
  /** Share (0..1) of requests answered with 503 or 429 (alternating) and `Retry-After: 1`. */
  failRate?: number;
  /** Uniform source in [0, 1) deciding which requests fail under `failRate`; Math.random by default. */
  random?: () => number;
}

export interface RouteContext {
  state: EmulatorState;
  options: HandlerOptions;
  /** Counts failRate failures so the status can alternate between 503 and 429. */
  failures: { count: number };
}

export type RouteArea = (ctx: RouteContext) => HttpHandler[];

export interface RouteRequest {
  request: Request;
  params: Record<string, string>;
  /** The authenticated caller; always set unless the route was declared with `auth: false`. */
  caller: Caller;
  /** An error answer in the route's own body form (error-bodies.ts). */
  fail: (status: number, message: string, id?: number) => Response;
}

type Method = 'get' | 'post' | 'put' | 'delete' | 'patch';

export interface RouteSpec {
  method: Method;
  /** Path without origin, e.g. `/v2/tokens/:clientId`; it answers on any origin. */
  path: string;
  /** The action the caller's roles must grant (403 otherwise); none needed when absent. */
  action?: string;
  /** Set false for routes that do their own authentication. */
  auth?: boolean;
  resolve: (req: RouteRequest) => Response | Promise<Response>;
}

/** The standard DevOps error body: `{"errors":[{"ID":..., "message":...}]}`. */
export function errorsResponse(status: number, message: string, id: number = status, headers?: Record<string, string>): Response {
  return HttpResponse.json({ errors: [{ ID: id, message }] }, { status, headers });
}

/** An error body in the given form. */
export function errorResponse(form: ErrorForm, status: number, message: string, id: number = status): Response {
  if (form === 'string') return bareStringResponse(status, message);
  if (form === 'text') return plainTextResponse(status, message);
  if (form === 'reason') return HttpResponse.json({ reason: message }, { status });
  return errorsResponse(status, message, id);
}

/** A text/plain answer: token-create errors in the published description, and a router's "404 page not found". */
export function plainTextResponse(status: number, text: string, headers?: Record<string, string>): Response {
  return new HttpResponse(text, { status, headers: { 'Content-Type': 'text/plain; charset=utf-8', ...headers } });
}

/**
 * A route the emulated API shape does not have, answered as a Go router answers one (before any authentication):
 * 404 `404 page not found`, or 405 when the path exists with other methods.
 */
export function missingRoute(ctx: RouteContext, method: Method, path: string, allowed?: string): HttpHandler {
  return route(ctx, {
    method,
    path,
    auth: false,
    resolve: () => (allowed ? plainTextResponse(405, 'Method Not Allowed', { Allow: allowed }) : routerNotFound()),
  });
}

/** What Go's router (http.NotFound) answers for a route it does not have: text/plain `404 page not found`. */
export function routerNotFound(): Response {
  return plainTextResponse(404, '404 page not found\n', { 'X-Content-Type-Options': 'nosniff' });
}

/** The bare JSON string error body the role endpoints use. */
export function bareStringResponse(status: number, message: string): Response {
  return HttpResponse.json(message, { status });
}

/** Parses a JSON body; undefined when it is missing or not JSON. */
export async function readJson(request: Request): Promise<unknown> {
  const text = await request.text();
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

export function route(ctx: RouteContext, spec: RouteSpec): HttpHandler {
  const bodies = spec.auth === false ? undefined : errorBodiesOf(spec.method, spec.path);
  return http[spec.method](`*${spec.path}`, async ({ request, params }) => {
    const path = new URL(request.url).pathname;
    const response = await answer(ctx, spec, bodies, request, params as Record<string, string>, path);
    ctx.state.recordRequest(request.method, path, response.type === 'error' ? 0 : response.status);
    return response;
  });
}

async function answer(
  ctx: RouteContext,
  spec: RouteSpec,
  bodies: RouteErrorBodies | undefined,
  request: Request,
  params: Record<string, string>,
  path: string,
): Promise<Response> {
  const { state, options } = ctx;
  const fault = state.takeFault(request.method, path);
  const random = options.random ?? Math.random;
  const failing = !fault && (options.failRate ?? 0) > 0 && random() < (options.failRate ?? 0);
  const wait = (options.latencyMs ?? 0) + (fault && !fault.afterEffect ? (fault.delayMs ?? 0) : 0);
  if (wait > 0) await sleep(wait, request.signal);

  if (fault && !fault.afterEffect) return faultResponse(fault);
  if (failing) {
    const status = ctx.failures.count++ % 2 === 0 ? 503 : 429;
    return errorsResponse(status, status === 503 ? 'service unavailable (emulated)' : 'too many requests (emulated)', status, {
      'Retry-After': '1',
    });
  }

  const fail = (status: number, message: string, id?: number) => errorResponse(bodies?.errors ?? 'errors', status, message, id);
  let caller: Caller | undefined;
  if (bodies) {
    const unauthorized = (message: string, id: number) => errorResponse(bodies.unauthorized, 401, message, id);
    const header = request.headers.get('authorization');
    if (!header) return unauthorized('missing Authorization header', 340018);
    if (!/^Bearer\s+\S/i.test(header)) return unauthorized('invalid token format', 340012);
    caller = state.authenticate(header);
    if (!caller) return unauthorized('The token is invalid, expired or revoked', 340018);
    if (spec.action && !state.can(caller.token, spec.action)) return fail(403, `role does not permit ${spec.action}`, 340019);
  }
  try {
    const real = await spec.resolve({ request, params, caller: caller as Caller, fail });
    if (!fault) return real;
    if (fault.delayMs) await sleep(fault.delayMs, request.signal);
    return faultResponse(fault);
  } catch (error) {
    return fail(500, `emulator error: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function faultResponse(fault: Fault): Response {
  if (fault.status === 0) return HttpResponse.error();
  const headers = new Headers({ 'Content-Type': fault.contentType ?? 'application/json' });
  if (fault.retryAfter !== undefined) headers.set('Retry-After', String(fault.retryAfter));
  const body = fault.body ?? JSON.stringify({ errors: [{ ID: fault.status, message: 'injected fault' }] });
  const empty = fault.status === 204 || fault.status === 304;
  return new HttpResponse(empty ? null : body, { status: fault.status, headers });
}

/** A delay that ends early when the client goes away, so a closing server never waits on it. */
function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
