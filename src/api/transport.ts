// The HTTP seam: a fetch-shaped function plus retries, deadlines, a body size cap, error decoding and a redacted
// debug trace. Retries live here rather than in an undici RetryAgent so that they behave the same whichever fetch is
// injected (undici's in production, msw-intercepted global fetch in tests) and every attempt shows in --debug.
import { ApiError, NetworkError, RequestInterruptedError, ResponseShapeError, TimeoutError } from './errors.js';
import { isLoopback } from '../domain/loopback.js';
import { redact } from '../text/redact.js';
import { formatWait } from '../domain/time.js';
import { EARLY_MAX_BODY_BYTES, EarlyTimeout, EarlyTooLarge, takeEarlyRead, type EarlyRead } from '../startup/early.js';

/** What the transport reads of an answer: the part a fetch Response and the undici adapter both provide. */
export interface BodyReader {
  read(): Promise<{ done: true; value?: undefined } | { done: false; value: Uint8Array }>;
  cancel(): Promise<void>;
}
export interface HttpAnswer {
  status: number;
  headers: { get(name: string): string | null };
  body: { getReader(): BodyReader; cancel(): Promise<void> } | null;
}
export type FetchLike = (url: string, init: RequestInit) => Promise<HttpAnswer>;

export interface TransportOptions {
  baseUrl: string;
  /** Sent as `Authorization: Bearer <token>`. */
  token: string;
  fetch: FetchLike;
  userAgent: string;
  /**
   * Per-attempt deadline, covering the whole response body. A request's whole life (every attempt and every wait
   * between them) is bounded by LIFETIME_FACTOR times this.
   */
  timeoutMs: number;
  /** Total attempts for a retryable request (first try included). */
  maxAttempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  maxBodyBytes?: number;
  headers?: Record<string, string>;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** One line per attempt, already redacted. */
  debug?: (line: string) => void;
  /**
   * Ctrl-C: no new attempt starts and every wait is cut; a request that changes state and is already on the wire
   * gets INTERRUPT_GRACE_MS to answer (so its outcome is known), a read is cut at once.
   */
  signal?: AbortSignal;
  /** Told before each wait between attempts, with how long and why (the CLI says it on a terminal). */
  onWait?: (ms: number, why: string) => void;
  now?: () => number;
}

export interface HttpResult {
  status: number;
  headers: HttpAnswer['headers'];
  text: string;
}

export interface RequestOptions {
  body?: unknown;
  headers?: Record<string, string>;
  /** Statuses that are success for this call besides 2xx (none by default). */
  accept?: number[];
  /**
   * Called before a retry whose earlier attempt was sent and lost its answer (connection reset, 502, 504): what the
   * retry then meets may be that attempt's effect (a DELETE retried into "no such token").
   */
  onAnswerLost?: () => void;
  /** Stops this request as Ctrl-C does, besides the transport's own signal. */
  signal?: AbortSignal;
  /** The same read, sent by the bin at start-up (src/startup/early.ts): its answer stands for the first attempt. */
  early?: EarlyRead;
}

const RETRYABLE_STATUS = new Set([429, 500, 502, 503, 504]);
const IDEMPOTENT = new Set(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS']);
// Requests that change nothing: after Ctrl-C their answer is of no use, so they are cut at once.
const IDEMPOTENT_READS = new Set(['GET', 'HEAD', 'OPTIONS']);
// Connection errors that prove the request never reached the server: safe to retry even for POST.
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN']);
const RETRYABLE_NETWORK_CODES = new Set([
  ...NOT_SENT_CODES,
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_CLOSED',
]);

export const DEFAULT_MAX_BODY_BYTES = EARLY_MAX_BODY_BYTES;
/** A request's whole life, attempts and waits together, is bounded by this many times the per-attempt timeout. */
export const LIFETIME_FACTOR = 3;
/** After Ctrl-C, how long a request that changes state and was already sent may still take to answer. */
export const INTERRUPT_GRACE_MS = 2000;
// Answers after which a request that changes state may or may not have taken effect.
const OUTCOME_UNKNOWN_STATUS = new Set([502, 504]);

/** A read an early answer can stand for: no body, headers or accepted statuses of its own. */
function isPlainRead(opts: RequestOptions): boolean {
  return (
    opts.body === undefined &&
    opts.headers === undefined &&
    opts.accept === undefined &&
    opts.signal === undefined &&
    opts.early === undefined
  );
}

export function defaultSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new RequestInterruptedError());
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(new RequestInterruptedError());
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export class Transport {
  readonly baseUrl: string;
  private readonly o: Required<Pick<TransportOptions, 'maxAttempts' | 'baseDelayMs' | 'maxDelayMs' | 'maxBodyBytes'>> & TransportOptions;

  constructor(options: TransportOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.o = {
      maxAttempts: 4,
      baseDelayMs: 300,
      maxDelayMs: 5000,
      maxBodyBytes: DEFAULT_MAX_BODY_BYTES,
      ...options,
    };
  }

  /** The bin's start-up read of `path`, when it was sent exactly as this transport would send it. */
  private takeEarly(path: string): EarlyRead | undefined {
    if (this.o.headers !== undefined || this.o.maxBodyBytes !== EARLY_MAX_BODY_BYTES) return undefined;
    return takeEarlyRead(this.baseUrl, this.o.token, this.o.timeoutMs, path);
  }

  /** Performs the request; returns the answer for 2xx (and `accept`ed statuses), throws an ApiError, NetworkError, TimeoutError, ResponseShapeError or RequestInterruptedError otherwise. */
  async request(method: string, path: string, opts: RequestOptions = {}): Promise<HttpResult> {
    const plainRead = method === 'GET' && isPlainRead(opts);
    const early = opts.early ?? (plainRead ? this.takeEarly(path) : undefined);
    const url = this.baseUrl + path;
    // A signal of this request's own, derived from the shared ones: its listeners (the in-flight fetch, a retry wait)
    // go on it, not on the command's signal, which a bulk run's many requests at once would otherwise pile up past
    // Node's limit of 10 (MaxListenersExceededWarning). AbortSignal.any adds no listener to its sources.
    const shared = [this.o.signal, opts.signal].filter((s): s is AbortSignal => s !== undefined);
    const stop = shared.length ? AbortSignal.any(shared) : undefined;
    const idempotent = IDEMPOTENT.has(method);
    const sleep = this.o.sleep ?? defaultSleep;
    const now = this.o.now ?? Date.now;
    const headers: Record<string, string> = {
      Accept: 'application/json',
      'User-Agent': this.o.userAgent,
      Authorization: `Bearer ${this.o.token}`,
      ...this.o.headers,
      ...opts.headers,
    };
    let body: string | undefined;
    if (opts.body !== undefined) {
      body = JSON.stringify(opts.body);
      headers['Content-Type'] = 'application/json';
    }

    // The whole life of this request: real time passed, or the waits asked for when the clock is a test's.
    const begun = now();
    const budgetMs = LIFETIME_FACTOR * this.o.timeoutMs;
    let waited = 0;
    const leftMs = () => budgetMs - Math.max(now() - begun, waited);
    const where = `${method} ${path}`;
    // Whether the request may have taken effect without our knowing (a state-changing call left unanswered).
    let unknown = false;
    let sent = false;
    const interrupted = () => {
      if (!sent) return new RequestInterruptedError(`interrupted before ${where} was sent`);
      const hint = unknown && !idempotent ? { hint: `the ${method} may have taken effect; check before running it again` } : undefined;
      return markUnknown(new RequestInterruptedError(`interrupted during ${where}`, hint), unknown);
    };
    const pause = async (ms: number, why: string): Promise<void> => {
      this.o.onWait?.(ms, why);
      waited += ms;
      try {
        await sleep(ms, stop);
      } catch (err) {
        if (err instanceof RequestInterruptedError) throw interrupted();
        throw err;
      }
      if (stop?.aborted) throw interrupted();
    };

    for (let attempt = 1; ; attempt++) {
      if (stop?.aborted) throw interrupted();
      const started = now();
      sent = true;
      const fromEarly = attempt === 1 && early !== undefined;
      const how = fromEarly ? ` (sent at start-up, ${Math.round(early.sentAt)}ms after the process started)` : '';
      this.trace(`> ${method} ${url}${attempt > 1 ? ` (attempt ${attempt})` : how}`);
      let result: HttpResult;
      try {
        result = fromEarly
          ? await this.takeAnswer(early, method, url, stop)
          : await this.once(method, url, headers, body, Math.min(this.o.timeoutMs, Math.max(1, leftMs())), stop);
      } catch (err) {
        const elapsed = now() - started;
        if (err instanceof RequestInterruptedError || err instanceof TimeoutError || err instanceof ResponseShapeError) {
          this.trace(`< ${method} ${url} failed after ${elapsed}ms: ${err.message}`);
          throw err;
        }
        const code = networkCode(err);
        const retryable = code !== undefined && RETRYABLE_NETWORK_CODES.has(code) && (idempotent || NOT_SENT_CODES.has(code));
        this.trace(`< ${method} ${url} network error ${code ?? ''} after ${elapsed}ms`);
        unknown = code === undefined || !NOT_SENT_CODES.has(code);
        // Nothing listening on this machine (an emulator not started) will not change in a few seconds: no retry.
        const target = new URL(url);
        if (code === 'ECONNREFUSED' && isLoopback(target.hostname)) {
          // The emulator listens on 127.0.0.1 unless told otherwise: any other loopback host (::1, localhost) is named.
          const host = target.hostname.replace(/^\[(.*)\]$/, '$1');
          const port = target.port || (target.protocol === 'https:' ? '443' : '80');
          throw new NetworkError(`nothing is listening at ${target.host} (connection refused)`, {
            cause: err,
            // With its state file the restarted emulator has the tokens a saved profile holds; without, they are gone.
            hint:
              `start the emulator there with: astra-token emulator${host === '127.0.0.1' ? '' : ` --host ${host}`} --port ${port} ` +
              '--state <file> (the file its last run saved, so its tokens come back)',
          });
        }
        const delay = this.backoff(attempt);
        if (retryable && attempt < this.o.maxAttempts && delay < leftMs()) {
          if (unknown) opts.onAnswerLost?.();
          await pause(delay, `${where} failed (${code})`);
          continue;
        }
        const host = new URL(url).host;
        const gaveUp = attempt > 1 ? `gave up after ${attempt} attempts` : undefined;
        if (err instanceof AnswerCutOff) {
          // The server was reached and started answering: "cannot reach" would send the user to check the wrong thing.
          throw new NetworkError(
            `the connection to ${host} broke off in the middle of the answer to ${method} ${path}: ${describeNetworkError(err.cause)}`,
            {
              cause: err,
              hint: idempotent ? gaveUp : `the ${method} may have taken effect before the answer was lost; check before running it again`,
            },
          );
        }
        throw new NetworkError(`cannot reach ${host}: ${describeNetworkError(err)}`, { cause: err, hint: gaveUp });
      }
      // An early read's time counts from when it left.
      const elapsed = fromEarly ? Math.round(performance.now() - early.sentAt) : now() - started;
      this.trace(`< ${result.status} ${method} ${url} ${elapsed}ms ${result.text.length}B`);

      const ok = (result.status >= 200 && result.status < 300) || opts.accept?.includes(result.status);
      if (ok) return result;

      unknown = OUTCOME_UNKNOWN_STATUS.has(result.status);
      const retryableStatus = RETRYABLE_STATUS.has(result.status);
      const wait = retryableStatus ? retryAfterMs(result.headers.get('retry-after'), now()) : undefined;
      if (retryableStatus && idempotent && attempt < this.o.maxAttempts) {
        // An answer that came after Ctrl-C is the last one: no retry starts.
        if (stop?.aborted) throw interrupted();
        const left = leftMs();
        if (wait !== undefined && wait >= left)
          throw this.httpError(method, path, result, attempt, { wait, left: Math.max(0, left), budget: budgetMs });
        const delay = wait ?? this.backoff(attempt);
        // A wait must leave time for the attempt after it.
        if (delay < left) {
          if (unknown) opts.onAnswerLost?.();
          await pause(
            delay,
            wait !== undefined
              ? `the API answered HTTP ${result.status} to ${where} and asked to wait (Retry-After)`
              : `the API answered HTTP ${result.status} to ${where}`,
          );
          continue;
        }
      }
      throw this.httpError(method, path, result, attempt, wait === undefined ? undefined : { wait });
    }
  }

  private async once(
    method: string,
    url: string,
    headers: Record<string, string>,
    body: string | undefined,
    timeoutMs: number,
    user: AbortSignal | undefined,
  ): Promise<HttpResult> {
    const deadline = AbortSignal.timeout(timeoutMs);
    const cancel = new AbortController();
    // Ctrl-C cuts a read at once; a request that changes state gets a short grace to answer, so its outcome is known.
    let grace: NodeJS.Timeout | undefined;
    const onInterrupt = () => {
      if (IDEMPOTENT_READS.has(method)) cancel.abort(new RequestInterruptedError());
      else grace = setTimeout(() => cancel.abort(new RequestInterruptedError()), INTERRUPT_GRACE_MS);
    };
    if (user?.aborted) onInterrupt();
    else user?.addEventListener('abort', onInterrupt, { once: true });
    const signal = AbortSignal.any([deadline, cancel.signal]);
    let answering = false;
    try {
      // Redirects are never followed: the Authorization header must not travel to another origin.
      const response = await this.o.fetch(url, { method, headers, body, signal, redirect: 'manual' });
      answering = true;
      const text = await readBody(response, this.o.maxBodyBytes, method, url, signal);
      return { status: response.status, headers: response.headers, text };
    } catch (err) {
      if (cancel.signal.aborted) {
        const where = `${method} ${new URL(url).pathname}`;
        throw markUnknown(
          new RequestInterruptedError(
            `interrupted during ${where}`,
            IDEMPOTENT.has(method) ? undefined : { hint: `the ${method} may have taken effect; check before running it again` },
          ),
          !IDEMPOTENT_READS.has(method),
        );
      }
      if (deadline.aborted) throw timedOut(method, url, timeoutMs);
      if (answering && !(err instanceof ResponseShapeError)) throw new AnswerCutOff(err);
      throw err;
    } finally {
      clearTimeout(grace);
      user?.removeEventListener('abort', onInterrupt);
    }
  }

  /** The answer of an early read, as once() would have read it: cut at once by Ctrl-C or the verb's end. */
  private async takeAnswer(early: EarlyRead, method: string, url: string, stop: AbortSignal | undefined): Promise<HttpResult> {
    const onStop = () => early.abort();
    if (stop?.aborted) onStop();
    else stop?.addEventListener('abort', onStop, { once: true });
    try {
      return await early.answer;
    } catch (err) {
      if (stop?.aborted) throw new RequestInterruptedError(`interrupted during ${method} ${new URL(url).pathname}`);
      if (err instanceof EarlyTimeout) throw timedOut(method, url, this.o.timeoutMs);
      if (err instanceof EarlyTooLarge) throw tooLarge(method, url, this.o.maxBodyBytes);
      throw err;
    } finally {
      stop?.removeEventListener('abort', onStop);
    }
  }

  private backoff(attempt: number): number {
    return Math.min(this.o.maxDelayMs, this.o.baseDelayMs * 2 ** (attempt - 1));
  }

  private httpError(
    method: string,
    path: string,
    result: HttpResult,
    attempts: number,
    retryAfter?: { wait: number; left?: number; budget?: number },
  ): ApiError {
    const detail = errorDetail(result.text, result.headers.get('content-type'));
    const where = `${method} ${path}`;
    const answer = { body: result.text, detail };
    if (result.status >= 300 && result.status < 400) {
      const location = result.headers.get('location');
      return new ApiError(
        result.status,
        `${where} answered with a redirect (HTTP ${result.status}${location ? ` to ${redact(location)}` : ''}); not followed, so the token stays with the API host`,
        {
          ...answer,
          hint: 'check the API URL (--api-url, --env, ASTRA_API_URL or the profile); a proxy or a moved endpoint may be in the way',
        },
      );
    }
    const base = detail ? `${detail} (HTTP ${result.status} from ${where})` : `HTTP ${result.status} from ${where}`;
    const retried = attempts > 1 && RETRYABLE_STATUS.has(result.status) ? `; gave up after ${attempts} attempts` : '';
    let hint: string | undefined;
    if (retryAfter !== undefined && retryAfter.wait > 0) {
      const beyond =
        retryAfter.left !== undefined && retryAfter.budget !== undefined
          ? `; only ${formatWait(retryAfter.left)} was left of this request's ${formatWait(retryAfter.budget)} limit (3x --timeout), so it was not waited for`
          : '';
      hint = `the API asked to wait ${formatWait(retryAfter.wait)} before retrying${beyond}`;
    }
    return new ApiError(result.status, redact(base) + retried, { ...answer, hint });
  }

  private trace(line: string): void {
    this.o.debug?.(redact(line));
  }
}

/** The status and headers arrived, then the body failed (connection reset, truncated chunking). */
class AnswerCutOff extends Error {
  constructor(cause: unknown) {
    super('the answer was cut off', { cause });
  }
}

async function readBody(response: HttpAnswer, max: number, method: string, url: string, signal: AbortSignal): Promise<string> {
  // Cancelling is never awaited: a body that was tee'd elsewhere settles its cancel only when every branch has.
  const declared = Number(response.headers.get('content-length') ?? NaN);
  if (Number.isFinite(declared) && declared > max) {
    response.body?.cancel().catch(() => undefined);
    throw tooLarge(method, url, max);
  }
  if (!response.body) return '';
  const reader = response.body.getReader();
  // The deadline and Ctrl-C stop the body too, whether or not the fetch in use ties its stream to the signal.
  let onAbort!: () => void;
  const aborted = new Promise<never>((_, reject) => {
    // The reason is the deadline's TimeoutError or an RequestInterruptedError: the signal is aborted with nothing else.
    onAbort = () => reject(signal.reason as Error);
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
  aborted.catch(() => undefined);
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await Promise.race([reader.read(), aborted]);
      if (done) break;
      size += value.byteLength;
      if (size > max) throw tooLarge(method, url, max);
      chunks.push(value);
    }
  } catch (err) {
    reader.cancel().catch(() => undefined);
    throw err;
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
  return new TextDecoder('utf-8', { fatal: false }).decode(Buffer.concat(chunks));
}

function timedOut(method: string, url: string, timeoutMs: number): TimeoutError {
  return new TimeoutError(`${method} ${new URL(url).pathname} timed out after ${timeoutMs / 1000}s`, {
    hint: 'the API did not answer in time; retry later or raise --timeout',
  });
}

function tooLarge(method: string, url: string, max: number): ResponseShapeError {
  return new ResponseShapeError(`${method} ${new URL(url).pathname} sent a response larger than ${formatBytes(max)}; refused`, {
    hint: BAD_ANSWER_HINT,
  });
}

/** What to do about an answer that is not the API's: it usually comes from something else at that URL. */
export const BAD_ANSWER_HINT =
  'check the API URL in use and any proxy in between (--debug shows the exchange); if both are right, report it as a bug';

/** Retry-After in seconds or as an HTTP date; undefined when absent or unreadable. */
export function retryAfterMs(value: string | null, now: number): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  // An HTTP date names its day and month; anything else (`-5`, `soon`) is unreadable.
  if (!/^[A-Za-z]{3,9},? /.test(trimmed)) return undefined;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/**
 * One clear message from whichever error body form arrives: `{"errors":[{"ID","message"}]}`, a bare JSON string,
 * `{"message"}`/`{"reason"}`, plain text, an HTML page, or nothing.
 */
export function errorDetail(text: string, contentType: string | null): string {
  const trimmed = text.trim();
  if (!trimmed) return '';
  try {
    return clip(fromJson(JSON.parse(trimmed)));
  } catch {
    // not JSON: fall through
  }
  if (/^<(!doctype|html|head|body)/i.test(trimmed) || contentType?.includes('html')) {
    const title = /<title>([^<]*)<\/title>/i.exec(trimmed)?.[1]?.trim();
    return `an HTML page${title ? ` "${clip(title)}"` : ''} instead of an API answer (a proxy or gateway in the way?)`;
  }
  return clip(trimmed.split('\n', 1)[0]!);
}

function fromJson(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === null || typeof value !== 'object') return '';
  const obj = value as Record<string, unknown>;
  // The streaming description wraps its `{"reason"}` as `{"Body":{"reason"}}` (a go-swagger response struct).
  const wrapped = obj.Body ?? obj.body;
  if (wrapped !== null && typeof wrapped === 'object') {
    const inner = fromJson(wrapped);
    if (inner) return inner;
  }
  const errors = obj.errors ?? obj.Errors;
  if (Array.isArray(errors)) {
    const messages = errors
      .map((e) => {
        if (typeof e === 'string') return e;
        if (e && typeof e === 'object') {
          const r = e as Record<string, unknown>;
          const msg = r.message ?? r.Message ?? r.description;
          const id = r.ID ?? r.id;
          if (typeof msg === 'string' && msg)
            return id !== undefined ? `${msg} [${typeof id === 'string' ? id : JSON.stringify(id)}]` : msg;
        }
        return '';
      })
      .filter(Boolean);
    if (messages.length) return messages.join('; ');
  }
  for (const key of ['message', 'Message', 'reason', 'error', 'description']) {
    const v = obj[key];
    if (typeof v === 'string' && v) return v;
  }
  return '';
}

function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${+(n / 1024 / 1024).toFixed(1)} MiB`;
  if (n >= 1024) return `${+(n / 1024).toFixed(1)} KiB`;
  return `${n} bytes`;
}

/**
 * Whether a request that failed may still have taken effect on the server: it was sent and its answer was lost (a
 * timeout, a connection that broke after sending, a gateway's 502/504, Ctrl-C with no answer). An HTTP error the API
 * itself gave, or a connection that provably never opened, says it did not.
 */
export function answerLost(err: unknown): boolean {
  if (err instanceof RequestInterruptedError) return err.outcomeUnknown;
  if (err instanceof TimeoutError) return true;
  if (err instanceof ApiError) return OUTCOME_UNKNOWN_STATUS.has(err.status);
  if (err instanceof NetworkError) {
    const code = networkCode(err.cause);
    return code === undefined || !NOT_SENT_CODES.has(code);
  }
  return false;
}

/** Marks an interruption after which a request that changes state may or may not have taken effect. */
function markUnknown(err: RequestInterruptedError, unknown: boolean): RequestInterruptedError {
  if (unknown) err.outcomeUnknown = true;
  return err;
}

function clip(s: string, max = 300): string {
  const oneLine = s.replace(/\s+/g, ' ').trim();
  return oneLine.length > max ? `${oneLine.slice(0, max)}…` : oneLine;
}

function networkCode(err: unknown): string | undefined {
  for (let e: unknown = err, depth = 0; e && depth < 5; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

function describeNetworkError(err: unknown): string {
  const code = networkCode(err);
  let inner: unknown = err;
  while ((inner as { cause?: unknown })?.cause) inner = (inner as { cause: unknown }).cause;
  const message = inner instanceof Error ? inner.message : String(inner);
  return redact(code && !message.includes(code) ? `${message} (${code})` : message);
}
