// The CLI's own errors, and the one place that turns anything thrown (these, or the API layer's errors of
// src/api/errors.ts) into an exit code and an `error.code` string (docs/contract.md, "Exit codes"). Commands ask
// what an error means through the intent predicates at the end (isNotFound, isMissingPermission, ...), never by
// comparing HTTP statuses themselves.
import { ApiError, NetworkError, ProxyConfigError, RequestInterruptedError, ResponseShapeError } from './api/errors.js';

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

/** What each code means to a user: `help exit-codes` and the reference are built from this and EXIT_CODES. */
export const ERROR_MEANINGS: Readonly<Record<ErrorCode, string>> = {
  INTERNAL: 'unexpected failure (run with --debug for details)',
  BAD_RESPONSE: 'an API answer that does not have the shape of the API',
  USAGE: 'usage: bad flags or arguments, invalid input, a needed confirmation not given',
  UNAUTHENTICATED: 'no credential, or the API rejected it (401)',
  FORBIDDEN: 'the credential lacks a permission (403)',
  NOT_FOUND: 'not found: token, role, profile (or 404)',
  CONFLICT: 'conflict (409), e.g. a role name that exists',
  UNAVAILABLE: 'network failure, timeout, 429 or 5xx after retries',
  PARTIAL: 'partial: a bulk command did some of its work and not all',
  POLICY: 'policy: token audit found what --fail-on forbids (the report is still printed)',
  INTERRUPTED: 'interrupted (Ctrl-C)',
};

export interface AppErrorOptions {
  /** HTTP status of the API answer behind the error, when there was one (reported in `--json` errors). */
  status?: number;
  /** A second line telling the user what to do next. */
  hint?: string;
  cause?: unknown;
}

/** An expected failure of the CLI's own: printed as one line (plus an optional hint), never with a stack trace. */
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
  /** Always false here: only an interrupted request (src/api/errors.ts) can leave an outcome unknown. */
  readonly outcomeUnknown = false;
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

/** The contract's code for an HTTP status the API answered with. */
function codeForStatus(status: number): ErrorCode {
  if (status === 401) return 'UNAUTHENTICATED';
  if (status === 403) return 'FORBIDDEN';
  if (status === 404) return 'NOT_FOUND';
  if (status === 409) return 'CONFLICT';
  if (status === 429 || status >= 500) return 'UNAVAILABLE';
  if (status >= 400 && status < 500) return 'USAGE';
  // A redirect (never followed) or another status that is no answer of the API's.
  return 'BAD_RESPONSE';
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
  const known = (code: ErrorCode, e: Error & { hint?: string }, status?: number, exitCode = EXIT_CODES[code]): ErrorReport => ({
    exitCode,
    code,
    message: e.message,
    status,
    hint: e.hint,
    unexpected: false,
  });
  if (err instanceof AppError) return known(err.code, err, err.status, err.exitCode);
  if (err instanceof ApiError) return known(codeForStatus(err.status), err, err.status);
  if (err instanceof NetworkError) return known('UNAVAILABLE', err);
  if (err instanceof ResponseShapeError) return known('BAD_RESPONSE', err);
  if (err instanceof RequestInterruptedError) return known('INTERRUPTED', err);
  if (err instanceof ProxyConfigError) return known('USAGE', err);
  const message = err instanceof Error ? err.message : String(err);
  return {
    exitCode: EXIT_CODES.INTERNAL,
    code: 'INTERNAL',
    message: firstLine(message) || 'unexpected error',
    unexpected: true,
  };
}

/** Whether `err` is, for the contract, an error with this code (an API answer counts by its status). */
function hasCode(err: unknown, code: ErrorCode): boolean {
  return describeError(err).code === code;
}

// Intent predicates: what a failure means for the command that meets it. Each asks the classifier above, so an
// answer of the API and an error of the CLI's own with the same meaning are one case.

/** The credential was refused: the API answered 401 (or there was none to send). */
export function isRejectedCredential(err: unknown): boolean {
  return hasCode(err, 'UNAUTHENTICATED');
}

/** The credential is valid but may not do this: the API answered 403. */
export function isMissingPermission(err: unknown): boolean {
  return hasCode(err, 'FORBIDDEN');
}

/** What was asked for does not exist: the API answered 404 (or the CLI found no such thing). */
export function isNotFound(err: unknown): boolean {
  return hasCode(err, 'NOT_FOUND');
}

/** The request clashes with the current state, e.g. a name already taken: the API answered 409. */
export function isConflict(err: unknown): boolean {
  return hasCode(err, 'CONFLICT');
}

/** Ctrl-C (or another stop) ended the work: a request cut short or a prompt left unanswered. */
export function isInterrupted(err: unknown): err is InterruptedError | RequestInterruptedError {
  return err instanceof InterruptedError || err instanceof RequestInterruptedError;
}

/**
 * The API answered the request with an error status: it was received and refused, so it had no effect (as opposed to
 * no answer at all, or an answer that could not be read).
 */
export function isErrorAnswer(err: unknown): boolean {
  return err instanceof ApiError && err.status >= 400;
}

/** The message the API's error body carried, or '' (none, or not an answer of the API's). */
export function answerDetail(err: unknown): string {
  return err instanceof ApiError ? err.detail : '';
}

/** The HTTP status behind an error, when the API answered (reported in `--json` errors and kept by wrappers). */
export function answerStatus(err: unknown): number | undefined {
  return describeError(err).status;
}

/** The same error with a hint (what to do next) in place of the one it had; anything else is returned as it is. */
export function withHint<E>(err: E, hint: string): E {
  if (!(err instanceof Error)) return err;
  const copy = Object.create(Object.getPrototypeOf(err) as object, Object.getOwnPropertyDescriptors(err)) as E;
  Object.defineProperty(copy, 'hint', { value: hint, enumerable: true, configurable: true, writable: false });
  return copy;
}

function firstLine(s: string): string {
  return s.split('\n', 1)[0]!.trim();
}
