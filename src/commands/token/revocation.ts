// What the verbs that revoke tokens in bulk share (delete, prune): running the deletes concurrently with the
// command's own token last, turning the outcome into the contract's per-token report, printing it, and the one rule
// for the exit code.
import type { DevOpsClient } from '../../api/client.js';
import { mapPool, type Settled } from '../../concurrency.js';
import type { Context } from '../../context.js';
import { AppError, InterruptedError, NotFoundError, PartialError, printable } from '../../errors.js';
import { closestNames } from '../../suggest.js';
import { countTokens } from './confirm.js';

/** The contract's `token delete` / `token prune` report item. */
export interface DeleteReport {
  clientId: string;
  deleted: boolean;
  reason?: string;
}

export interface RevokeFailure {
  clientId: string;
  error: unknown;
}

export const INTERRUPTED_REASON = 'interrupted';
export const NOT_FOUND_REASON = 'not found';

export interface RevokeOptions {
  concurrency: number;
  signal?: AbortSignal;
  /** After each token settles: false when its delete failed (a token that was already gone is not a failure). */
  onSettled?: (ok: boolean) => void;
}

/**
 * Revokes `clientIds` with at most `concurrency` requests at once. The command's own token (`self`, when it is among
 * them) goes last, alone: revoking it first would fail every call after it.
 */
export async function revokeTokens(
  api: DevOpsClient,
  clientIds: readonly string[],
  self: string | null,
  opts: RevokeOptions,
): Promise<Array<Settled<string, void>>> {
  const work = async (id: string) => {
    try {
      await api.deleteToken(id);
      opts.onSettled?.(true);
    } catch (err) {
      opts.onSettled?.(err instanceof AppError && err.code === 'NOT_FOUND');
      throw err;
    }
  };
  const others = clientIds.filter((id) => id !== self);
  const settled = await mapPool(others, work, { concurrency: opts.concurrency, signal: opts.signal });
  if (self !== null && clientIds.includes(self)) settled.push(...(await mapPool([self], work, { concurrency: 1, signal: opts.signal })));
  return settled;
}

/**
 * The report items for settled deletes, and the failures among them. A token that vanished between the list and the
 * delete (404) is reported as not found; it is a failure only when `vanishedIsFailure`.
 */
export function settleReports(
  settled: ReadonlyArray<Settled<string, void>>,
  vanishedIsFailure: boolean,
): { reports: Map<string, DeleteReport>; failures: RevokeFailure[] } {
  const reports = new Map<string, DeleteReport>();
  const failures: RevokeFailure[] = [];
  for (const s of settled) {
    const clientId = s.item;
    if (s.status === 'fulfilled') {
      reports.set(clientId, { clientId, deleted: true });
    } else if (s.status === 'skipped') {
      reports.set(clientId, { clientId, deleted: false, reason: INTERRUPTED_REASON });
    } else {
      const vanished = s.reason instanceof AppError && s.reason.code === 'NOT_FOUND';
      reports.set(clientId, { clientId, deleted: false, reason: vanished ? NOT_FOUND_REASON : reasonOf(s.reason) });
      if (!vanished || vanishedIsFailure) failures.push({ clientId, error: s.reason });
    }
  }
  return { reports, failures };
}

/**
 * One line per token on stderr: revoked, left alone on purpose (dim, with the text `skipNote` gives; suppressed by
 * --quiet), or failed (red, never suppressed).
 */
export function printReports(ctx: Context, reports: readonly DeleteReport[], skipNote: (r: DeleteReport) => string | undefined): void {
  const { io } = ctx;
  const { errColor } = io;
  for (const r of reports) {
    const note = r.deleted ? undefined : skipNote(r);
    if (r.deleted) io.info(`${errColor.green('✓')} revoked ${r.clientId}`);
    else if (note !== undefined) io.info(`${errColor.dim('-')} ${r.clientId}: ${note}`);
    else io.err.write(`${errColor.red('✗')} ${r.clientId}: ${r.reason ?? 'not revoked'}\n`);
  }
}

/**
 * The error a bulk revoke ends with, if any: interrupted (130) when some were never tried; nothing when nothing
 * failed; the shared cause's own code when nothing was revoked and every failure had that cause (e.g. 4 for a
 * missing permission); partial (8) otherwise. At most `maxNamed` failures are named in the message.
 */
export function revokeOutcomeError(
  reports: readonly DeleteReport[],
  failures: readonly RevokeFailure[],
  maxNamed = Infinity,
): AppError | undefined {
  const skipped = reports.filter((r) => r.reason === INTERRUPTED_REASON);
  if (skipped.length) {
    const listed = skipped.length <= 10 ? ` (${skipped.map((r) => r.clientId).join(', ')})` : '';
    return new InterruptedError(`interrupted: ${countTokens(skipped.length)} not revoked${listed}`);
  }
  if (failures.length === 0) return undefined;
  const revoked = reports.filter((r) => r.deleted).length;
  const named =
    failures.length <= maxNamed
      ? failures.map((f) => `${f.clientId} (${reasonOf(f.error)})`).join(', ')
      : `${failures.length} (listed above)`;
  const first = failures[0]!.error;
  if (revoked === 0 && first instanceof AppError && failures.every((f) => f.error instanceof AppError && f.error.code === first.code)) {
    return new AppError(first.code, `could not revoke ${named}`, { status: first.status, hint: first.hint });
  }
  return new PartialError(`revoked ${revoked} of ${countTokens(revoked + failures.length)}; failed: ${named}`);
}

/** Exit 5 for client ids the org does not have, with the closest existing id when exactly one was asked for. */
export function tokensNotFound(missing: readonly string[], existing: readonly string[], consequence: string, otherwise: string): NotFoundError {
  const close = missing.length === 1 ? closestNames(missing[0]!, existing, 1) : [];
  const what = missing.map((id) => printable(id)).join(', ');
  return new NotFoundError(`no token with client id ${what} in this org; ${consequence}`, {
    hint: close.length ? `did you mean ${close[0]}? (client ids are case-sensitive)` : otherwise,
  });
}

export function reasonOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
