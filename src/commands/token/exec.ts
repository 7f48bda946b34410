// `token exec`: a short-lived, least-privilege token that exists only while one command runs.
//
// Order: every flag and the command itself (found on PATH) are checked, the roles resolved, then the token is created
// with an expiry of --ttl (the backstop should everything else fail), the command started with the token in its
// environment, and, however it ends, the token revoked. The token is never printed, written or put in any argv.
//
// Signals, while the command runs, are the command's: SIGTERM and SIGHUP are forwarded to it; SIGINT too, unless our
// stdin is a terminal, whose Ctrl-C already reached the command (it is in our process group). Once it has ended, the
// revoke runs with its own deadline; a signal does not cancel it, except a Ctrl-C beyond the one that ended the
// command, which stops waiting, prints the delete command to run, and exits 130.
import { setMaxListeners } from 'node:events';
import { hostname, userInfo } from 'node:os';
import { basename } from 'node:path';
import type { CommandUnknownOpts } from '@commander-js/extra-typings';
import type { CreateTokenRequest, DevOpsClient } from '../../api/client.js';
import { createApiClient } from '../../api/index.js';
import type { CreatedToken } from '../../api/schemas.js';
import type { Context, TrappedSignal } from '../../context.js';
import { ApiError } from '../../api/errors.js';
import { AppError, InterruptedError, PartialError, UsageError, isNotFound } from '../../errors.js';
import { resolveRoles } from '../../domain/resolve-roles.js';
import { printable, terminalSafe } from '../../text/terminal.js';
import { expiryAfter, requireDuration, toApiInstant } from '../../domain/time.js';
import { exitCodeOf, findExecutable, startChild, type ChildEnd, type RunningChild } from './exec-child.js';
import { TOKEN_ENV_VAR, explainFailedCreate } from './new-token.js';
import { reasonOf } from './revocation.js';
import { scopeRequest, scopedRoleFor } from './scoped-role.js';
import { cliCommand } from './shell-command.js';
import type { OptionsOf } from '../verb.js';
import type { TokenVerbs } from './register.js';

export type TokenExecOptions = OptionsOf<TokenVerbs['exec']>;

export const DEFAULT_TTL = '1h';
/** The variable that tells an astra-token (or SDK) inside which API the token belongs to. */
const API_URL_ENV_VAR = 'ASTRA_API_URL';
/** The caller's own credential must not reach the command. */
const CALLER_CREDENTIAL_VARS = [TOKEN_ENV_VAR, 'ASTRA_PROFILE'];
/** The revoke after the command gets this long in all, retries included, whatever --timeout says. */
export const REVOKE_DEADLINE_MS = 20_000;

const INTERRUPT = 'interrupt';
const DEADLINE = 'deadline';

export async function tokenExec(ctx: Context, operands: string[], options: TokenExecOptions, command: TokenVerbs['exec']): Promise<number> {
  // Everything that can be checked locally is checked before the first request.
  if (ctx.output === 'json') {
    throw new UsageError('--json cannot be used with token exec: stdout belongs to the command', {
      hint: 'our own messages go to stderr; -q silences them',
    });
  }
  const argv = commandAfterDashes(command, operands);
  const scope = scopeRequest(options);
  const refs = options.role ?? [];
  if (!scope && refs.length === 0) {
    throw new UsageError('--role or --db is required: say what the command may do (repeat --role for several roles)', {
      hint: "see 'astra-token role list' for the roles of this org",
    });
  }
  const ttl = options.ttl ?? DEFAULT_TTL;
  const ttlMs = requireDuration('--ttl', ttl);
  // Checked now (positive, no later than the API can store), and taken from the clock again when the token is made.
  expiryAfter('--ttl', ttl, ttlMs, ctx.now());
  const envName = checkEnvName(options.envName ?? TOKEN_ENV_VAR);
  findExecutable(argv[0]!, ctx.env);

  const credential = await ctx.credential();
  const api = await ctx.api();
  const roles = scope ? [(await scopedRoleFor(ctx, api, scope)).role] : resolveRoles(await api.listRoles(), refs);
  const expiresAt = toApiInstant(expiryAfter('--ttl', ttl, ttlMs, ctx.now()));
  const request: CreateTokenRequest = { roles: roles.map((r) => r.id), tokenExpiry: expiresAt };
  const description = options.description ?? defaultDescription(ctx, argv[0]!);
  if (description !== '') request.description = description;

  // The revoke's own client, made now so that nothing is left to load once the command has ended. Its requests obey
  // `stop` (the revoke deadline, or a further Ctrl-C), never the Ctrl-C that may have ended the command.
  const stop = new AbortController();
  setMaxListeners(0, stop.signal);
  const revoker = await createApiClient({
    ...ctx.apiSettings(credential.apiUrl, credential.token, { interruptible: false }),
    signal: stop.signal,
    timeoutMs: Math.min(ctx.timeoutMs, REVOKE_DEADLINE_MS),
  });

  let created: CreatedToken;
  try {
    created = await api.createToken(request);
  } catch (err) {
    throw explainFailedCreate(err, 'run the same command again');
  }
  // From here on the token exists: whatever happens, it is revoked before we return.
  const session = new ExecSession(ctx, created.clientId, expiresAt, revoker, stop);
  const release = ctx.deps.trapSignals?.((signal) => session.onSignal(signal)) ?? (() => undefined);
  try {
    let token: string;
    try {
      token = await tokenOf(ctx, created, credential.apiUrl);
    } catch (err) {
      // No working token: the command is not run, and the one that exists is revoked all the same.
      return await session.finish(undefined, err);
    }
    const names = terminalSafe(roles.map((r) => r.name).join(', '));
    ctx.io.info(`created token ${created.clientId} (roles: ${names}; expires ${expiresAt}); running ${printable(argv[0]!)}`);
    return await session.run(argv, childEnv(ctx, envName, token, credential.apiUrl));
  } finally {
    release();
  }
}

/**
 * The token of a create answer; one without `token` (optional in the API description) gets it built from the client id
 * and secret and checked with one request before any command sees it. A token that is not accepted is an error here:
 * the session's revoke still runs.
 */
async function tokenOf(ctx: Context, created: CreatedToken, apiUrl: string): Promise<string> {
  const { builtTokenRefused, tokenOfAnswer } = await import('../../domain/derived-token.js');
  try {
    return await tokenOfAnswer(
      created,
      async (token) => (await ctx.apiFor(apiUrl, token)).currentOrg(),
      (line) => ctx.io.info(line),
    );
  } catch (err) {
    // An answer from the API means the built token is not the one it knows; no answer keeps its own code.
    const code = err instanceof ApiError ? 'BAD_RESPONSE' : err instanceof AppError ? err.code : 'INTERNAL';
    throw new AppError(code, builtTokenRefused(created.clientId, err, 'the command was not run'), { cause: err });
  }
}

/** The command and its arguments: exactly what follows the first `--`, so that none of its options is taken as ours. */
function commandAfterDashes(command: CommandUnknownOpts, operands: readonly string[]): string[] {
  let root: CommandUnknownOpts = command;
  while (root.parent) root = root.parent;
  // Commander keeps the whole argv it parsed (not in its typings); its operands lose the `--` that preceded them.
  const raw = (root as unknown as { rawArgs?: string[] }).rawArgs ?? [];
  const dashes = raw.indexOf('--');
  const after = dashes < 0 ? [] : raw.slice(dashes + 1);
  if (dashes < 0 || after.length === 0 || after.length !== operands.length || after.some((word, i) => word !== operands[i])) {
    throw new UsageError('put the command after --: astra-token token exec [options] -- <command> [args...]', {
      hint: `e.g. astra-token token exec --role "RO User" -- ${operands.map((o) => printable(o)).join(' ') || './migrate.sh'}`,
    });
  }
  return after;
}

function checkEnvName(name: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
    throw new UsageError(
      `--env-name: '${printable(name)}' is not an environment variable name (letters, digits and _, not starting with a digit)`,
    );
  }
  if (name === API_URL_ENV_VAR)
    throw new UsageError(`--env-name: ${API_URL_ENV_VAR} is where the command finds the API URL; choose another name`);
  return name;
}

/** `astra-token exec: <command> (<user>@<host>, <time>)`: a leftover token says where it came from. */
function defaultDescription(ctx: Context, command: string): string {
  let user = ctx.env.USER ?? ctx.env.LOGNAME;
  if (!user) {
    try {
      user = userInfo().username;
    } catch {
      user = 'unknown';
    }
  }
  return `astra-token exec: ${basename(command)} (${user}@${hostname()}, ${toApiInstant(ctx.now())})`;
}

/** Our environment without the caller's credential, plus the new token and the API it belongs to. */
function childEnv(ctx: Context, envName: string, token: string, apiUrl: string): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = { ...ctx.env };
  for (const name of CALLER_CREDENTIAL_VARS) delete env[name];
  env[envName] = token;
  env[API_URL_ENV_VAR] = apiUrl;
  return env;
}

/** One run of the command and the revoke after it; `onSignal` receives the signals trapped meanwhile. */
class ExecSession {
  private phase: 'starting' | 'running' | 'revoking' = 'starting';
  private child: RunningChild | undefined;
  /** Signals received before the command had started: they are delivered to it as soon as it has. */
  private early: TrappedSignal[] = [];
  private sigintsWhileRunning = 0;
  /** The terminal's Ctrl-C that ended the command may be seen only after its end: it is not a second one. */
  private owedSigint = false;
  /** A Ctrl-C typed at the terminal reaches the command directly (same process group): it is not forwarded. */
  private readonly terminalSendsSigint: boolean;

  constructor(
    private readonly ctx: Context,
    private readonly clientId: string,
    private readonly expiresAt: string,
    private readonly revoker: DevOpsClient,
    private readonly stop: AbortController,
  ) {
    this.terminalSendsSigint = ctx.io.isStdinTTY;
  }

  onSignal(signal: TrappedSignal): void {
    if (this.phase === 'starting') {
      this.early.push(signal);
    } else if (this.phase === 'running') {
      if (signal === 'SIGINT') {
        this.sigintsWhileRunning += 1;
        if (this.terminalSendsSigint) return;
      }
      this.child?.kill(signal);
    } else if (signal === 'SIGINT') {
      // SIGTERM and SIGHUP were for the command; the revoke goes on.
      if (this.owedSigint) this.owedSigint = false;
      else this.stop.abort(INTERRUPT);
    }
  }

  /** Runs the command, then revokes the token; the command's exit code, or an error once the revoke failed. */
  async run(argv: readonly string[], env: Record<string, string | undefined>): Promise<number> {
    let exitCode: number | undefined;
    let startError: unknown;
    if (this.ctx.signal.aborted) {
      // Interrupted between the create and now: the command is not started at all.
      startError = new InterruptedError('interrupted before the command started');
    } else {
      try {
        this.child = await startChild(this.ctx, argv, env);
        this.phase = 'running';
        for (const signal of this.early.splice(0)) this.child.kill(signal);
        const end: ChildEnd = await this.child.ended;
        exitCode = exitCodeOf(end);
        this.owedSigint = this.terminalSendsSigint && this.sigintsWhileRunning === 0 && (end.signal === 'SIGINT' || end.code === 130);
      } catch (err) {
        startError = err;
      }
    }
    return this.finish(exitCode, startError);
  }

  /** Revokes the token; then the command's exit code, or `startError` (what kept the command from running). */
  async finish(exitCode: number | undefined, startError: unknown): Promise<number> {
    this.phase = 'revoking';
    const failure = await this.revoke(exitCode);
    if (failure !== undefined) {
      const ended = exitCode === undefined ? 'the command did not run' : `the command ended with exit code ${exitCode}`;
      throw new PartialError(`${ended}, but token ${this.clientId} could not be revoked: ${failure} (it expires at ${this.expiresAt})`, {
        hint: `revoke it with: ${this.deleteLine()}`,
      });
    }
    // eslint-disable-next-line @typescript-eslint/only-throw-error -- rethrows the caught value as it was caught
    if (startError !== undefined) throw startError;
    return exitCode!;
  }

  /** Undefined once the token is gone; otherwise why it could not be revoked. */
  private async revoke(exitCode: number | undefined): Promise<string | undefined> {
    const timer = setTimeout(() => this.stop.abort(DEADLINE), REVOKE_DEADLINE_MS);
    try {
      await this.revoker.deleteToken(this.clientId);
      this.ctx.io.info(`revoked token ${this.clientId}`);
      return undefined;
    } catch (err) {
      // Already gone (revoked by the command itself, or by someone else): nothing is left to revoke.
      if (isNotFound(err)) return undefined;
      if (this.stop.signal.reason === INTERRUPT) {
        const ended = exitCode === undefined ? '' : ` (the command ended with exit code ${exitCode})`;
        throw new InterruptedError(
          `interrupted while revoking token ${this.clientId}${ended}; it may still be live until ${this.expiresAt}`,
          {
            hint: `revoke it with: ${this.deleteLine()}`,
          },
        );
      }
      if (this.stop.signal.reason === DEADLINE) return `no answer within ${REVOKE_DEADLINE_MS / 1000}s`;
      return reasonOf(err);
    } finally {
      clearTimeout(timer);
    }
  }

  private deleteLine(): string {
    return cliCommand(this.ctx, ['token', 'delete', this.clientId, '--yes', '--if-exists']);
  }
}
