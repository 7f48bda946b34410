// What the bulk deletes share (`token delete`, `token prune`, `streaming token delete`): the contract's per-item
// report and the one rule for how the command ends. The words stay with each verb; the rule lives here.
import type { Settled } from './concurrency.js';
import { AppError, describeError, InterruptedError, PartialError } from './errors.js';

/** One report item: `{"<key>": id, "deleted": true|false, "reason"?}`, the key being `clientId` or `tokenId`. */
export type BulkReport<K extends string> = { [P in K]: string } & { deleted: boolean; reason?: string };

/** An item whose delete failed, with why. */
export interface BulkFailure {
  id: string;
  error: unknown;
}

export interface ReportRules {
  /** The reason of an item that was never tried (Ctrl-C came first); it is how the outcome counts them. */
  notTried: string;
  /** The reason of an item whose delete failed, and whether that counts as a failure (a vanished item may not). */
  rejected(error: unknown): { reason: string; failure: boolean };
}

/** The report items (in the order settled) and the failures among them. */
export function bulkReports<K extends string>(
  key: K,
  settled: ReadonlyArray<Settled<string, unknown>>,
  rules: ReportRules,
): { reports: Map<string, BulkReport<K>>; failures: BulkFailure[] } {
  const item = (id: string, deleted: boolean, reason?: string) =>
    (reason === undefined ? { [key]: id, deleted } : { [key]: id, deleted, reason }) as BulkReport<K>;
  const reports = new Map<string, BulkReport<K>>();
  const failures: BulkFailure[] = [];
  for (const s of settled) {
    if (s.status === 'fulfilled') {
      reports.set(s.item, item(s.item, true));
    } else if (s.status === 'skipped') {
      reports.set(s.item, item(s.item, false, rules.notTried));
    } else {
      const { reason, failure } = rules.rejected(s.reason);
      reports.set(s.item, item(s.item, false, reason));
      if (failure) failures.push({ id: s.item, error: s.reason });
    }
  }
  return { reports, failures };
}

/**
 * How a bulk delete ended: interrupted when some items were never tried; complete when nothing failed; one cause
 * when nothing was done and every failure had the same error code (e.g. a missing permission); partial otherwise.
 */
export type BulkOutcome =
  | { kind: 'complete' }
  | { kind: 'interrupted'; notTried: string[]; total: number; done: number; failures: BulkFailure[] }
  | { kind: 'one-cause'; cause: unknown; failures: BulkFailure[] }
  | { kind: 'partial'; done: number; failures: BulkFailure[] };

export function bulkOutcome<K extends string>(
  key: K,
  reports: ReadonlyArray<BulkReport<K>>,
  failures: readonly BulkFailure[],
  /** The reasons of items Ctrl-C left undone (never tried, or tried and left without an answer). */
  interruptedReasons: string | readonly string[],
): BulkOutcome {
  const interrupted = new Set<string | undefined>(typeof interruptedReasons === 'string' ? [interruptedReasons] : interruptedReasons);
  const done = reports.filter((r) => r.deleted).length;
  const notTried = reports.filter((r) => interrupted.has(r.reason)).map((r) => r[key] as string);
  if (notTried.length) return { kind: 'interrupted', notTried, total: reports.length, done, failures: [...failures] };
  if (failures.length === 0) return { kind: 'complete' };
  const first = failures[0]!.error;
  const code = describeError(first);
  if (done === 0 && !code.unexpected && failures.every((f) => describeError(f.error).code === code.code)) {
    return { kind: 'one-cause', cause: first, failures: [...failures] };
  }
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
    case 'one-cause':
    {
      const cause = describeError(outcome.cause);
      return new AppError(cause.code, words.oneCause(outcome), { status: cause.status, hint: cause.hint, cause: outcome.cause });
    }
    case 'partial':
      return new PartialError(words.partial(outcome));
  }
}
