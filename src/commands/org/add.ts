import { API_URLS, checkApiUrl, environmentOf, explicitApiUrl, readTokenFile } from '../../config/credentials.js';
import { checkProfileName, clientIdOf, type ApiEnvironment, type Profile } from '../../config/store.js';
import type { Context } from '../../context.js';
import { AppError, UsageError, isRejectedCredential } from '../../errors.js';
import { printable } from '../../text/terminal.js';
import { renderResult } from '../../output/result.js';
import { requireAstraToken } from '../../domain/token-format.js';
import { checkCluster, checkTenant } from '../streaming/session.js';
import { describeOrg, profileItem, readOrgName, shadowNote } from './profile-item.js';
import type { OptionsOf } from '../verb.js';
import type { OrgVerbs } from './register.js';

export type OrgAddOptions = OptionsOf<OrgVerbs['add']>;

export async function orgAdd(ctx: Context, name: string, opts: OrgAddOptions): Promise<void> {
  checkProfileName(name);
  const apiUrl = explicitApiUrl(opts, ctx.env) ?? API_URLS.prod;
  const env = opts.env ?? environmentOf(apiUrl);
  const streamingApiUrl = opts.streamingApiUrl !== undefined ? checkApiUrl(opts.streamingApiUrl, '--streaming-api-url') : undefined;
  const streamingTenant = opts.streamingTenant !== undefined ? checkTenant(opts.streamingTenant, '--streaming-tenant') : undefined;
  const streamingCluster = opts.streamingCluster !== undefined ? checkCluster(opts.streamingCluster, '--streaming-cluster') : undefined;
  const store = await ctx.store();
  // Checked before asking for a token (nobody wants to paste one for nothing), and again under the lock.
  if (!opts.force && store.read().profiles.some((p) => p.name === name)) throw exists(name);
  const tokens = await ctx.tokens();
  const { storage, fallback } = await tokens.choose(opts.storage ?? 'auto');

  const token = await readToken(ctx, opts);
  const org = opts.validate ? await validate(ctx, apiUrl, token, env) : undefined;

  // The keychain entry first: a config that names an entry never points at nothing.
  const account = storage === 'keyring' ? await tokens.saveNew({ name }, token) : undefined;
  const profile: Profile = {
    name,
    storage,
    ...(account === undefined ? { token } : { account }),
    clientId: clientIdOf(token),
    apiUrl,
    ...(env && { env }),
    ...(org && { orgId: org.orgId }),
    ...(org?.orgName && { orgName: org.orgName }),
    ...(streamingApiUrl && { streamingApiUrl }),
    ...(streamingTenant && { streamingTenant }),
    ...(streamingCluster && { streamingCluster }),
    updatedAt: ctx.now().toISOString(),
  };
  let outcome: { replaced?: Profile; current: boolean };
  try {
    outcome = store.update((data) => {
      const at = data.profiles.findIndex((p) => p.name === name);
      if (at >= 0 && !opts.force) throw exists(name);
      const replaced = at >= 0 ? data.profiles[at] : undefined;
      if (at >= 0) data.profiles[at] = profile;
      else data.profiles.push(profile);
      if (data.current === null || opts.use) data.current = name;
      return { replaced, current: data.current === name };
    });
  } catch (err) {
    if (account !== undefined) await tokens.forget({ name, account });
    throw err;
  }
  const { replaced, current } = outcome;
  if (replaced?.storage === 'keyring' && replaced.account !== account) {
    const why = await tokens.forget(replaced);
    if (why) ctx.io.warn(`the replaced token's keychain entry (astra-token/${replaced.account}) could not be deleted: ${why}`);
  }

  // A token left in plain text is worth a line even with --quiet.
  if (fallback) ctx.io.warn(`no keychain is usable here (${fallback}); the token is kept in ${store.path} (mode 0600)`);
  const what = org ? describeOrg(org.orgName, org.orgId) : 'an org not validated (--no-validate)';
  ctx.io.success(`${replaced ? 'replaced' : 'saved'} profile '${printable(name)}' for ${what} at ${apiUrl}`);
  if (current) {
    ctx.io.info(`'${printable(name)}' is the current profile.`);
    const note = shadowNote(ctx, name);
    if (note) ctx.io.warn(note);
  } else {
    ctx.io.info(`Use it with --profile '${printable(name)}', or make it current with: astra-token org switch '${printable(name)}'`);
  }
  renderResult(ctx, { json: profileItem(profile, { current: current ? name : null }) });
}

function exists(name: string): AppError {
  return new AppError('CONFLICT', `a profile named '${printable(name)}' exists already`, {
    hint: 'pass --force to replace it, or pick another name',
  });
}

/** --with-token (stdin), --token-file, a hidden prompt on a terminal, ASTRA_DB_APPLICATION_TOKEN. */
async function readToken(ctx: Context, opts: OrgAddOptions): Promise<string> {
  if (opts.withToken && opts.tokenFile !== undefined) {
    throw new UsageError('--with-token and --token-file both give the token; use one of them');
  }
  if (opts.withToken) {
    if (ctx.io.isStdinTTY && ctx.io.isStderrTTY) ctx.io.info('Reading the token from standard input (end with Ctrl-D)...');
    return requireAstraToken(await ctx.io.readStdin(), 'standard input');
  }
  if (opts.tokenFile !== undefined) return readTokenFile(opts.tokenFile, ctx.io.readStdin);
  const envToken = ctx.env.ASTRA_DB_APPLICATION_TOKEN || undefined;
  if (ctx.io.canPrompt()) {
    const answer = await ctx.io.prompt(
      envToken
        ? 'Astra token (AstraCS:..., input hidden; empty to use ASTRA_DB_APPLICATION_TOKEN): '
        : 'Astra token (AstraCS:..., input hidden): ',
      { hidden: true },
    );
    if (answer === '' && envToken) return requireAstraToken(envToken, 'ASTRA_DB_APPLICATION_TOKEN');
    return requireAstraToken(answer, 'the prompt');
  }
  if (envToken) return requireAstraToken(envToken, 'ASTRA_DB_APPLICATION_TOKEN');
  throw new UsageError(
    opts.input === false ? 'no token to save, and --no-input forbids asking for one' : 'no token to save, and no terminal to ask for one',
    { hint: 'pipe it in with --with-token, pass --token-file <path>, or set ASTRA_DB_APPLICATION_TOKEN' },
  );
}

/** `/v2/currentOrg` proves the token; the org name needs org-user-read, so a refusal there only loses the name. */
async function validate(
  ctx: Context,
  apiUrl: string,
  token: string,
  env: ApiEnvironment | undefined,
): Promise<{ orgId: string; orgName: string | null }> {
  const api = await ctx.apiFor(apiUrl, token);
  let orgId: string;
  try {
    orgId = (await api.currentOrg()).id;
  } catch (err) {
    if (isRejectedCredential(err)) throw rejected(apiUrl, env, err);
    throw err;
  }
  const orgName = await readOrgName(ctx, api, `; the profile shows the org id ${orgId}`);
  return { orgId, orgName };
}

function rejected(apiUrl: string, env: ApiEnvironment | undefined, cause: unknown): AppError {
  const others = (Object.keys(API_URLS) as ApiEnvironment[]).filter((e) => e !== env).map((e) => `--env ${e}`);
  const tryThese = `${others.slice(0, -1).join(', ')} or ${others[others.length - 1]}`;
  return new AppError(
    'UNAUTHENTICATED',
    `the API at ${apiUrl} rejected the token (HTTP 401): it is revoked, expired, or from another environment`,
    {
      status: 401,
      cause,
      hint: `a token works only in the environment that issued it: try ${tryThese} (or --api-url <url>); --no-validate saves it unchecked`,
    },
  );
}
