// What every `streaming token` verb shares: checking --tenant/--cluster, choosing the streaming host, learning the org
// id once (`/v2/currentOrg`), building the client, and turning the service's answers into messages that say which
// tenant, cluster or token was not found and what to do.
import { DEFAULT_STREAMING_API_URL, createStreamingClient, type PulsarTokenClaims, type StreamingClient } from '../../api/streaming.js';
import { API_URLS, checkApiUrl, type Credential } from '../../config/credentials.js';
import { isLoopback } from '../../domain/loopback.js';
import type { Context } from '../../context.js';
import {
  AppError,
  UsageError,
  answerDetail,
  isConflict,
  isErrorAnswer,
  isMissingPermission,
  isNotFound,
  isRejectedCredential,
  withHint,
} from '../../errors.js';
import { printable } from '../../text/terminal.js';
import { looksLikeAstraClientId, looksLikeJwt } from '../../domain/token-format.js';
import type { OptionsOf } from '../verb.js';
import type { StreamingVerbs } from './register.js';

/**
 * What every streaming verb receives: --tenant and --cluster (see withTarget; else ASTRA_STREAMING_TENANT/CLUSTER,
 * else the profile's streamingTenant/streamingCluster), the noun's --streaming-api-url.
 */
export type StreamingOptions = OptionsOf<StreamingVerbs['get']>;

export interface StreamingTarget {
  tenant: string;
  cluster: string;
}

// Pulsar tenant and cluster names: letters, digits, `-`, `_`, `.`; never a path separator.
const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/;

/**
 * The tenant and cluster: the flag, else ASTRA_STREAMING_TENANT/CLUSTER, else the active profile's defaults (a local
 * read: no request is made here). Exit 2 when one is nowhere to be found.
 */
export async function streamingTarget(ctx: Context, options: Pick<StreamingOptions, 'tenant' | 'cluster'>): Promise<StreamingTarget> {
  // Flags are checked first, before the credential is even looked at.
  if (options.tenant !== undefined && options.cluster !== undefined)
    return checkTarget({ tenant: options.tenant, cluster: options.cluster });
  const env = (name: string) => ctx.env[name] || undefined;
  let profile: Credential['profile'];
  const fromProfile = async () => (profile ??= (await ctx.credential()).profile);
  const pick = async (flag: 'tenant' | 'cluster', envName: string, key: 'streamingTenant' | 'streamingCluster') => {
    const value = options[flag] ?? env(envName) ?? (await fromProfile())?.[key];
    if (value === undefined) {
      throw new UsageError(
        `--${flag} is required: pass it, set ${envName}, or save it in the profile (org add <name> --streaming-${flag} <name>)`,
      );
    }
    return value;
  };
  return checkTarget({
    tenant: await pick('tenant', 'ASTRA_STREAMING_TENANT', 'streamingTenant'),
    cluster: await pick('cluster', 'ASTRA_STREAMING_CLUSTER', 'streamingCluster'),
  });
}

/** Checks the tenant and cluster before any request; explains the usual mix-ups (a URL, a token). */
export function checkTarget(options: { tenant: string; cluster: string }): StreamingTarget {
  return { tenant: checkTenant(options.tenant, '--tenant'), cluster: checkCluster(options.cluster, '--cluster') };
}

/** A streaming tenant name, trimmed; `flag` names where it came from in the message. */
export function checkTenant(value: string, flag: string): string {
  const tenant = value.trim();
  if (looksLikeJwt(tenant)) throw jwtGiven(flag);
  if (!NAME.test(tenant)) {
    throw new UsageError(`${flag}: '${printable(tenant)}' is not a streaming tenant name (letters, digits, '-', '_', '.')`);
  }
  return tenant;
}

/** A Pulsar cluster name, trimmed; `flag` names where it came from in the message. */
export function checkCluster(value: string, flag: string): string {
  const cluster = value.trim();
  if (looksLikeJwt(cluster)) throw jwtGiven(flag);
  if (/^[a-z]+:\/\//i.test(cluster)) {
    throw new UsageError(`${flag} takes the tenant's Pulsar cluster name (e.g. pulsar-gcp-useast4), not a URL`, {
      hint: 'the streaming API host is set with --streaming-api-url',
    });
  }
  if (!NAME.test(cluster)) {
    throw new UsageError(`${flag}: '${printable(cluster)}' is not a Pulsar cluster name such as pulsar-gcp-useast4`);
  }
  return cluster;
}

const jwtGiven = (flag: string) => new UsageError(`${flag}: that is a Pulsar JWT, not a name; keep tokens off the command line`);

/** Checks token-id arguments before any request: a pasted JWT is a secret in argv and not an id. */
export function checkTokenIds(ids: readonly string[]): string[] {
  const clean = ids.map((id) => id.trim());
  if (clean.some(looksLikeJwt)) {
    throw new UsageError('that is a Pulsar JWT itself, not a token id; keep tokens off the command line (they end up in shell history)', {
      hint: "'astra-token streaming token list --tenant <t> --cluster <c>' shows the token ids",
    });
  }
  const empty = clean.findIndex((id) => id === '');
  if (empty >= 0) throw new UsageError('a token id must not be empty');
  return [...new Set(clean)];
}

/**
 * The streaming host: `--streaming-api-url`, else ASTRA_STREAMING_API_URL, else the profile's `streamingApiUrl`,
 * else (when the DevOps API is a loopback emulator, which serves both) the DevOps API URL, else the public host.
 */
export function streamingApiUrl(ctx: Context, options: Pick<StreamingOptions, 'streamingApiUrl'>, cred: Credential): string {
  if (options.streamingApiUrl !== undefined) return checkApiUrl(options.streamingApiUrl, '--streaming-api-url');
  const fromEnv = ctx.env.ASTRA_STREAMING_API_URL;
  if (fromEnv) return checkApiUrl(fromEnv, 'ASTRA_STREAMING_API_URL');
  const fromProfile = cred.profile?.streamingApiUrl;
  if (fromProfile) return checkApiUrl(fromProfile, `the streaming API URL of profile '${printable(cred.profile!.name)}'`);
  let devopsHost: string | undefined;
  try {
    devopsHost = new URL(cred.apiUrl).hostname;
  } catch {
    devopsHost = undefined;
  }
  if (devopsHost !== undefined && isLoopback(devopsHost)) return cred.apiUrl;
  if (cred.apiUrl !== API_URLS.prod) {
    ctx.io.warn(
      `the DevOps API is ${cred.apiUrl}, but the streaming API defaults to ${DEFAULT_STREAMING_API_URL} (production); set --streaming-api-url or ASTRA_STREAMING_API_URL for another environment`,
    );
  }
  return DEFAULT_STREAMING_API_URL;
}

export class StreamingSession {
  private constructor(
    readonly client: StreamingClient,
    readonly target: StreamingTarget,
    readonly orgId: string,
  ) {}

  /** Resolves the credential and host, asks the DevOps API for the org id (once), and builds the client. */
  static async open(ctx: Context, options: StreamingOptions, target: StreamingTarget): Promise<StreamingSession> {
    const cred = await ctx.credential();
    const baseUrl = streamingApiUrl(ctx, options, cred);
    const org = await (await ctx.api()).currentOrg();
    ctx.debug(`streaming API ${baseUrl}, org ${org.id}, cluster ${target.cluster}`);
    const client = createStreamingClient({ ...ctx.apiSettings(baseUrl, cred.token), orgId: org.id, cluster: target.cluster });
    return new StreamingSession(client, target, org.id);
  }

  /** `tenant 'x' on cluster y`, for messages. */
  get where(): string {
    return `tenant '${this.target.tenant}' on cluster ${this.target.cluster}`;
  }

  /** The `--tenant t --cluster c` part of a suggested command. */
  get flags(): string {
    return `--tenant ${this.target.tenant} --cluster ${this.target.cluster}`;
  }

  async listTokens(): Promise<PulsarTokenClaims[]> {
    return this.client.listTokens(this.target.tenant).catch((err: unknown) => {
      throw this.explain(err);
    });
  }

  /** Lists the tenant's tokens (a 404 there names the tenant) and fails naming every id that is not among them. */
  async requireTokens(ids: readonly string[]): Promise<PulsarTokenClaims[]> {
    const tokens = await this.listTokens();
    const missing = ids.filter((id) => !tokens.some((t) => t.tokenId === id));
    if (missing.length > 0) throw this.tokenNotFound(missing);
    return ids.map((id) => tokens.find((t) => t.tokenId === id)!);
  }

  tokenNotFound(ids: readonly string[]): AppError {
    const list = ids.map((id) => `'${printable(id)}'`).join(', ');
    const astraLike = ids.some(looksLikeAstraClientId);
    return new AppError('NOT_FOUND', `no token ${list} in streaming ${this.where}`, {
      status: 404,
      hint: astraLike
        ? `that looks like the client id of an Astra application token; those are managed with 'astra-token token list' and 'astra-token token delete'`
        : `'astra-token streaming token list ${this.flags}' shows the token ids`,
    });
  }

  /** The service's errors, said in terms of this tenant; `tokenId` when the call addressed one token. */
  explain(err: unknown, tokenId?: string): unknown {
    if (!isErrorAnswer(err)) return err;
    if (isNotFound(err)) {
      // The list call proved the tenant exists before any call that names a token.
      if (tokenId !== undefined) return this.tokenNotFound([tokenId]);
      return new AppError('NOT_FOUND', `no streaming ${this.where} in org ${this.orgId}`, {
        status: 404,
        hint: "check --tenant and --cluster: the cluster is the tenant's Pulsar cluster (e.g. pulsar-gcp-useast4), shown with the tenant in the Astra portal",
      });
    }
    if (isConflict(err)) {
      return new AppError('CONFLICT', `cannot create a token in streaming ${this.where}: ${answerDetail(err) || 'conflict'}`, {
        status: 409,
        hint: `delete tokens it no longer needs: 'astra-token streaming token list ${this.flags}', then 'astra-token streaming token delete <tokenId> ${this.flags}'`,
      });
    }
    if (isRejectedCredential(err)) {
      return withHint(
        err,
        `the DevOps API accepted the Astra token but the streaming API at ${this.client.baseUrl} did not; is it the streaming host of the same Astra environment (--streaming-api-url)?`,
      );
    }
    if (isMissingPermission(err)) {
      return withHint(
        err,
        'managing streaming tokens needs a role that may manage streaming (org-stream-manage, e.g. Organization Administrator)',
      );
    }
    return err;
  }
}
