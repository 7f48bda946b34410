// The one error hierarchy of the tool, and the one place that turns an error into an exit code and an
// `error.code` string of the contract (CONTRACT.md, "Exit codes").

export type ErrorCode =
  | 'INTERNAL'
  | 'BAD_RESPONSE'
  | 'USAGE'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'UNAVAILABLE'
  | 'PARTIAL'
  | 'POLICY'
  | 'INTERRUPTED';

export const EXIT_CODES: Readonly<Record<ErrorCode, number>> = {
  INTERNAL: 1,
  BAD_RESPONSE: 1,
  USAGE: 2,
  UNAUTHENTICATED: 3,
  FORBIDDEN: 4,
  NOT_FOUND: 5,
  CONFLICT: 6,
  UNAVAILABLE: 7,
  PARTIAL: 8,
  POLICY: 9,
  INTERRUPTED: 130,
};

export interface AppErrorOptions {
  /** HTTP status when the error came from the API. */
  status?: number;
  /** A second line telling the user what to do next. */
  hint?: string;
  cause?: unknown;
}

/** An expected failure: printed as one line (plus an optional hint), never with a stack trace. */
export class AppError extends Error {
  readonly status?: number;
  readonly hint?: string;
  constructor(
    readonly code: ErrorCode,
    message: string,
    opts: AppErrorOptions = {},
  ) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = new.target.name;
    this.status = opts.status;
    this.hint = opts.hint;
  }
  get exitCode(): number {
    return EXIT_CODES[this.code];
  }
}

export class UsageError extends AppError {
  constructor(message: string, opts?: AppErrorOptions) {
    super('USAGE', message, opts);
  }
}

/** An HTTP answer the API gave with a non-success status. `body` is the raw text, `detail` the message found in it. */
export class ApiError extends AppError {
  constructor(
    code: ErrorCode,
    message: string,
    readonly body: string,
    opts: AppErrorOptions & { status: number },
  ) {
    super(code, message, opts);
  }
}

export class AuthError extends AppError {
  constructor(message: string, opts?: AppErrorOptions) {
    super('UNAUTHENTICATED', message, opts);
  }
}

export class ForbiddenError extends AppError {
  constructor(message: string, opts?: AppErrorOptions) {
    super('FORBIDDEN', message, opts);
  }
}

export class NotFoundError extends AppError {
  constructor(message: string, opts?: AppErrorOptions) {
    super('NOT_FOUND', message, opts);
  }
}

export class ConflictError extends AppError {
  constructor(message: string, opts?: AppErrorOptions) {
    super('CONFLICT', message, opts);
  }
}

export class NetworkError extends AppError {
  constructor(message: string, opts?: AppErrorOptions) {
    super('UNAVAILABLE', message, opts);
  }
}

export class TimeoutError extends NetworkError {}

/** The API answered, but not in a shape we understand. Deliberately not an HTTP error. */
export class ResponseShapeError extends AppError {
  constructor(message: string, opts?: AppErrorOptions) {
    super('BAD_RESPONSE', message, opts);
  }
}

/** A bulk command did part of its work. The per-item report has already been printed. */
export class PartialError extends AppError {
  constructor(message: string, opts?: AppErrorOptions) {
    super('PARTIAL', message, opts);
  }
}

/** `token audit --fail-on`: a finding the policy forbids remains. The report has already been printed. */
export class PolicyError extends AppError {
  constructor(message: string, opts?: AppErrorOptions) {
    super('POLICY', message, opts);
  }
}

export class InterruptedError extends AppError {
  /** Set when a request that changes state was sent and its answer never came: it may or may not have taken effect. */
  outcomeUnknown = false;
  constructor(message = 'interrupted', opts?: AppErrorOptions) {
    super('INTERRUPTED', message, opts);
  }
}

/**
 * The command `token exec` was to run could not be started: 127 when it was not found, 126 when it could not be
 * executed, as shells answer (so a script cannot tell `token exec cmd` from `cmd` by this exit code).
 */
export class CommandStartError extends AppError {
  constructor(
    message: string,
    readonly notFound: boolean,
    opts?: AppErrorOptions,
  ) {
    super(notFound ? 'NOT_FOUND' : 'USAGE', message, opts);
  }
  override get exitCode(): number {
    return this.notFound ? 127 : 126;
  }
}

/** Builds the API error class for an HTTP status. */
export function errorForStatus(status: number, message: string, body: string): ApiError {
  const code: ErrorCode =
    status === 401
      ? 'UNAUTHENTICATED'
      : status === 403
        ? 'FORBIDDEN'
        : status === 404
          ? 'NOT_FOUND'
          : status === 409
            ? 'CONFLICT'
            : status === 429 || status >= 500
              ? 'UNAVAILABLE'
              : status >= 400 && status < 500
                ? 'USAGE'
                : 'BAD_RESPONSE';
  return new ApiError(code, message, body, { status });
}

export interface ErrorReport {
  exitCode: number;
  code: ErrorCode;
  message: string;
  status?: number;
  hint?: string;
  /** True when the error was not one we expected: the user is told about --debug. */
  unexpected: boolean;
}

/** The single mapping from anything thrown to what the user sees and the exit code. */
export function describeError(err: unknown): ErrorReport {
  if (err instanceof AppError) {
    return {
      exitCode: err.exitCode,
      code: err.code,
      message: err.message,
      status: err.status,
      hint: err.hint,
      unexpected: false,
    };
  }
  const message = err instanceof Error ? err.message : String(err);
  return {
    exitCode: EXIT_CODES.INTERNAL,
    code: 'INTERNAL',
    message: firstLine(message) || 'unexpected error',
    unexpected: true,
  };
}

function firstLine(s: string): string {
  return s.split('\n', 1)[0]!.trim();
}

/** Quoting user input or API text in a message: one-line, terminal-safe and shortened (the one sanitiser's). */
export { printable } from './terminal-text.js';
