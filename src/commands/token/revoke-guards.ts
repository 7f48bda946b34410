// The guards every destructive token verb shares (delete, prune, rotate): the prompt that shows what is about to go
// and the refusal to revoke the credential the command runs with. The confirmation rule itself is src/confirm.ts.
import { roleLabel } from '../../domain/resolve-roles.js';
import type { Context } from '../../context.js';
import { confirmOrStop, requireConsent } from '../../confirm.js';
import { UsageError } from '../../errors.js';
import { inspectTokenShape } from '../../domain/token-format.js';
import type { TokenView } from './token-view.js';
import { printable, terminalSafe } from '../../text/terminal.js';
import { cappedLines } from '../../output/capped-lines.js';

/** One token as the prompts show it: the client id in bold, its roles and its description. */
export function promptTokenLine(ctx: Context, t: TokenView): string {
  const roles = t.roles.map((r) => terminalSafe(roleLabel(r))).join(', ') || '(no roles)';
  const description = t.description ? ` "${printable(t.description)}"` : '';
  return `  ${ctx.io.errColor.bold(terminalSafe(t.clientId))}  ${roles}${description}`;
}

/** Lists the tokens about to be revoked (the first twenty, then a count) and asks; exit 2 unless confirmed. */
export async function confirmRevoke(ctx: Context, targets: readonly TokenView[]): Promise<void> {
  const { io } = ctx;
  io.err.write(
    `About to revoke ${countTokens(targets.length)}; applications using ${targets.length === 1 ? 'it' : 'them'} lose access at once:\n`,
  );
  for (const line of cappedLines(targets.map((t) => promptTokenLine(ctx, t)))) io.err.write(line + '\n');
  await confirmOrStop(
    ctx,
    targets.length === 1 ? 'Revoke this token?' : `Revoke these ${targets.length} tokens?`,
    'not confirmed; nothing was revoked',
  );
}

/** The client id of the token this command is authenticated with (null when it cannot be read). */
export async function selfClientId(ctx: Context): Promise<string | null> {
  return inspectTokenShape((await ctx.credential()).token).clientId;
}

export const SELF_REASON = 'it is the token this command is authenticated with';

/** `token delete`: naming the command's own token is refused (exit 2) unless --force. */
export function refuseSelfRevoke(self: string | null, ids: readonly string[], force: boolean | undefined): void {
  if (self !== null && ids.includes(self) && !force) {
    throw new UsageError(`refusing to revoke ${self}: ${SELF_REASON}`, {
      hint: 'pass --force to revoke it anyway (this command then loses its access)',
    });
  }
}

export function countTokens(n: number): string {
  return `${n} token${n === 1 ? '' : 's'}`;
}

/**
 * A client id as typed: letters only (Astra's are 24), nothing around them; a stray line break is refused rather
 * than trimmed away. A wrong length is left to the lookup, which suggests the closest existing id.
 */
export function requireClientId(raw: string): string {
  if (raw === '') throw new UsageError('a client id must not be empty');
  if (!/^[A-Za-z]{1,64}$/.test(raw)) {
    throw new UsageError(`'${printable(raw)}' is not a client id: a client id is 24 letters`, {
      hint: "see 'astra-token token list' for the client ids of this org",
    });
  }
  return raw;
}

export { confirmOrStop, requireConsent };
