import { bulkOutcome, bulkReports, outcomeError, type BulkReport } from '../../bulk-outcome.js';
import { mapPool } from '../../concurrency.js';
import { confirmOrStop, requireConsent } from '../../confirm.js';
import type { Context } from '../../context.js';
import { describeError } from '../../errors.js';
import { writeJson } from '../../output/render.js';
import { checkTarget, checkTokenIds, StreamingSession, type StreamingOptions } from './session.js';
import { terminalSafe } from '../../terminal-text.js';

export interface StreamingTokenDeleteOptions extends StreamingOptions {
  yes?: boolean;
}

const NOT_TRIED = 'interrupted before it was deleted';

export async function streamingTokenDelete(ctx: Context, tokenIds: string[], options: StreamingTokenDeleteOptions): Promise<void> {
  const target = checkTarget(options);
  const ids = checkTokenIds(tokenIds);
  const yes = options.yes === true;
  requireConsent(ctx, yes, 'streaming token delete');

  const session = await StreamingSession.open(ctx, options, target);
  // Every id must exist before anything is deleted: a typo in one of several ids deletes nothing.
  await session.requireTokens(ids);

  if (!yes) {
    const what = ids.length === 1 ? `token ${ids[0]}` : `${ids.length} tokens (${ids.join(', ')})`;
    await confirmOrStop(
      ctx,
      `Delete Pulsar ${what} of streaming ${session.where}? Clients using ${ids.length === 1 ? 'it' : 'them'} lose access.`,
      'nothing deleted: not confirmed',
    );
  }

  const settled = await mapPool(
    ids,
    (id) =>
      session.client.deleteToken(target.tenant, id).catch((err: unknown) => {
        throw session.explain(err, id);
      }),
    { concurrency: 4, signal: ctx.signal },
  );

  const { reports, failures } = bulkReports('tokenId', settled, {
    notTried: NOT_TRIED,
    rejected: (err) => ({ reason: describeError(err).message, failure: true }),
  });
  // The contract's `streaming token delete` items, in the order the ids were given.
  const report: Array<BulkReport<'tokenId'>> = [...reports.values()];
  const outcome = bulkOutcome('tokenId', report, failures, NOT_TRIED);
  // When nothing was deleted and there is one story to tell, the error alone tells it (for one token, its own error).
  const untouched = outcome.kind === 'one-cause' || (outcome.kind === 'interrupted' && outcome.done === 0 && outcome.failures.length === 0);
  if (!untouched) {
    for (const r of report) {
      if (r.deleted) ctx.io.info(`deleted Pulsar token ${r.tokenId} from streaming ${session.where}`);
      else ctx.io.warn(`token ${terminalSafe(r.tokenId)} not deleted: ${terminalSafe(r.reason ?? '')}`);
    }
    if (ctx.output === 'json') writeJson(ctx.io, report);
  }
  // Ctrl-C part-way is an interruption (130), as for `token delete`, not a partial failure.
  const error = outcomeError(outcome, {
    interrupted: ({ notTried, total }) =>
      notTried.length === total ? 'interrupted: nothing deleted' : `interrupted: ${notTried.length} of ${total} tokens not deleted (see above)`,
    oneCause: ({ cause }) => describeError(cause).message,
    partial: ({ done, failures: fs }) => `deleted ${done} of ${done + fs.length} tokens; ${fs.length} not deleted (see above)`,
  });
  if (error) throw error;
}
