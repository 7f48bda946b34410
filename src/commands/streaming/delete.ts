import { runBulk } from '../../bulk/run.js';
import { confirmOrStop, requireConsent } from '../../confirm.js';
import type { Context } from '../../context.js';
import { describeError } from '../../errors.js';
import { streamingTarget, checkTokenIds, StreamingSession } from './session.js';
import { terminalSafe } from '../../text/terminal.js';
import type { OptionsOf } from '../verb.js';
import type { StreamingVerbs } from './register.js';

export type StreamingTokenDeleteOptions = OptionsOf<StreamingVerbs['delete']>;

const NOT_TRIED = 'interrupted before it was deleted';
const UNKNOWN_OUTCOME = 'interrupted: outcome unknown, check with streaming token list';

export async function streamingTokenDelete(ctx: Context, tokenIds: string[], options: StreamingTokenDeleteOptions): Promise<void> {
  const target = await streamingTarget(ctx, options);
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

  await runBulk(ctx, {
    key: 'tokenId',
    order: ids,
    targets: ids,
    remove: (id) =>
      session.client.deleteToken(target.tenant, id).catch((err: unknown) => {
        throw session.explain(err, id);
      }),
    concurrency: 4,
    interrupted: { notTried: NOT_TRIED, unknown: UNKNOWN_OUTCOME },
    rejected: (err) => ({ reason: describeError(err).message, failure: true }),
    print: (report, outcome) => {
      // When nothing was tried, or nothing deleted for one cause, the error alone tells it (for one token, its own).
      const untouched = outcome.kind === 'one-cause' || (outcome.kind === 'interrupted' && outcome.notTried.length === outcome.total);
      if (untouched) return;
      for (const r of report) {
        if (r.deleted) ctx.io.success(`deleted Pulsar token ${r.tokenId} from streaming ${session.where}`);
        else ctx.io.warn(`token ${terminalSafe(r.tokenId)} not deleted: ${terminalSafe(r.reason ?? '')}`);
      }
    },
    // Ctrl-C part-way is an interruption (130), as for `token delete`, not a partial failure.
    words: {
      interrupted: ({ notTried, unknown, total }) => {
        if (notTried.length === total) return 'interrupted: nothing deleted';
        const parts = [];
        if (notTried.length) parts.push(`${notTried.length} of ${total} tokens not deleted`);
        if (unknown.length)
          parts.push(
            `${unknown.length} of ${total} tokens with no answer to the delete, check with 'astra-token streaming token list ${session.flags}'`,
          );
        return `interrupted: ${parts.join('; ')} (see above)`;
      },
      oneCause: ({ cause }) => describeError(cause).message,
      partial: ({ done, failures: fs }) => `deleted ${done} of ${done + fs.length} tokens; ${fs.length} not deleted (see above)`,
    },
  });
}
