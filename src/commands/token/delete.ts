import type { Role } from '../../api/schemas.js';
import { mapPool } from '../../concurrency.js';
import type { Context, GlobalOptions } from '../../context.js';
import { AppError, InterruptedError, NotFoundError, PartialError, UsageError, printable } from '../../errors.js';
import { renderList, writeJson } from '../../output/render.js';
import { closestNames } from '../../suggest.js';
import { inspectTokenShape } from '../../token-format.js';
import { newestFirst, tokenColumns, toTokenView, type TokenView } from './token-view.js';

export interface TokenDeleteOptions extends GlobalOptions {
  yes?: boolean;
  ifExists?: boolean;
  force?: boolean;
  dryRun?: boolean;
}

/** The contract's `token delete` / `token prune` report item. */
export interface DeleteReport {
  clientId: string;
  deleted: boolean;
  reason?: string;
}

const CONCURRENCY = 8;

export async function tokenDelete(ctx: Context, clientIds: string[], options: TokenDeleteOptions): Promise<void> {
  const ids = [...new Set(clientIds.map((id) => id.trim()))];
  if (ids.some((id) => id === '')) throw new UsageError('a client id must not be empty');

  // Local refusals first: they need no request and leave everything untouched.
  const self = inspectTokenShape((await ctx.credential()).token).clientId;
  if (self !== null && ids.includes(self) && !options.force) {
    throw new UsageError(`refusing to revoke ${self}: it is the token this command is authenticated with`, {
      hint: 'pass --force to revoke it anyway (this command then loses its access)',
    });
  }
  if (!options.dryRun && !options.yes && !ctx.io.canPrompt()) {
    throw new UsageError('revoking tokens needs confirmation: pass --yes (there is no terminal to ask on)');
  }

  const api = await ctx.api();
  // Role names only decorate the dry run and the prompt: a credential that may not read roles still deletes.
  const [infos, roles] = await Promise.all([api.listTokens(), api.listRoles().catch((): Role[] => [])]);
  const now = ctx.now();
  const known = new Map(infos.map((info) => [info.clientId, toTokenView(info, roles, now)]));
  const missing = ids.filter((id) => !known.has(id));
  if (missing.length && !options.ifExists) throw notFound(missing, [...known.keys()]);

  const missingReport = missing.map((clientId): DeleteReport => ({ clientId, deleted: false, reason: 'not found' }));
  const targets = ids.filter((id) => known.has(id)).map((id) => known.get(id)!);

  if (options.dryRun) {
    if (ctx.output === 'json') {
      const planned = new Map(targets.map((t) => [t.clientId, { clientId: t.clientId, deleted: false, reason: 'dry run' }]));
      return writeJson(ctx.io, ids.map((id) => planned.get(id) ?? missingReport.find((m) => m.clientId === id)!));
    }
    renderList(ctx, [...targets].sort(newestFirst), tokenColumns(ctx), null);
    for (const id of missing) ctx.io.info(`${printable(id)}: not found, nothing to revoke`);
    ctx.io.info(`dry run: ${count(targets.length)} would be revoked; nothing was changed`);
    return;
  }

  if (targets.length && !options.yes) await confirm(ctx, targets);

  // The command's own token (with --force) goes last: revoking it first would fail every call after it.
  const others = targets.filter((t) => t.clientId !== self);
  const settled = await mapPool(others, (t) => api.deleteToken(t.clientId), { concurrency: CONCURRENCY, signal: ctx.signal });
  const selfTarget = targets.find((t) => t.clientId === self);
  if (selfTarget) settled.push(...(await mapPool([selfTarget], (t) => api.deleteToken(t.clientId), { concurrency: 1, signal: ctx.signal })));

  const outcome = new Map<string, DeleteReport>(missingReport.map((r) => [r.clientId, r]));
  const failures: Array<{ clientId: string; error: unknown }> = [];
  for (const s of settled) {
    const clientId = s.item.clientId;
    if (s.status === 'fulfilled') {
      outcome.set(clientId, { clientId, deleted: true });
    } else if (s.status === 'skipped') {
      outcome.set(clientId, { clientId, deleted: false, reason: 'interrupted' });
    } else {
      const vanished = s.reason instanceof AppError && s.reason.code === 'NOT_FOUND';
      // Revoked by someone else between the list and the delete: with --if-exists that is fine.
      outcome.set(clientId, { clientId, deleted: false, reason: vanished ? 'not found' : reasonOf(s.reason) });
      if (!(vanished && options.ifExists)) failures.push({ clientId, error: s.reason });
    }
  }
  const report = ids.map((id) => outcome.get(id)!);

  if (ctx.output === 'json') {
    writeJson(ctx.io, report);
  } else {
    const { errColor } = ctx.io;
    for (const r of report) {
      if (r.deleted) ctx.io.info(`${errColor.green('✓')} revoked ${r.clientId}`);
      else if (r.reason === 'not found' && options.ifExists) ctx.io.info(`${errColor.dim('-')} ${r.clientId}: not found, nothing to revoke`);
      else ctx.io.err.write(`${errColor.red('✗')} ${r.clientId}: ${r.reason ?? 'not revoked'}\n`);
    }
  }

  const skipped = report.filter((r) => r.reason === 'interrupted');
  if (skipped.length) throw new InterruptedError(`interrupted: ${count(skipped.length)} not revoked (${skipped.map((r) => r.clientId).join(', ')})`);
  if (failures.length === 0) return;
  const revoked = report.filter((r) => r.deleted).length;
  const named = failures.map((f) => `${f.clientId} (${reasonOf(f.error)})`).join(', ');
  const first = failures[0]!.error;
  // Nothing revoked and one cause: report that cause with its own exit code (e.g. 4 for a missing permission).
  if (revoked === 0 && first instanceof AppError && failures.every((f) => f.error instanceof AppError && f.error.code === first.code)) {
    throw new AppError(first.code, `could not revoke ${named}`, { status: first.status, hint: first.hint });
  }
  throw new PartialError(`revoked ${revoked} of ${count(revoked + failures.length)}; failed: ${named}`);
}

async function confirm(ctx: Context, targets: readonly TokenView[]): Promise<void> {
  const { io } = ctx;
  io.err.write(`About to revoke ${count(targets.length)}; applications using ${targets.length === 1 ? 'it' : 'them'} lose access at once:\n`);
  for (const t of targets) {
    const roles = t.roles.map((r) => r.name).join(', ') || '(no roles)';
    const description = t.description ? ` "${printable(t.description)}"` : '';
    io.err.write(`  ${io.errColor.bold(t.clientId)}  ${roles}${description}\n`);
  }
  if (!(await io.confirm(targets.length === 1 ? 'Revoke this token?' : `Revoke these ${targets.length} tokens?`))) {
    throw new UsageError('not confirmed; nothing was revoked');
  }
}

function notFound(missing: readonly string[], existing: readonly string[]): NotFoundError {
  const close = missing.length === 1 ? closestNames(missing[0]!, existing, 1) : [];
  const what = missing.map((id) => printable(id)).join(', ');
  return new NotFoundError(`no token with client id ${what} in this org; nothing was revoked`, {
    hint: close.length
      ? `did you mean ${close[0]}? (client ids are case-sensitive)`
      : "see 'astra-token token list'; pass --if-exists to skip tokens that do not exist",
  });
}

function reasonOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function count(n: number): string {
  return `${n} token${n === 1 ? '' : 's'}`;
}
