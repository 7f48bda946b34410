// `token rotate`: replace a token by a new one with the same roles, in the order that never loses a working token:
//   1. find the old token (exit 5)            -> nothing changed
//   2. create the new one (same roles)        -> a failed create changes nothing
//   3. deliver it (stdout / --json / file)    -> from here on the user holds the new token
//   4. check that it works (/v2/currentOrg)   -> a profile never receives a token that was not seen working
//   5. switch every profile holding the old token to the new one (atomically, under the store's lock)
//   6. run the --handoff command with the new token on its stdin; only its exit status 0 lets the rotation go on
//   7. revoke the old one (unless --keep-old)
// A failure after step 3 keeps the old token, exits 8 and names the commands that finish the job.
//
// When the old token is the credential this command runs with (the CI case), the revoke in step 6 is sent with the
// NEW token: it holds the same roles, it has just been seen working, it is what the profile now holds, and so the
// printed finishing command (run with that profile or the new token file) does exactly what this step did. The old
// token would work too until it is revoked, but a request that revokes its own credential is the one case an API may
// treat specially; the new token avoids depending on it. Otherwise the revoke uses the active credential (the new
// token may hold roles that cannot revoke tokens).
import type { CreateTokenRequest, DevOpsClient } from '../../api/client.js';
import { defaultSleep } from '../../api/transport.js';
import { API_URLS, type Credential } from '../../config/credentials.js';
import { clientIdOf, type Profile, type ProfileStore } from '../../config/store.js';
import type { Context } from '../../context.js';
import { AppError, InterruptedError, PartialError, UsageError, isNotFound, isRejectedCredential, isInterrupted } from '../../errors.js';
import { printable } from '../../text/terminal.js';
import { expiryAfter, formatDuration, parseExpiry, ROTATE_MIN_EXPIRY_MS, toApiInstant } from '../../domain/time.js';
import { inspectTokenShape } from '../../domain/token-format.js';
import { confirmOrStop, requireClientId, requireConsent, promptTokenLine } from './revoke-guards.js';
import { HandoffFailure, handoffByHand, runHandoff } from './handoff.js';
import { NewTokenOutput, newTokenJson, type Delivery } from './new-token.js';
import { StdoutLost } from '../../output/secret-delivery.js';
import { reasonOf, tokensNotFound } from './revocation.js';
import { cliCommand, shellQuote } from './shell-command.js';
import { fetchOrgTokens, instantMs, type TokenView } from './token-view.js';
import { rolesForNewToken } from './new-token-roles.js';
import { scopeRequest } from './scoped-role.js';
import { writeJson } from '../../output/render.js';
import type { OptionsOf } from '../verb.js';
import type { TokenVerbs } from './register.js';

export type TokenRotateOptions = OptionsOf<TokenVerbs['rotate']>;

/** A brand-new token may take a moment to be accepted everywhere: a 401 on the check is retried this often. */
const VERIFY_ATTEMPTS = 4;
const VERIFY_BACKOFF_MS = 1000;

export async function tokenRotate(ctx: Context, clientIdArg: string, options: TokenRotateOptions): Promise<void> {
  // Everything that can be checked locally is checked before the first request.
  const oldId = requireClientId(clientIdArg);
  const due = dueConditions(options);
  if (options.expires !== undefined && options.expiry === false) {
    throw new UsageError('--expires and --no-expiry contradict each other: give one of them');
  }
  if (options.overwrite && options.outputFile === undefined) {
    throw new UsageError('--overwrite goes with --output-file: it lets the new token replace that file');
  }
  const scope = scopeRequest(options);
  const roleRefs = options.role ?? [];
  const givenExpiry =
    options.expires !== undefined ? toApiInstant(rotationExpiry(ctx, options.expires, options.allowShortExpiry === true)) : undefined;
  // With --keep-old nothing is destroyed: no confirmation is needed.
  if (!options.keepOld) requireConsent(ctx, options.yes, 'rotating a token');
  const output = await NewTokenOutput.prepare(ctx, options.outputFile, options);
  const credential = await ctx.credential();
  const store = await ctx.store();
  // Read before anything is created: a profile store that cannot be read fails the rotation while nothing changed.
  const holders = profilesHolding(store.read().profiles, oldId);
  // The old token is revoked only once the new one reached a place it can be read back from.
  output.refuseUnreadableStdout(holders.length > 0);

  const api = await ctx.api();
  // The roles are needed to tell a deleted role from a live one: a token must not be re-created with a dead role.
  const { tokens, roles: orgRoles } = await fetchOrgTokens(ctx, api, true);
  const old = tokens.find((t) => t.clientId === oldId);
  if (!old)
    throw tokensNotFound(
      [oldId],
      tokens.map((t) => t.clientId),
      'nothing was changed',
      "see 'astra-token token list'",
    );

  const notDue = due && whyNotDue(ctx, old, due);
  if (notDue !== undefined && notDue !== false) {
    ctx.io.info(`token ${oldId} is not due for rotation (${notDue}); nothing was changed`);
    if (ctx.output === 'json') writeJson(ctx.io, { rotated: false, clientId: oldId, reason: notDue });
    return;
  }

  const tokenExpiry = options.expiry === false ? undefined : (givenExpiry ?? inheritedExpiry(ctx, old, options.allowShortExpiry === true));
  let roles = orgRoles;
  let newRoleIds: string[];
  if (scope || roleRefs.length > 0) {
    const chosen = await rolesForNewToken(ctx, api, scope, roleRefs);
    newRoleIds = chosen.roles.map((r) => r.id);
    if (chosen.scoped?.created) roles = [...orgRoles, chosen.scoped.role];
  } else {
    if (old.roles.length === 0)
      throw new UsageError(`token ${oldId} holds no roles, so it cannot be re-created with the same roles; nothing was changed`, {
        hint: 'give the new roles with --role (repeatable) or --db',
      });
    const deleted = old.roles.filter((r) => r.name === null).map((r) => r.id);
    if (deleted.length > 0)
      throw new UsageError(
        `token ${oldId} holds ${deleted.length === 1 ? 'a role that no longer exists' : 'roles that no longer exist'} (${deleted.join(', ')}); a new token with ${deleted.length === 1 ? 'it' : 'them'} would not have the access the old one was given; nothing was changed`,
        { hint: 'give the new token its roles with --role (repeatable) or --db' },
      );
    newRoleIds = old.roles.map((r) => r.id);
  }

  const selfIsOld = inspectTokenShape(credential.token).clientId === oldId;
  if (!options.keepOld && !options.yes) await confirmRotation(ctx, old, holders, selfIsOld);

  const request: CreateTokenRequest = { roles: newRoleIds };
  const description = options.description ?? old.description;
  if (description !== '') request.description = description;
  if (tokenExpiry !== undefined) request.tokenExpiry = tokenExpiry;

  const created = await output.create(api, request, `${oldId} still works; run the same command again`, roles);
  const fresh = newTokenJson(created, request, roles);
  let delivery: Delivery;
  try {
    delivery = await output.open(fresh);
  } catch (err) {
    if (!(err instanceof StdoutLost)) throw err;
    // Nothing else receives the new token: it is lost, so the old one stays and the new one is to be revoked.
    if (!holders.length && !output.handoff)
      throw await output.reachedNoOne(
        fresh.clientId,
        err,
        'then run the rotation again',
        `; the old token ${oldId} was kept and still works`,
      );
    ctx.io.warn(`${err.message}; the new token still goes to ${holders.length ? 'the saved profile' : 'the hand-over command'}`);
    delivery = { finish: () => undefined };
  }

  const plan = new Finish(ctx, credential, oldId, holders, output.path, selfIsOld, options.keepOld === true);
  if (output.handoff) plan.handoff = handoffByHand(output.handoff, output.path, output.fileShape);
  let revoked = false;
  try {
    const newApi = await ctx.apiFor(credential.apiUrl, fresh.token);
    try {
      await verifyToken(ctx, newApi);
    } catch (err) {
      throw plan.failure(
        `token ${fresh.clientId} was created and delivered, but checking that it works failed: ${reasonOf(err)}; the old token ${oldId} was kept`,
        err,
      );
    }

    if (holders.length) {
      let failure: unknown;
      try {
        ({ updated: plan.updated, failure } = await switchProfiles(ctx, store, holders, oldId, fresh.token));
      } catch (err) {
        failure = err;
      }
      for (const name of plan.updated) ctx.io.info(`profile '${printable(name)}' now uses token ${fresh.clientId}`);
      if (failure !== undefined) {
        const names = holders
          .filter((p) => !plan.updated.includes(p.name))
          .map((p) => `'${printable(p.name)}'`)
          .join(', ');
        throw plan.failure(
          `token ${fresh.clientId} was created and delivered, but profile ${names} could not be switched to it: ${reasonOf(failure)}; the old token ${oldId} was kept and still works`,
          failure,
        );
      }
    }

    if (output.handoff) {
      try {
        await runHandoff(ctx, output.handoff, fresh.token);
      } catch (err) {
        if (!(err instanceof HandoffFailure))
          throw plan.failure(`the hand-over of token ${fresh.clientId} was stopped; the old token ${oldId} was kept`, err);
        throw plan.failure(`token ${fresh.clientId} was created and delivered, but ${err.message}; the old token ${oldId} was kept`, err);
      }
      plan.handoff = undefined;
    }

    if (options.keepOld) {
      ctx.io.info(`kept the old token ${oldId} (--keep-old); revoke it once nothing uses it: ${plan.revokeCommand()}`);
      return;
    }

    try {
      await (selfIsOld ? newApi : api).deleteToken(oldId);
      revoked = true;
    } catch (err) {
      if (isNotFound(err)) {
        // Revoked by someone else in the meantime: the goal is reached all the same.
        revoked = true;
        ctx.io.info(`the old token ${oldId} was already gone`);
      } else {
        throw plan.failure(
          `token ${fresh.clientId} was created and delivered${plan.updated.length ? ' and the profile switched to it' : ''}, but revoking the old token ${oldId} failed: ${reasonOf(err)}`,
          err,
        );
      }
    }
    if (revoked) ctx.io.success(`rotated ${oldId} -> ${fresh.clientId}; ${oldId} is revoked`);
  } finally {
    delivery.finish({ replaced: oldId, revoked });
  }
}

/** `--if-older-than` / `--if-expiring-within`, checked before any request; undefined when neither is given. */
interface DueConditions {
  olderThanMs?: number;
  expiringWithinMs?: number;
}

function dueConditions(options: Pick<TokenRotateOptions, 'ifOlderThan' | 'ifExpiringWithin'>): DueConditions | undefined {
  if (options.ifOlderThan === undefined && options.ifExpiringWithin === undefined) return undefined;
  return {
    olderThanMs: options.ifOlderThan,
    expiringWithinMs: options.ifExpiringWithin,
  };
}

/**
 * Why the token is not due (the note and the JSON `reason`), or false when one of the given conditions holds. A date
 * the API sent that cannot be read is not guessed at: the run fails (exit 2) rather than rotate or skip blindly.
 */
function whyNotDue(ctx: Context, old: TokenView, due: DueConditions): string | false {
  const now = ctx.now().getTime();
  const reasons: string[] = [];
  if (due.olderThanMs !== undefined) {
    const created = readableDate(old, 'generatedOn', '--if-older-than');
    if (created === null || now - created >= due.olderThanMs) return false;
    reasons.push(`created ${old.generatedOn}, less than ${formatDuration(due.olderThanMs)} ago`);
  }
  if (due.expiringWithinMs !== undefined) {
    const expires = readableDate(old, 'expiresAt', '--if-expiring-within');
    if (expires === null) reasons.push('it never expires');
    else if (expires - now <= due.expiringWithinMs) return false;
    else reasons.push(`expires ${old.expiresAt}, not within ${formatDuration(due.expiringWithinMs)}`);
  }
  return reasons.join('; ');
}

/** A date of the old token in ms; null when the API sent none; a usage error when it sent one that cannot be read. */
function readableDate(old: TokenView, key: 'generatedOn' | 'expiresAt', flag: string): number | null {
  const value = old[key];
  if (value === null) return null;
  const ms = instantMs(value);
  if (ms === undefined) {
    throw new UsageError(
      `${flag}: the API sent ${key} '${printable(value)}' for token ${old.clientId}, which cannot be read; nothing was changed`,
    );
  }
  return ms;
}

/**
 * Without `--expires`, the new token lives as long as the old one was made to live (`expiresAt - generatedOn`),
 * counted from now; undefined (never expires) only when the old one never did. Dates that cannot be read are refused:
 * guessing would make a token that lives for ever, or dies at once. The lifetime is rounded to the minute (the API
 * keeps milliseconds on one date and seconds on the other): rotation after rotation keeps `90d` exactly.
 */
function inheritedExpiry(ctx: Context, old: TokenView, allowShort: boolean): string | undefined {
  if (old.expiresAt === null) return undefined;
  const start = old.generatedOn === null ? undefined : instantMs(old.generatedOn);
  const end = instantMs(old.expiresAt);
  if (start === undefined || end === undefined || end <= start) {
    throw new UsageError(
      `token ${old.clientId}: its lifetime cannot be told from the dates the API sent (generatedOn ${printable(String(old.generatedOn))}, expiresAt ${printable(old.expiresAt)}); nothing was changed`,
      { hint: 'give the new token an expiry with --expires (e.g. 90d), or --no-expiry' },
    );
  }
  const raw = end - start;
  const lifetime = raw >= ROTATE_MIN_EXPIRY_MS ? Math.round(raw / 60_000) * 60_000 : Math.round(raw / 1000) * 1000;
  if (!allowShort && lifetime < ROTATE_MIN_EXPIRY_MS) {
    throw new UsageError(
      `token ${old.clientId} was made to live ${formatDuration(lifetime)}, and the new one would too, but the old one is revoked right after; nothing was changed`,
      { hint: 'give the new token a longer life with --expires, or pass --allow-short-expiry if that is really meant' },
    );
  }
  return toApiInstant(expiryAfter('the inherited lifetime', formatDuration(lifetime), lifetime, ctx.now()));
}

/**
 * `--expires` of the new token. Under an hour is refused without --allow-short-expiry: the old token is revoked right
 * after, so a typo (`3s` for `3d`) would leave the application with a token that dies moments later.
 */
function rotationExpiry(ctx: Context, input: string, allowShort: boolean): Date {
  const now = ctx.now();
  const at = parseExpiry(input, now);
  if (!allowShort && at.getTime() - now.getTime() < ROTATE_MIN_EXPIRY_MS) {
    throw new UsageError(
      `--expires: '${printable(input)}' is less than 1 hour away, and the old token is revoked right after; nothing was changed`,
      {
        hint: "pass --allow-short-expiry if that is really meant ('astra-token token exec' is made for short-lived tokens)",
      },
    );
  }
  return at;
}

/** Saved profiles whose token has this client id (kept with the profile: no secret is read to know it). */
function profilesHolding(profiles: readonly Profile[], clientId: string): Profile[] {
  return profiles.filter((p) => p.clientId === clientId);
}

/**
 * Every profile still holding the old token gets the new one, wherever it keeps it: keychain entries first (each read
 * back), then the file under the store's lock. A keychain that refuses leaves its profile on the old token (reported
 * as `failure`); the others are switched all the same.
 */
async function switchProfiles(
  ctx: Context,
  store: ProfileStore,
  holders: readonly Profile[],
  oldId: string,
  token: string,
): Promise<{ updated: string[]; failure?: unknown }> {
  const written = new Set<string>();
  let failure: unknown;
  const inKeychain = holders.filter((p) => p.storage === 'keyring');
  const tokens = inKeychain.length ? await ctx.tokens() : undefined;
  for (const p of inKeychain) {
    try {
      await tokens!.write(p, token);
      written.add(p.account!);
    } catch (err) {
      failure ??= err;
    }
  }
  const now = ctx.now().toISOString();
  const updated = store.update((data) => {
    const switched: string[] = [];
    for (const p of data.profiles) {
      if (p.clientId !== oldId) continue;
      if (p.storage === 'keyring' && !written.has(p.account!)) continue;
      if (p.storage === 'file') p.token = token;
      p.clientId = clientIdOf(token);
      p.updatedAt = now;
      switched.push(p.name);
    }
    return switched;
  });
  return { updated, failure };
}

async function confirmRotation(ctx: Context, old: TokenView, holders: readonly Profile[], selfIsOld: boolean): Promise<void> {
  const { io } = ctx;
  io.err.write(`About to rotate this token:\n${promptTokenLine(ctx, old)}\n`);
  io.err.write(
    `A new token with the same roles is created and handed over first; then ${old.clientId} is revoked and applications still using it lose access.\n`,
  );
  for (const p of holders) io.err.write(`Profile '${printable(p.name)}' is switched to the new token.\n`);
  if (selfIsOld && !holders.length) io.err.write('This command runs with that token: use the new one from now on.\n');
  await confirmOrStop(ctx, 'Rotate this token?', 'not confirmed; nothing was changed');
}

/** `/v2/currentOrg` with the new token; a 401 is retried with a growing pause, anything else fails at once. */
async function verifyToken(ctx: Context, api: DevOpsClient): Promise<void> {
  const sleep = ctx.deps.sleep ?? defaultSleep;
  for (let attempt = 1; ; attempt++) {
    try {
      await api.currentOrg();
      return;
    } catch (err) {
      if (!isRejectedCredential(err) || attempt >= VERIFY_ATTEMPTS) throw err;
      ctx.debug(`new token not accepted yet (attempt ${attempt}); retrying`);
      await sleep(VERIFY_BACKOFF_MS * attempt, ctx.signal);
    }
  }
}

/** What is left to do when a step after delivery fails, as commands the user can paste. */
class Finish {
  /** Profiles already switched to the new token. */
  updated: string[] = [];
  /** The hand-over by hand, while it has not succeeded. */
  handoff: string | undefined;

  constructor(
    private readonly ctx: Context,
    private readonly credential: Credential,
    private readonly oldId: string,
    private readonly holders: readonly Profile[],
    private readonly file: string | undefined,
    private readonly selfIsOld: boolean,
    private readonly keepOld: boolean,
  ) {}

  /** Exit 8 (130 when interrupted) with the commands that finish the rotation. */
  failure(message: string, cause: unknown): AppError {
    const commands = this.commands();
    const hint = commands.length
      ? `finish with: ${commands.join(' && ')}`
      : "the old token still works; check the new one with 'astra-token token inspect --check' before relying on it";
    if (isInterrupted(cause)) return new InterruptedError(`interrupted: ${message}`, { hint, cause });
    return new PartialError(message, { hint, cause });
  }

  /** Profiles still to switch, the hand-over, then the revoke (unless --keep-old). */
  commands(): string[] {
    const pending = this.holders.filter((p) => !this.updated.includes(p.name));
    const switches = pending.map((p) => {
      const args = ['org', 'add', p.name, '--force'];
      if (p.apiUrl !== API_URLS.prod) args.push('--api-url', p.apiUrl);
      // `org add --force` replaces the whole profile: carry over what it had besides the token.
      if (p.streamingApiUrl) args.push('--streaming-api-url', p.streamingApiUrl);
      if (p.streamingTenant) args.push('--streaming-tenant', p.streamingTenant);
      if (p.streamingCluster) args.push('--streaming-cluster', p.streamingCluster);
      // Where the token lived: a keychain profile must not land in the file because the keychain was locked then.
      if (p.storage === 'keyring') args.push('--storage', 'keyring');
      // Without a file the new token is pasted at the hidden prompt.
      if (this.file === undefined) return ['astra-token', ...args].map(shellQuote).join(' ');
      return `${['astra-token', ...args, '--with-token'].map(shellQuote).join(' ')} < ${shellQuote(this.file)}`;
    });
    return [...switches, ...(this.handoff ? [this.handoff] : []), ...(this.keepOld ? [] : [this.revokeCommand()])];
  }

  /**
   * The revoke, run with a credential that is not the old token where possible: the active profile once it holds
   * the new token, else the new token's file; only as a last resort the old token itself (--force).
   */
  revokeCommand(): string {
    const args = ['token', 'delete', this.oldId, '--yes'];
    const source = this.credential.source;
    const profile = source.startsWith('profile:') ? source.slice('profile:'.length) : undefined;
    const profileWillHoldNew = profile !== undefined && this.holders.some((p) => p.name === profile);
    if (!this.selfIsOld || profileWillHoldNew) return cliCommand(this.ctx, args);
    if (this.file !== undefined) return cliCommand(this.ctx, args, { tokenFile: this.file });
    return cliCommand(this.ctx, [...args, '--force']);
  }
}
