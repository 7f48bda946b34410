// What the verbs that revoke tokens in bulk share (delete, prune): the words of the per-token report and of the
// outcome, and the revoke itself. The running, the report and the exit rule are the bulk engine's (src/bulk).
import type { DevOpsClient } from '../../api/client.js';
import type { BulkJob } from '../../bulk/run.js';
import type { BulkFailure, BulkReport, OutcomeWords } from '../../bulk/outcome.js';
import type { Context } from '../../context.js';
import { AppError, isNotFound } from '../../errors.js';
import { closestNames } from '../../domain/suggest.js';
import { countTokens } from './revoke-guards.js';
import { printable, terminalSafe } from '../../text/terminal.js';

/** The contract's `token delete` / `token prune` report item. */
export type DeleteReport = BulkReport<'clientId'>;

export const INTERRUPTED_REASON = 'interrupted';
/** A revoke sent before Ctrl-C whose answer never came: it may or may not have happened. */
export const UNKNOWN_OUTCOME_REASON = 'interrupted: outcome unknown, check with token list';
export const NOT_FOUND_REASON = 'not found';

/**
 * The part of a bulk revoke the token verbs share: revoke by client id, and the words. A token that vanished between
 * the list and the delete (404) is reported as not found; it is a failure only when `vanishedIsFailure`. At most
 * `maxNamed` failures are named in the final error message.
 */
export function revokeJob(
  api: DevOpsClient,
  vanishedIsFailure: boolean,
  maxNamed = Infinity,
): Pick<BulkJob<'clientId'>, 'key' | 'remove' | 'interrupted' | 'rejected' | 'words'> {
  return {
    key: 'clientId',
    remove: (id) => api.deleteToken(id),
    interrupted: { notTried: INTERRUPTED_REASON, unknown: UNKNOWN_OUTCOME_REASON },
    rejected: (err) => {
      const vanished = isNotFound(err);
      return { reason: vanished ? NOT_FOUND_REASON : reasonOf(err), failure: !vanished || vanishedIsFailure };
    },
    words: revokeWords(maxNamed),
  };
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
    if (r.deleted) io.success(`revoked ${r.clientId}`);
    else if (note !== undefined) io.info(`${errColor.dim('-')} ${terminalSafe(r.clientId)}: ${terminalSafe(note)}`);
    else io.err.write(`${errColor.red('✗')} ${terminalSafe(r.clientId)}: ${terminalSafe(r.reason ?? 'not revoked')}\n`);
  }
}

/** The words of a bulk revoke's outcome: interrupted (130), the shared cause when nothing was revoked, partial (8). */
function revokeWords(maxNamed: number): OutcomeWords {
  const named = (fs: readonly BulkFailure[]) =>
    fs.length <= maxNamed ? fs.map((f) => `${f.id} (${reasonOf(f.error)})`).join(', ') : `${fs.length} (listed above)`;
  const listed = (ids: readonly string[]) => (ids.length <= 10 ? ` (${ids.join(', ')})` : '');
  return {
    interrupted: ({ notTried, unknown }) => {
      const parts = [];
      if (notTried.length) parts.push(`${countTokens(notTried.length)} not revoked${listed(notTried)}`);
      if (unknown.length)
        parts.push(`${countTokens(unknown.length)} with no answer to the revoke${listed(unknown)}, check with 'astra-token token list'`);
      return `interrupted: ${parts.join('; ')}`;
    },
    oneCause: ({ failures: fs }) => `could not revoke ${named(fs)}`,
    partial: ({ done, failures: fs }) => `revoked ${done} of ${countTokens(done + fs.length)}; failed: ${named(fs)}`,
  };
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
