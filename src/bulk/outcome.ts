// How a bulk delete ends: the contract's per-item report and the one rule that turns it into an exit code. The words
// of the messages stay with each verb (OutcomeWords); the rule lives here.
import { AppError, describeError, InterruptedError, PartialError } from '../errors.js';

/** One report item: `{"<key>": id, "deleted": true|false, "reason"?}`, the key being `clientId` or `tokenId`. */
export type BulkReport<K extends string> = { [P in K]: string } & { deleted: boolean; reason?: string };

/** An item whose delete failed, with why. */
export interface BulkFailure {
  id: string;
  error: unknown;
}

/**
 * Interrupted when Ctrl-C left items undone (never tried, or tried with no answer); complete when nothing failed; one
 * cause when nothing was done and every failure had the same error code (e.g. a missing permission); partial
 * otherwise.
 */
export type BulkOutcome =
  | { kind: 'complete' }
  | { kind: 'interrupted'; notTried: string[]; unknown: string[]; total: number; done: number; failures: BulkFailure[] }
  | { kind: 'one-cause'; cause: unknown; failures: BulkFailure[] }
  | { kind: 'partial'; done: number; failures: BulkFailure[] };

/** The reasons that mark the items Ctrl-C left undone. */
export interface InterruptReasons {
  /** Never tried: no request was sent for it. */
  notTried: string;
  /** Its request was sent and got no answer: it may or may not have taken effect. */
  unknown: string;
}

export function bulkOutcome<K extends string>(
  key: K,
  reports: ReadonlyArray<BulkReport<K>>,
  failures: readonly BulkFailure[],
  reasons: InterruptReasons,
): BulkOutcome {
  const done = reports.filter((r) => r.deleted).length;
  const withReason = (reason: string) => reports.filter((r) => r.reason === reason).map((r) => r[key] as string);
  const notTried = withReason(reasons.notTried);
  const unknown = withReason(reasons.unknown);
  if (notTried.length || unknown.length)
    return { kind: 'interrupted', notTried, unknown, total: reports.length, done, failures: [...failures] };
  if (failures.length === 0) return { kind: 'complete' };
  const first = describeError(failures[0]!.error);
  const sameCause = failures.every((f) => {
    const d = describeError(f.error);
    return !d.unexpected && d.code === first.code;
  });
  if (done === 0 && sameCause) return { kind: 'one-cause', cause: failures[0]!.error, failures: [...failures] };
  return { kind: 'partial', done, failures: [...failures] };
}

/** Each verb's words for the outcome's error messages. */
export interface OutcomeWords {
  interrupted(o: Extract<BulkOutcome, { kind: 'interrupted' }>): string;
  /** The message for one shared cause; the error keeps that cause's code, status and hint. */
  oneCause(o: Extract<BulkOutcome, { kind: 'one-cause' }>): string;
  partial(o: Extract<BulkOutcome, { kind: 'partial' }>): string;
}

/** The error a bulk delete ends with (130, the shared cause's code, or 8), or undefined when it completed. */
export function outcomeError(outcome: BulkOutcome, words: OutcomeWords): AppError | undefined {
  switch (outcome.kind) {
    case 'complete':
      return undefined;
    case 'interrupted':
      return new InterruptedError(words.interrupted(outcome));
    case 'one-cause': {
      const report = describeError(outcome.cause);
      return new AppError(report.code, words.oneCause(outcome), { status: report.status, hint: report.hint, cause: outcome.cause });
    }
    case 'partial':
      return new PartialError(words.partial(outcome));
  }
}
