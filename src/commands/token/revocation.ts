// What the verbs that revoke tokens in bulk share (delete, prune): running the deletes concurrently with the
// command's own token last, the per-token report, printing it, and the words of the outcome (whose rule, shared with
// `streaming token delete`, is in bulk-outcome).
import type { DevOpsClient } from '../../api/client.js';
import { bulkOutcome, bulkReports, outcomeError, type BulkFailure, type BulkReport } from '../../bulk-outcome.js';
import { mapPool, type Settled } from '../../concurrency.js';
import type { Context } from '../../context.js';
import { AppError, InterruptedError, printable, isStatus } from '../../errors.js';
import { closestNames } from '../../suggest.js';
import { countTokens } from './confirm.js';
import { terminalSafe } from '../../terminal-text.js';

/** The contract's `token delete` / `token prune` report item. */
export type DeleteReport = BulkReport<'clientId'>;

export const INTERRUPTED_REASON = 'interrupted';
/** A revoke sent before Ctrl-C whose answer never came: it may or may not have happened. */
export const UNKNOWN_OUTCOME_REASON = 'interrupted: outcome unknown, check with token list';
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
      opts.onSettled?.(isStatus(err, 404));
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
): { reports: Map<string, DeleteReport>; failures: BulkFailure[] } {
  return bulkReports('clientId', settled, {
    notTried: INTERRUPTED_REASON,
    rejected: (err) => {
      // Ctrl-C: the run is interrupted, not failed; a revoke left unanswered says so.
      if (err instanceof InterruptedError) return { reason: err.outcomeUnknown ? UNKNOWN_OUTCOME_REASON : INTERRUPTED_REASON, failure: false };
      const vanished = isStatus(err, 404);
      return { reason: vanished ? NOT_FOUND_REASON : reasonOf(err), failure: !vanished || vanishedIsFailure };
    },
  });
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
    else if (note !== undefined) io.info(`${errColor.dim('-')} ${terminalSafe(r.clientId)}: ${terminalSafe(note)}`);
    else io.err.write(`${errColor.red('✗')} ${terminalSafe(r.clientId)}: ${terminalSafe(r.reason ?? 'not revoked')}\n`);
  }
}

/**
 * The error a bulk revoke ends with, if any (the rule is bulkOutcome's): interrupted (130), the shared cause's code
 * when nothing was revoked, partial (8), or nothing. At most `maxNamed` failures are named in the message.
 */
export function revokeOutcomeError(
  reports: readonly DeleteReport[],
  failures: readonly BulkFailure[],
  maxNamed = Infinity,
): AppError | undefined {
  const named = (fs: readonly BulkFailure[]) =>
    fs.length <= maxNamed ? fs.map((f) => `${f.id} (${reasonOf(f.error)})`).join(', ') : `${fs.length} (listed above)`;
  const unknown = new Set(reports.filter((r) => r.reason === UNKNOWN_OUTCOME_REASON).map((r) => r.clientId));
  return outcomeError(bulkOutcome('clientId', reports, failures, [INTERRUPTED_REASON, UNKNOWN_OUTCOME_REASON]), {
    interrupted: ({ notTried }) => {
      const listed = (ids: readonly string[]) => (ids.length <= 10 ? ` (${ids.join(', ')})` : '');
      const skipped = notTried.filter((id) => !unknown.has(id));
      const parts = [];
      if (skipped.length) parts.push(`${countTokens(skipped.length)} not revoked${listed(skipped)}`);
      if (unknown.size) parts.push(`${countTokens(unknown.size)} with no answer to the revoke${listed([...unknown])}, check with 'astra-token token list'`);
      return `interrupted: ${parts.join('; ')}`;
    },
    oneCause: ({ failures: fs }) => `could not revoke ${named(fs)}`,
    partial: ({ done, failures: fs }) => `revoked ${done} of ${countTokens(done + fs.length)}; failed: ${named(fs)}`,
  });
}

/** Exit 5 for client ids the org does not have, with the closest existing id when exactly one was asked for. */
export function tokensNotFound(missing: readonly string[], existing: readonly string[], consequence: string, otherwise: string): AppError {
  const close = missing.length === 1 ? closestNames(missing[0]!, existing, 1) : [];
  const what = missing.map((id) => printable(id)).join(', ');
  return new AppError('NOT_FOUND', `no token with client id ${what} in this org; ${consequence}`, {
    hint: close.length ? `did you mean ${close[0]}? (client ids are case-sensitive)` : otherwise,
  });
}

export function reasonOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
