// How a freshly created token leaves the tool (shared by `token create` and `token rotate`): the token alone on
// stdout, or the contract's JSON object, or a 0600 file; always with the reminder that it is shown only once.
import type { CreateTokenRequest, DevOpsClient } from '../../api/client.js';
import type { CreatedToken, Role } from '../../api/schemas.js';
import type { Context } from '../../context.js';
import { AppError, PartialError, UsageError, describeError, isErrorAnswer, isNotFound, withHint } from '../../errors.js';
import { writeJson } from '../../output/render.js';
import { FileNotWritten, SecretDelivery, StdoutLost } from '../../output/secret-delivery.js';
import { selectionOf } from '../../output/json-filter.js';
import { roleLabel, roleRefs } from '../../domain/resolve-roles.js';
import { HandoffFailure, handoffByHand, parseHandoff, runHandoff, type DeliveryFileShape, type HandoffSpec } from './handoff.js';
import { describeExpiry } from '../../output/format-time.js';
import { answerLost } from '../../api/transport.js';
import { reasonOf } from './revocation.js';
import { cliCommand } from './shell-command.js';
import { instantMs } from './token-view.js';
import { terminalSafe } from '../../text/terminal.js';
import type { RoleRef } from './token-view.js';
import type { OptionsOf } from '../verb.js';
import type { TokenVerbs } from './register.js';

/** Why a new token reached no one: its stdout went away, or its `--output-file` could not be written. */
export type Undelivered = StdoutLost | FileNotWritten;

/** How a new token is delivered, besides where: `--format` and the hand-over flags (create and rotate). */
export type DeliveryOptions = Pick<OptionsOf<TokenVerbs['rotate']>, 'format' | 'handoff' | 'handoffEnv' | 'handoffTimeout' | 'overwrite'>;

/** `--format`: the token alone (default), or a line for `eval` / `.env` files. */
export type TokenFormat = 'token' | 'env' | 'export';

/** The variable the env-style formats set: the one this tool (and Astra's own tools) read a token from. */
export const TOKEN_ENV_VAR = 'ASTRA_DB_APPLICATION_TOKEN';

export function parseTokenFormat(value: DeliveryOptions['format'], json: boolean): TokenFormat {
  if (value === undefined) return 'token';
  if (json) throw new UsageError(`--format ${value} and --json both choose the output; give one of them`);
  return value;
}

/** The line that carries the token: the token alone, `NAME=<token>` or `export NAME=<token>`. */
export function formattedTokenLine(token: string, format: TokenFormat): string {
  if (format === 'env') return `${TOKEN_ENV_VAR}=${token}`;
  if (format === 'export') return `export ${TOKEN_ENV_VAR}=${token}`;
  return token;
}

/** The contract's `token create` object. */
export interface NewTokenJson {
  clientId: string;
  token: string;
  secret: string;
  orgId: string | null;
  roles: RoleRef[];
  description: string;
  generatedOn: string | null;
  expiresAt: string | null;
}

/** The create document when no working token could be had: `token` is null, the client id and secret are all there is. */
export type UncheckedTokenJson = Omit<NewTokenJson, 'token'> & { token: null };

/** The rest of a delivery: closes the stdout document (JSON), adding `extra` keys at its end. Runs once. */
export interface Delivery {
  finish(extra?: Record<string, unknown>): void;
}

const ONCE_WARNING = 'store this token now: it is shown only once and cannot be retrieved again';

/**
 * The create response may omit description and expiry (and roles, and the org): what was asked for fills them in.
 * Instants are normalised the way `token list` prints them, so the two outputs agree.
 */
export function newTokenJson(created: CreatedToken & { token: string }, request: CreateTokenRequest, roles: readonly Role[]): NewTokenJson {
  const expiry = created.expiresAt ?? request.tokenExpiry;
  return {
    clientId: created.clientId,
    token: created.token,
    secret: created.secret,
    orgId: created.orgId ?? request.orgId ?? null,
    roles: roleRefs(roles, created.roles.length ? created.roles : request.roles),
    description: created.description ?? request.description ?? '',
    generatedOn: created.generatedOn,
    expiresAt: expiry ? new Date(expiry).toISOString() : null,
  };
}

/**
 * Where a new token goes. Built during validation (before any request): an `--output-file` that exists is refused
 * there. The file itself is created right before the create call (see SecretDelivery).
 */
export class NewTokenOutput {
  /** The client that made the token: it revokes one that reached no one. */
  private maker: DevOpsClient | undefined;
  /** The token also reaches someone other than stdout's reader (a hand-over, a saved profile). */
  private otherCopy = false;

  private constructor(
    private readonly ctx: Context,
    private readonly secret: SecretDelivery,
    readonly format: TokenFormat,
    /** The hand-over, when --handoff was given. */
    readonly handoff: HandoffSpec | undefined,
  ) {}

  /** Checks every delivery flag (and that --output-file does not exist) before any request. */
  static async prepare(ctx: Context, outputFile: string | undefined, options: DeliveryOptions = {}): Promise<NewTokenOutput> {
    const format = parseTokenFormat(options.format, ctx.output === 'json');
    const handoff = parseHandoff(options);
    const secret = await SecretDelivery.prepare(ctx.io, outputFile, options.overwrite === true, selectionOf(ctx.globals));
    const output = new NewTokenOutput(ctx, secret, format, handoff);
    // A broken stdout is this command's to judge from here on: it may carry the only copy of the token.
    ctx.io.holdStdout();
    return output;
  }

  /**
   * Before anything is created: refuses (exit 2) when the token's only destination is a stdout nobody can read back
   * (the null device, or closed), or when `--fields` leaves the token out of it. `elsewhere`: the token also reaches
   * a saved profile (rotate).
   */
  refuseUnreadableStdout(elsewhere = false): void {
    this.otherCopy = elsewhere || this.handoff !== undefined;
    this.secret.refuseFieldsWithout('token', this.otherCopy);
    if (this.path !== undefined || this.handoff || elsewhere || !this.ctx.io.stdoutIsNull) return;
    throw new UsageError(
      'the new token would go to standard output, which is /dev/null or closed: nobody could read it back; nothing was created',
      {
        hint: 'give --output-file <path> or --handoff <command>, or send standard output to a file or a pipe',
      },
    );
  }

  /** The `--output-file`, when given. */
  get path(): string | undefined {
    return this.secret.path;
  }

  /** What `--output-file` holds, for the commands that finish a job by hand from it. */
  get fileShape(): DeliveryFileShape {
    return this.ctx.output === 'json' ? 'json' : this.format === 'token' ? 'token' : 'env';
  }

  /**
   * Creates the token once its output file exists (so the secret always has a place to land); when the create fails
   * the file is removed again and the error says whether a token may exist unseen (see explainFailedCreate).
   *
   * An answer without `token` (optional in the API description) gets it built from the client id and secret and
   * checked with one `GET /v2/currentOrg`. When that check fails, the client id and secret are delivered where the
   * token would have gone (they are all there is of the credential) and the command ends with exit 8.
   */
  async create(
    api: DevOpsClient,
    request: CreateTokenRequest,
    afterwards: string,
    roles: readonly Role[],
  ): Promise<CreatedToken & { token: string }> {
    const sentAt = this.ctx.now();
    this.maker = api;
    const created = await this.secret.create(
      () => api.createToken(request),
      (err) =>
        answerLost(err) && !this.ctx.signal.aborted
          ? lookForLostToken(this.ctx, api, request, sentAt, err, afterwards)
          : explainFailedCreate(err, afterwards),
    );
    if (created.token !== null) return { ...created, token: created.token };
    const { builtTokenRefused, deriveToken, tokenOfAnswer } = await import('../../domain/token-format.js');
    let token: string;
    try {
      token = await tokenOfAnswer(
        created,
        async (built) => (await this.ctx.apiFor(api.baseUrl, built)).currentOrg(),
        (line) => this.ctx.io.info(line),
      );
    } catch (err) {
      const built = deriveToken(created.clientId, created.secret);
      (
        await this.open(
          { ...newTokenJson({ ...created, token: built }, request, roles), token: null },
          `${created.clientId}\t${created.secret}`,
        )
      ).finish();
      throw new PartialError(
        builtTokenRefused(
          created.clientId,
          err,
          `the client id and secret were delivered instead${this.ctx.output === 'json' ? '' : ' (tab-separated)'}`,
        ),
        {
          hint: `nothing else was changed; use them where a client id and secret are accepted, or revoke it: astra-token token delete ${created.clientId} --yes`,
          cause: err,
        },
      );
    }
    return { ...created, token };
  }

  /**
   * Delivers the token completely, then hands it over when --handoff was given (what `token create` does). A failed
   * hand-over is exit 8: the token exists and was delivered, only the hand-over is left to do. A token that reached
   * no one (stdout gone, its file not written, and no hand-over that took it) is revoked before the exit 8.
   */
  async deliver(token: NewTokenJson): Promise<void> {
    let lost: Undelivered | undefined;
    try {
      (await this.open(token)).finish();
    } catch (err) {
      if (!(err instanceof StdoutLost || err instanceof FileNotWritten)) throw err;
      if (!this.handoff) throw await this.reachedNoOne(token.clientId, err, 'then run the same command again');
      lost = err;
      this.ctx.io.warn(`${err.message}; the token still goes to the hand-over command`);
    }
    if (!this.handoff) return;
    try {
      await runHandoff(this.ctx, this.handoff, token.token);
    } catch (err) {
      if (!(err instanceof HandoffFailure)) throw err;
      if (lost) throw await this.reachedNoOne(token.clientId, lost, 'then run the same command again', '', err.message);
      throw new PartialError(`token ${token.clientId} was created and delivered, but ${err.message}`, {
        hint: `finish with: ${handoffByHand(this.handoff, this.path, this.fileShape)}`,
      });
    }
  }

  /**
   * Exit 8 for a token that exists but reached no one (its only copy went into a broken stdout, or its file could not
   * be written): it is revoked first, through the client that made it, so no live token is left that nobody has.
   * When that revoke fails too, the message says so and the hint is the exact revoke line (no secret in it).
   */
  async reachedNoOne(clientId: string, lost: Undelivered, afterwards: string, kept = '', alsoFailed?: string): Promise<PartialError> {
    const why = lost instanceof FileNotWritten ? lost.reason : lost.message;
    const what = `token ${clientId} was created, but ${why}${alsoFailed ? ` and ${alsoFailed}` : ''}, so it reached no one`;
    const revokeLine = cliCommand(this.ctx, ['token', 'delete', clientId, '--yes', '--if-exists']);
    if (!this.maker) return new PartialError(`${what}${kept}`, { hint: `revoke it with: ${revokeLine}; ${afterwards}`, cause: lost });
    try {
      await this.maker.deleteToken(clientId);
    } catch (err) {
      if (!isNotFound(err)) {
        return new PartialError(`${what}; revoking it failed too: ${reasonOf(err)}${kept}`, {
          hint: `revoke it with: ${revokeLine}; ${afterwards}`,
          cause: lost,
        });
      }
    }
    return new PartialError(`${what}; it was revoked${kept}`, { hint: afterwards, cause: lost });
  }

  /**
   * Delivers the token now; only the closing of the stdout JSON document waits for `finish`, so that a caller can
   * add keys it learns later (rotate's `revoked`) while the secret is already out before anything is destroyed.
   *
   * Without a file: the token alone on one line (or its `--format` line, or the JSON object) on stdout. With a file:
   * that line (or the JSON object) goes to the file, and stdout gets no secret: the client id alone, or with `--json` the object without
   * `token` and `secret` plus `"outputFile"`.
   */
  async open(token: NewTokenJson | UncheckedTokenJson, credentialLine?: string): Promise<Delivery> {
    const { io, output } = this.ctx;
    const json = output === 'json';
    const line = (token.token === null ? (credentialLine ?? '') : formattedTokenLine(token.token, this.format)) + '\n';
    let finish: Delivery['finish'] = () => undefined;
    const path = await this.secret.deliver({
      id: token.clientId,
      summary: this.summary(token),
      print: () => {
        if (json) {
          // The document minus its closing brace: finish() writes the rest, so the whole is exactly what
          // writeJson would have printed for the object with the extra keys.
          const head = JSON.stringify(token, null, 2).replace(/\n}$/, '');
          finish = once((extra = {}) => io.out.write(JSON.stringify({ ...token, ...extra }, null, 2).slice(head.length) + '\n'));
          return io.writeOut(head);
        }
        // Awaited: only a write that succeeded counts as delivery (a reader that went away gives EPIPE).
        return io.writeOut(line);
      },
      fileContent: json ? JSON.stringify(token, null, 2) + '\n' : line,
      onceWarning: ONCE_WARNING,
      writeFailedHint: `revoke it with 'astra-token token delete ${token.clientId} --yes' and try again`,
      // A filter may drop the token from stdout only when another copy reaches someone.
      filtered: this.otherCopy ? undefined : { document: token, value: token.token ?? token.secret },
    });
    if (path === undefined) return { finish };
    if (!json) {
      io.out.write(token.clientId + '\n');
      return { finish };
    }
    const { token: _token, secret: _secret, ...rest } = token;
    return { finish: once((extra = {}) => writeJson(io, { ...rest, outputFile: path, ...extra })) };
  }

  private summary(token: NewTokenJson | UncheckedTokenJson): string {
    const roles = terminalSafe(token.roles.map(roleLabel).join(', ')) || '(none)';
    const expiry = token.expiresAt ? `expires ${describeExpiry(token.expiresAt, this.ctx.now())}` : 'never expires';
    return `created token ${token.clientId} (roles: ${roles}; ${expiry})`;
  }
}

function once<A extends unknown[]>(fn: (...args: A) => void): (...args: A) => void {
  let done = false;
  return (...args) => {
    if (done) return;
    done = true;
    fn(...args);
  };
}

/**
 * A create that failed without an HTTP error answer (network cut, timeout, Ctrl-C, or a 2xx we could not read) may
 * still have made a token that never reached the user. The error then says how to find and revoke it.
 */
export function explainFailedCreate(err: unknown, afterwards: string): unknown {
  if (describeError(err).unexpected) return err;
  const answered = isErrorAnswer(err);
  const hint = answered
    ? `no token was created; ${afterwards}`
    : `a new token may have been created without reaching you: if 'astra-token token list' shows one you never received, revoke it; ${afterwards}`;
  return withHint(err, hint);
}

/** How long before the create was sent a token may have been made and still be this run's (clocks differ). */
const LOST_TOKEN_WINDOW_MS = 5 * 60_000;

/** The earliest `generatedOn` a token made by a create sent at `sentAt` may carry. */
export function lostTokenSince(sentAt: Date): Date {
  return new Date(sentAt.getTime() - LOST_TOKEN_WINDOW_MS);
}

/**
 * Tokens a create whose answer was lost may have made: made at most 5 minutes before the request was sent, with the
 * same roles and exactly the same description.
 */
export async function findLostTokens(api: DevOpsClient, request: CreateTokenRequest, sentAt: Date): Promise<string[]> {
  const roles = new Set(request.roles.map((r) => r.toLowerCase()));
  const description = request.description ?? '';
  const since = lostTokenSince(sentAt).getTime();
  return (await api.listTokens())
    .filter((t) => {
      const made = instantMs(t.generatedOn);
      return (
        made !== undefined &&
        made >= since &&
        t.description === description &&
        t.roles.length === roles.size &&
        t.roles.every((r) => roles.has(r.toLowerCase()))
      );
    })
    .map((t) => t.clientId);
}

/**
 * The create was sent and its answer lost (timeout, 502/504, a broken connection): a token may exist that nobody
 * received. Looks once for tokens made at most 5 minutes before the request was sent with the same roles and
 * description, and names them with the exact revoke line. Exit 7 whatever it finds: the outcome is unknown.
 */
async function lookForLostToken(
  ctx: Context,
  api: DevOpsClient,
  request: CreateTokenRequest,
  sentAt: Date,
  err: unknown,
  afterwards: string,
): Promise<AppError> {
  const reason = err instanceof Error ? err.message : String(err);
  const status = describeError(err).status;
  const message = `the answer to the token create was lost (${reason}), so a token may have been created without reaching you`;
  const since = lostTokenSince(sentAt);
  let found: string[];
  try {
    found = await findLostTokens(api, request, sentAt);
  } catch (lookErr) {
    return new AppError('UNAVAILABLE', message, {
      status,
      cause: err,
      hint: `looking for it failed too (${reasonOf(lookErr)}): check 'astra-token token list' for a token you never received and revoke it; ${afterwards}`,
    });
  }
  if (found.length === 0) {
    return new AppError('UNAVAILABLE', message, {
      status,
      cause: err,
      hint: `none with these roles and description made since ${since.toISOString()} is listed yet; check 'astra-token token list' again in a moment and revoke one you never received; ${afterwards}`,
    });
  }
  const which = found.length === 1 ? `token ${found[0]} is possibly this run's` : `tokens ${found.join(', ')} are possibly this run's`;
  return new AppError('UNAVAILABLE', message, {
    status,
    cause: err,
    hint: `${which} (same roles and description, just made): revoke with: ${cliCommand(ctx, ['token', 'delete', ...found, '--yes'])}; ${afterwards}`,
  });
}
