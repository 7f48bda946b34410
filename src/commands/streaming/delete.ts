import { mapPool } from '../../concurrency.js';
import { confirmOrStop, requireConsent } from '../../confirm.js';
import type { Context } from '../../context.js';
import { AppError, describeError, InterruptedError, PartialError } from '../../errors.js';
import { writeJson } from '../../output/render.js';
import { checkTarget, checkTokenIds, StreamingSession, type StreamingOptions } from './session.js';

export interface StreamingTokenDeleteOptions extends StreamingOptions {
  yes?: boolean;
}

/** The contract's `streaming token delete` item. */
interface DeletedJson {
  tokenId: string;
  deleted: boolean;
  reason?: string;
}

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

  const failed = settled.filter((s) => s.status !== 'fulfilled');
  if (failed.length === settled.length) {
    // Nothing was deleted: the first failure is the command's error (its exit code and message).
    const first = failed[0]!;
    throw first.status === 'rejected' ? first.reason : new AppError('INTERRUPTED', 'interrupted: nothing deleted');
  }

  const report: DeletedJson[] = settled.map((s) => {
    if (s.status === 'fulfilled') {
      ctx.io.info(`deleted Pulsar token ${s.item} from streaming ${session.where}`);
      return { tokenId: s.item, deleted: true };
    }
    const reason = s.status === 'skipped' ? 'interrupted before it was deleted' : describeError(s.reason).message;
    ctx.io.warn(`token ${s.item} not deleted: ${reason}`);
    return { tokenId: s.item, deleted: false, reason };
  });
  if (ctx.output === 'json') writeJson(ctx.io, report);
  const skipped = failed.filter((s) => s.status === 'skipped').length;
  // Ctrl-C part-way is an interruption (130), as for `token delete`, not a partial failure.
  if (skipped > 0) throw new InterruptedError(`interrupted: ${skipped} of ${settled.length} tokens not deleted (see above)`);
  if (failed.length > 0) {
    throw new PartialError(`deleted ${settled.length - failed.length} of ${settled.length} tokens; ${failed.length} not deleted (see above)`);
  }
}
