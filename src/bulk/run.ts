// The one engine of the bulk deletes (`token delete`, `token prune`, `streaming token delete`): runs the deletes
// concurrently with the command's own credential last, builds the contract's per-item report, prints it with --json,
// and ends with the outcome's error. Each verb passes in its key, its delete function and all of its words.
import type { Context } from '../context.js';
import { isInterrupted } from '../errors.js';
import { renderResult } from '../output/result.js';
import {
  bulkOutcome,
  outcomeError,
  type BulkFailure,
  type BulkOutcome,
  type BulkReport,
  type InterruptReasons,
  type OutcomeWords,
} from './outcome.js';
import { mapPool } from './pool.js';
import { Progress } from './progress.js';

export interface BulkJob<K extends string> {
  /** The report's id key: `clientId` or `tokenId`. */
  key: K;
  /** Every id of the report, in the report's order: the ones to delete and the ones `decided` beforehand. */
  order: readonly string[];
  /** Items settled without a request (a missing id with --if-exists, the command's own token kept). */
  decided?: ReadonlyArray<BulkReport<K>>;
  /** The ids to delete. `last` (the command's own credential), when among them, goes after all others, alone. */
  targets: readonly string[];
  last?: string | null;
  remove(id: string): Promise<unknown>;
  concurrency: number;
  /** With a label (`revoking`) a progress line is drawn on stderr when it is a terminal. */
  progress?: string;
  /** The reasons of the items Ctrl-C left undone: never tried, or sent without an answer. */
  interrupted: InterruptReasons;
  /** A failed delete's reason, and whether it counts as a failure (an item already gone may not). */
  rejected(error: unknown): { reason: string; failure: boolean };
  words: OutcomeWords;
  /**
   * The verb's stderr lines for the report; called with and without --json, after the progress line is cleared. The
   * items Ctrl-C left never started are not in it: one line after the verb's says how many (--json keeps each).
   */
  print(report: ReadonlyArray<BulkReport<K>>, outcome: BulkOutcome): void;
  /** `print` is skipped with --json: the report on stdout says it all. */
  silentWithJson?: boolean;
}

/**
 * Runs the job. Once it is called an item may be touched, so with --json stdout gets the per-item report whatever the
 * exit code (the contract's bulk rule); everything that can fail before that is the verb's, and leaves stdout empty.
 * Ctrl-C: no new delete starts; one on the wire gets the transport's grace, and when its answer never comes it is
 * reported with the `unknown` reason. Throws the outcome's error (130, the shared cause's code, or 8).
 */
export async function runBulk<K extends string>(ctx: Context, job: BulkJob<K>): Promise<ReadonlyArray<BulkReport<K>>> {
  const item = (id: string, deleted: boolean, reason?: string) =>
    (reason === undefined ? { [job.key]: id, deleted } : { [job.key]: id, deleted, reason }) as BulkReport<K>;
  const reports = new Map<string, BulkReport<K>>();
  const failures: BulkFailure[] = [];

  const progress = job.progress === undefined ? undefined : new Progress(ctx.io, job.progress, job.targets.length);
  const work = async (id: string) => {
    try {
      await job.remove(id);
      reports.set(id, item(id, true));
      progress?.settled(true);
    } catch (error) {
      if (isInterrupted(error)) {
        reports.set(id, item(id, false, error.outcomeUnknown ? job.interrupted.unknown : job.interrupted.notTried));
        progress?.settled(false);
        return;
      }
      const { reason, failure } = job.rejected(error);
      reports.set(id, item(id, false, reason));
      if (failure) failures.push({ id, error });
      progress?.settled(!failure);
    }
  };
  const last = job.last ?? null;
  const others = job.targets.filter((id) => id !== last);
  const runOrder = others.length < job.targets.length ? [...others, last!] : others;
  const pool = { concurrency: job.concurrency, signal: ctx.signal };
  await mapPool(others, work, pool);
  if (runOrder.length > others.length) await mapPool([last!], work, { ...pool, concurrency: 1 });
  progress?.clear();

  for (const r of job.decided ?? []) reports.set(r[job.key], r);
  const report = job.order.map((id) => reports.get(id) ?? item(id, false, job.interrupted.notTried));
  // Failures in the order the deletes were started, whichever answered first.
  const position = new Map(runOrder.map((id, i) => [id, i]));
  failures.sort((a, b) => position.get(a.id)! - position.get(b.id)!);
  const outcome = bulkOutcome(job.key, report, failures, job.interrupted);

  const notStarted = report.filter((r) => r.reason === job.interrupted.notTried).length;
  const started = notStarted ? report.filter((r) => r.reason !== job.interrupted.notTried) : report;
  const print = () => {
    job.print(started, outcome);
    if (notStarted) ctx.io.errWrite(`${ctx.io.errColor.dim('-')} ${notStarted} not started (interrupted)\n`);
  };
  renderResult(ctx, { json: report, print: job.silentWithJson ? print : undefined });
  if (!job.silentWithJson) print();
  const error = outcomeError(outcome, job.words);
  if (error) throw error;
  return report;
}
