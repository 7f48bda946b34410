// How a freshly created token leaves the tool (shared by `token create` and `token rotate`): the token alone on
// stdout, or the contract's JSON object, or a 0600 file; always with the reminder that it is shown only once.
import type { CreateTokenRequest } from '../../api/client.js';
import type { CreatedToken, Role } from '../../api/schemas.js';
import type { Context } from '../../context.js';
import { AppError, printable } from '../../errors.js';
import { checkNewFile, PrivateFile } from '../../output/private-file.js';
import { writeJson } from '../../output/render.js';
import { roleRefs } from '../../resolve-roles.js';
import { describeExpiry, type RoleRef } from './token-view.js';

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

const ONCE_WARNING = 'store this token now: it is shown only once and cannot be retrieved again';

/**
 * The create response may omit description and expiry (and roles, and the org): what was asked for fills them in.
 * Instants are normalised the way `token list` prints them, so the two outputs agree.
 */
export function newTokenJson(created: CreatedToken, request: CreateTokenRequest, roles: readonly Role[]): NewTokenJson {
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
 * there. `reserve()` creates the file right before the create call, so the secret always has a place to land;
 * `abandon()` removes it again when the call fails.
 */
export class NewTokenOutput {
  private file: PrivateFile | undefined;

  private constructor(
    private readonly ctx: Context,
    readonly path: string | undefined,
  ) {}

  static async prepare(ctx: Context, outputFile: string | undefined): Promise<NewTokenOutput> {
    if (outputFile !== undefined) await checkNewFile(outputFile, '--output-file');
    return new NewTokenOutput(ctx, outputFile);
  }

  async reserve(): Promise<void> {
    if (this.path !== undefined && !this.file) this.file = await PrivateFile.create(this.path, '--output-file');
  }

  async abandon(): Promise<void> {
    await this.file?.discard();
    this.file = undefined;
  }

  /**
   * Without a file: the token alone on one line (or the JSON object) on stdout. With a file: the token (or the JSON
   * object) goes to the file, and stdout gets no secret: the client id alone, or with `--json` the object without
   * `token` and `secret` plus `"outputFile"`.
   */
  async deliver(token: NewTokenJson): Promise<void> {
    const { io, output } = this.ctx;
    const json = output === 'json';
    const summary = this.summary(token);
    if (!this.file) {
      if (json) writeJson(io, token);
      else io.out.write(token.token + '\n');
      io.info(summary);
      io.warn(ONCE_WARNING);
      return;
    }
    const file = this.file;
    this.file = undefined;
    try {
      await file.write(json ? JSON.stringify(token, null, 2) + '\n' : token.token + '\n');
    } catch (err) {
      throw new AppError('INTERNAL', `token ${token.clientId} was created, but writing it to ${printable(file.path, 200)} failed: ${(err as Error).message}`, {
        hint: `revoke it with 'astra-token token delete ${token.clientId} --yes' and try again`,
        cause: err,
      });
    }
    if (json) {
      const { token: _token, secret: _secret, ...rest } = token;
      writeJson(io, { ...rest, outputFile: file.path });
    } else {
      io.out.write(token.clientId + '\n');
    }
    io.info(`${summary}; written to ${file.path} (mode 0600)`);
  }

  private summary(token: NewTokenJson): string {
    const roles = token.roles.map((r) => r.name).join(', ') || '(none)';
    const expiry = token.expiresAt ? `expires ${describeExpiry(token.expiresAt, this.ctx.now())}` : 'never expires';
    return `created token ${token.clientId} (roles: ${roles}; ${expiry})`;
  }
}
