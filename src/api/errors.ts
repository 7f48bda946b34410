// What a request can fail with, as ky's errors: an HTTP answer with a non-success status, no answer at all (network,
// timeout), or an answer that is not in the API's shape. They carry what the API layer knows and nothing of exit
// codes: src/errors.ts classifies them for the CLI.

export interface RequestErrorOptions {
  /** A second line telling the user what to do next. */
  hint?: string;
  cause?: unknown;
}

/** Shared by the errors below: a name that says the class, and the hint. Not thrown itself. */
abstract class RequestFailure extends Error {
  readonly hint?: string;
  constructor(message: string, opts: RequestErrorOptions) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = new.target.name;
    this.hint = opts.hint;
  }
}

/** The API answered with a non-success status. `body` is the raw text, `detail` the message found in it. */
export class ApiError extends RequestFailure {
  readonly body: string;
  readonly detail: string;
  constructor(
    readonly status: number,
    message: string,
    opts: RequestErrorOptions & { body?: string; detail?: string } = {},
  ) {
    super(message, opts);
    this.body = opts.body ?? '';
    this.detail = opts.detail ?? '';
  }
}

/** No answer: the connection could not be made or broke off. */
export class NetworkError extends RequestFailure {
  constructor(message: string, opts: RequestErrorOptions = {}) {
    super(message, opts);
  }
}

/** No answer within the deadline. */
export class TimeoutError extends NetworkError {}

/** The API answered, but not in a shape we understand. Deliberately not an HTTP error. */
export class ResponseShapeError extends RequestFailure {
  constructor(message: string, opts: RequestErrorOptions = {}) {
    super(message, opts);
  }
}

/**
 * The request was stopped (Ctrl-C, the caller's signal) before its answer came. `outcomeUnknown` is set when a
 * request that changes state was sent and its answer never came: it may or may not have taken effect.
 */
export class RequestInterruptedError extends RequestFailure {
  outcomeUnknown = false;
  constructor(message = 'interrupted', opts: RequestErrorOptions = {}) {
    super(message, opts);
  }
}

/** A proxy setting of the environment (HTTPS_PROXY, ...) is unusable; no request was made. */
export class ProxyConfigError extends RequestFailure {
  constructor(message: string, opts: RequestErrorOptions = {}) {
    super(message, opts);
  }
}

/** Whether `err` is the API's answer with this HTTP status (for the API layer; commands ask src/errors.ts's intent predicates). */
export function isStatus(err: unknown, status: number): err is ApiError {
  return err instanceof ApiError && err.status === status;
}

/**
 * Whether `err` is a router's "no such route" (Go's http.NotFound: 404, text/plain `404 page not found`) rather than
 * an answer of the API about a thing (no such token): the two must never be taken for each other.
 */
export function isRouteNotFound(err: unknown): err is ApiError {
  return isStatus(err, 404) && err.body.trim() === '404 page not found';
}
