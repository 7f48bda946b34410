// `token exec`: a short-lived, least-privilege token that exists only while one command runs.
//
// Order: every flag and the command itself (found on PATH) are checked, the roles resolved, then the token is created
// with an expiry of --ttl (the backstop should everything else fail), the command started with the token in its
// environment, and, however it ends, the token revoked. The token is never printed, written or put in any argv.
//
// Signals are trapped from before the create request on, and a write error on our stdout or stderr (a reader that went
// away, a full disk, a terminal that hung up) never ends the process: the revoke always gets its turn. A signal while
// the create is in flight stops it; an answer lost that way (or to a timeout, a reset connection) is resolved by
// listing the tokens and revoking the one that carries the exact description this run sent (unique by default).
// While the command runs, signals are the command's: SIGTERM and SIGHUP are forwarded to it; SIGINT and SIGQUIT too,
// unless our stdin is a terminal, whose Ctrl-C or Ctrl-\ already reached the command (it is in our process group).
// Once it has ended, the revoke runs with its own deadline; a signal does not cancel it, except a Ctrl-C beyond the
// one that ended the command, which stops waiting, prints the delete command to run, and exits 130.
//
// The command does not see the caller's saved profiles unless --share-config: ASTRA_TOKEN_CONFIG_DIR points at an
// empty private directory, removed when the command has ended, so an astra-token inside cannot fall back to the
// caller's own (broader) credential.
import { randomBytes } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { hostname, tmpdir, userInfo } from 'node:os';
import { basename, join } from 'node:path';
import type { CommandUnknownOpts } from '@commander-js/extra-typings';
import type { CreateTokenRequest, DevOpsClient } from '../../api/client.js';
import { createApiClient } from '../../api/index.js';
import type { CreatedToken } from '../../api/schemas.js';
import type { Context, TrappedSignal } from '../../context.js';
import { ApiError } from '../../api/errors.js';
import { AppError, InterruptedError, PartialError, UsageError, describeError, isNotFound } from '../../errors.js';
import { checkRoleRef, resolveRoles } from '../../domain/resolve-roles.js';
import { printable, terminalSafe } from '../../text/terminal.js';
import { expiryAfter, toApiInstant } from '../../domain/time.js';
import { exitCodeOf, findExecutable, startChild, type ChildEnd, type RunningChild } from './exec-child.js';
import { TOKEN_ENV_VAR, explainFailedCreate, findLostTokens } from './new-token.js';
import { answerLost } from '../../api/transport.js';
import { reasonOf } from './revocation.js';
import { scopeRequest, scopedRoleFor } from './scoped-role.js';
import { cliCommand } from './shell-command.js';
import type { OptionsOf } from '../verb.js';
import type { TokenVerbs } from './register.js';

export type TokenExecOptions = OptionsOf<TokenVerbs['exec']>;

const DEFAULT_TTL = { ms: 3_600_000, text: '1h' };
/** The variable that tells an astra-token (or SDK) inside which API the token belongs to. */
const API_URL_ENV_VAR = 'ASTRA_API_URL';
/** The caller's own credential must not reach the command. */
const CALLER_CREDENTIAL_VARS = [TOKEN_ENV_VAR, 'ASTRA_PROFILE'];
/** Where an astra-token inside the command looks for profiles: an empty private directory unless --share-config. */
const CONFIG_DIR_ENV_VAR = 'ASTRA_TOKEN_CONFIG_DIR';
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
  for (const ref of refs) checkRoleRef(ref, '--role');
  const { ms: ttlMs, text: ttl } = options.ttl ?? DEFAULT_TTL;
  // Checked now (positive, no later than the API can store), and taken from the clock again when the token is made.
  expiryAfter('--ttl', ttl, ttlMs, ctx.now());
  const envName = checkEnvName(options.envName ?? TOKEN_ENV_VAR);
  findExecutable(argv[0]!, ctx.env);

  const credential = await ctx.credential();
  const api = await ctx.api();
  const roles = scope ? [(await scopedRoleFor(ctx, api, scope)).role] : resolveRoles(await api.listRoles(), refs);
  const expiresAt = toApiInstant(expiryAfter('--ttl', ttl, ttlMs, ctx.now()));
  const request: CreateTokenRequest = { roles: roles.map((r) => r.id), tokenExpiry: expiresAt };
  // Unique by default (a run id), so that a lost create answer finds exactly this run's token.
  const description = options.description ?? defaultDescription(ctx, argv[0]!);
  if (description !== '') request.description = description;

  // The revoke's own client, made now so that nothing is left to load once the command has ended. Its requests obey
  // `stop` (the revoke deadline, or a further Ctrl-C), never the Ctrl-C that may have ended the command.
  const stop = new AbortController();
  setMaxListeners(0, stop.signal);
  const settings = ctx.apiSettings(credential.apiUrl, credential.token, { interruptible: false });
  const revoker = await createApiClient({ ...settings, signal: stop.signal, timeoutMs: Math.min(ctx.timeoutMs, REVOKE_DEADLINE_MS) });
  // The create obeys the session: a signal trapped while it is in flight stops it (see ExecSession.onSignal).
  const creating = new AbortController();
  const creator = await createApiClient({ ...settings, signal: creating.signal });

  // Trapped before the create: from the moment a token may exist, nothing ends this process before it is revoked.
  const session = new ExecSession(ctx, expiresAt, revoker, stop, creating);
  const release = ctx.deps.trapSignals?.((signal) => session.onSignal(signal)) ?? (() => undefined);
  try {
    const sentAt = ctx.now();
    let created: CreatedToken;
    try {
      created = await creator.createToken(request);
    } catch (err) {
      return await session.createFailed(err, request, sentAt);
    }
    // From here on the token exists: whatever happens, it is revoked before we return.
    session.created(created.clientId);
    let token: string;
    try {
      if (session.stopped) throw new InterruptedError('interrupted before the command started');
      token = await tokenOf(ctx, created, credential.apiUrl);
    } catch (err) {
      // No working token: the command is not run, and the one that exists is revoked all the same.
      return await session.finish(undefined, err);
    }
    const names = terminalSafe(roles.map((r) => r.name).join(', '));
    ctx.io.success(`created token ${created.clientId} (roles: ${names}; expires ${expiresAt}); running ${printable(argv[0]!)}`);
    return await session.run(
      argv,
      (configDir) => childEnv(ctx, envName, token, credential.apiUrl, configDir),
      options.shareConfig !== true,
    );
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
  const { builtTokenRefused, tokenOfAnswer } = await import('../../domain/token-format.js');
  try {
    return await tokenOfAnswer(
      created,
      async (token) => (await ctx.apiFor(apiUrl, token)).currentOrg(),
      (line) => ctx.io.info(line),
    );
  } catch (err) {
    // An answer from the API means the built token is not the one it knows; no answer keeps its own code (the one
    // classifier's: a network failure is UNAVAILABLE).
    const code = err instanceof ApiError ? 'BAD_RESPONSE' : describeError(err).code;
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

/**
 * `astra-token exec: <command> (<user>@<host>, <time>, run <id>)`: a leftover token says where it came from, and the
 * run id makes the description this run's alone.
 */
function defaultDescription(ctx: Context, command: string): string {
  let user = ctx.env.USER ?? ctx.env.LOGNAME;
  if (!user) {
    try {
      user = userInfo().username;
    } catch {
      user = 'unknown';
    }
  }
  return `astra-token exec: ${basename(command)} (${user}@${hostname()}, ${toApiInstant(ctx.now())}, run ${randomBytes(4).toString('hex')})`;
}

/**
 * Our environment without the caller's credential, plus the new token and the API it belongs to; with `configDir`,
 * the profiles an astra-token inside sees are those of that (empty, private) directory.
 */
function childEnv(
  ctx: Context,
  envName: string,
  token: string,
  apiUrl: string,
  configDir: string | undefined,
): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = { ...ctx.env };
  for (const name of CALLER_CREDENTIAL_VARS) delete env[name];
  env[envName] = token;
  env[API_URL_ENV_VAR] = apiUrl;
  if (configDir !== undefined) env[CONFIG_DIR_ENV_VAR] = configDir;
  return env;
}

/** An empty directory only this user can enter (mkdtemp makes it 0700), for the command's own profiles. */
function privateConfigDir(): string {
  return mkdtempSync(join(tmpdir(), 'astra-token-exec-'));
}

/** One run of the command and the revoke after it; `onSignal` receives the signals trapped meanwhile. */
class ExecSession {
  private phase: 'creating' | 'starting' | 'running' | 'revoking' = 'creating';
  private clientId = '';
  private child: RunningChild | undefined;
  /** Signals received before the command had started: they are delivered to it as soon as it has. */
  private early: TrappedSignal[] = [];
  /** A signal stopped the create: the command is not started. */
  stopped = false;
  private sigintsWhileRunning = 0;
  /** The terminal's Ctrl-C that ended the command may be seen only after its end: it is not a second one. */
  private owedSigint = false;
  /** A Ctrl-C or Ctrl-\ typed at the terminal reaches the command directly (same process group): it is not forwarded. */
  private readonly terminalSendsSigint: boolean;

  constructor(
    private readonly ctx: Context,
    private readonly expiresAt: string,
    private readonly revoker: DevOpsClient,
    private readonly stop: AbortController,
    private readonly creating: AbortController,
  ) {
    this.terminalSendsSigint = ctx.io.isStdinTTY;
  }

  onSignal(signal: TrappedSignal): void {
    if (this.phase === 'creating') {
      // Nothing runs yet: the user wants out. The create is stopped; a token it may have made is found and revoked.
      this.stopped = true;
      this.creating.abort();
    } else if (this.phase === 'starting') {
      this.early.push(signal);
    } else if (this.phase === 'running') {
      if (signal === 'SIGINT' || signal === 'SIGQUIT') {
        if (signal === 'SIGINT') this.sigintsWhileRunning += 1;
        if (this.terminalSendsSigint) return;
      }
      this.child?.kill(signal);
    } else if (signal === 'SIGINT') {
      // SIGTERM, SIGHUP and SIGQUIT were for the command; the revoke goes on.
      if (this.owedSigint) this.owedSigint = false;
      else this.stop.abort(INTERRUPT);
    }
  }

  created(clientId: string): void {
    this.clientId = clientId;
    this.phase = 'starting';
  }

  /**
   * The create failed. When its answer may have been lost (a signal stopped it, a timeout, a reset connection), the
   * token it may have made is looked up by the exact description and roles this run sent and revoked: exactly one
   * match is this run's; several are named, never guessed at. Always throws: the command was not run.
   */
  async createFailed(err: unknown, request: CreateTokenRequest, sentAt: Date): Promise<never> {
    this.phase = 'revoking';
    const cause: unknown = this.stopped
      ? new InterruptedError('interrupted while the token was being created; the command was not run')
      : err;
    // An error the API answered with (or a request never sent) made no token.
    if (!answerLost(err)) throw explainFailedCreate(this.stopped ? cause : err, 'run the same command again');
    const report = describeError(cause);
    const lost = `the answer to the token create was lost (${describeError(err).message})`;
    const timer = setTimeout(() => this.stop.abort(DEADLINE), REVOKE_DEADLINE_MS);
    let found: string[];
    try {
      found = await findLostTokens(this.revoker, request, sentAt);
    } catch (lookErr) {
      throw new AppError(
        report.code,
        `${this.stopped ? report.message : lost}; looking for the token it may have made failed: ${reasonOf(lookErr)}`,
        {
          cause,
          hint: `check 'astra-token token list' for a token described '${printable(request.description ?? '')}' and revoke it (it expires at ${this.expiresAt})`,
        },
      );
    } finally {
      clearTimeout(timer);
    }
    const what = this.stopped ? report.message : lost;
    if (found.length === 0) {
      throw new AppError(report.code, `${what}; no token made by this run is listed`, {
        cause,
        hint: `should one appear later (described '${printable(request.description ?? '')}'), revoke it; it expires at ${this.expiresAt} in any case`,
      });
    }
    if (found.length > 1) {
      throw new AppError(report.code, `${what}; ${found.length} tokens carry this run's description and roles, so none was revoked`, {
        cause,
        hint: `revoke the one that is this run's with: ${cliCommand(this.ctx, ['token', 'delete', '<clientId>', '--yes'])} (candidates: ${found.join(', ')}); a description unique to the run avoids this`,
      });
    }
    this.clientId = found[0]!;
    const failure = await this.revoke(undefined);
    if (failure !== undefined) {
      throw new PartialError(
        `${what}; token ${this.clientId} made by this run could not be revoked: ${failure} (it expires at ${this.expiresAt})`,
        {
          hint: `revoke it with: ${this.deleteLine()}`,
        },
      );
    }
    throw new AppError(report.code, `${what}; token ${this.clientId}, made by this run, was found and revoked`, {
      status: report.status,
      cause,
      hint: 'run the same command again',
    });
  }

  /**
   * Runs the command, then revokes the token; the command's exit code, or an error once the revoke failed. Unless
   * `shareConfig`, the command gets an empty private config dir, removed once it has ended.
   */
  async run(
    argv: readonly string[],
    envFor: (configDir: string | undefined) => Record<string, string | undefined>,
    hideConfig: boolean,
  ): Promise<number> {
    let exitCode: number | undefined;
    let startError: unknown;
    let configDir: string | undefined;
    if (this.ctx.signal.aborted) {
      // Interrupted between the create and now: the command is not started at all.
      startError = new InterruptedError('interrupted before the command started');
    } else {
      try {
        if (hideConfig) configDir = privateConfigDir();
        this.child = await startChild(this.ctx, argv, envFor(configDir));
        this.phase = 'running';
        for (const signal of this.early.splice(0)) this.child.kill(signal);
        const end: ChildEnd = await this.child.ended;
        exitCode = exitCodeOf(end);
        this.owedSigint = this.terminalSendsSigint && this.sigintsWhileRunning === 0 && (end.signal === 'SIGINT' || end.code === 130);
      } catch (err) {
        startError = err;
      } finally {
        if (configDir !== undefined) rmSync(configDir, { recursive: true, force: true });
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
      this.ctx.io.success(`revoked token ${this.clientId}`);
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
