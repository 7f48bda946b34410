// `token prune`: revoke every token that matches all the given filters, concurrently, with a per-token report.
import type { Context } from '../../context.js';
import { UsageError } from '../../errors.js';
import { renderList } from '../../output/render.js';
import { renderResult } from '../../output/result.js';
import { confirmRevoke, countTokens, requireConsent, selfClientId, SELF_REASON } from './revoke-guards.js';
import { runBulk } from '../../bulk/run.js';
import { NOT_FOUND_REASON, printReports, revokeJob, type DeleteReport } from './revocation.js';
import { parseSelectors, type Selection } from './selectors.js';
import { fetchOrgTokens, tokenColumns } from './token-view.js';
import type { OptionsOf } from '../verb.js';
import type { TokenVerbs } from './register.js';

export type TokenPruneOptions = OptionsOf<TokenVerbs['prune']>;

export const DEFAULT_CONCURRENCY = 8;
/** More failures than this are not all named in the final error line (each has its own report line). */
const NAMED_FAILURES = 5;
const SKIPPED_SELF = `${SELF_REASON}; kept (pass --force to revoke it too)`;

export async function tokenPrune(ctx: Context, options: TokenPruneOptions): Promise<void> {
  // Everything that can be checked locally is checked before the first request.
  const selection = requireSelection(options, ctx.now());
  const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
  if (!options.dryRun) requireConsent(ctx, options.yes, 'revoking tokens');
  const self = await selfClientId(ctx);

  const api = await ctx.api();
  const { tokens, roles } = await fetchOrgTokens(ctx, api, selection.needsRoles);
  const matched = tokens.filter(selection.bind(roles, tokens));
  // The credential this command runs with is never pruned by accident: it is skipped and reported unless --force.
  const keepSelf = self !== null && !options.force && matched.some((t) => t.clientId === self);
  const targets = matched.filter((t) => !(keepSelf && t.clientId === self));
  const selfReport: DeleteReport[] = keepSelf ? [{ clientId: self, deleted: false, reason: SKIPPED_SELF }] : [];
  const inOrder = (reports: Map<string, DeleteReport>) => matched.map((t) => reports.get(t.clientId)!);

  if (options.dryRun) {
    const planned = new Map<string, DeleteReport>(
      targets.map((t) => [t.clientId, { clientId: t.clientId, deleted: false, reason: 'dry run' }]),
    );
    for (const r of selfReport) planned.set(r.clientId, r);
    return renderResult(ctx, {
      json: inOrder(planned),
      print: () => {
        renderList(ctx, targets, tokenColumns(ctx), null);
        if (keepSelf) ctx.io.info(`${self}: ${SKIPPED_SELF}`);
        ctx.io.info(`dry run: ${countTokens(targets.length)} of ${tokens.length} would be revoked; nothing was changed`);
      },
    });
  }

  if (targets.length === 0) {
    renderResult(ctx, {
      json: selfReport,
      print: () => {
        if (keepSelf) ctx.io.info(`${self}: ${SKIPPED_SELF}`);
      },
    });
    ctx.io.info(`no token ${keepSelf ? "besides this command's own " : ''}matches; nothing to revoke`);
    return;
  }
  if (!options.yes) await confirmRevoke(ctx, targets);

  // Ctrl-C: no new revoke starts, retry waits are cut, and a revoke on the wire gets a short grace to answer (the
  // transport's); one that gets no answer is reported with its outcome unknown. A token that vanished meanwhile is
  // gone, which is what prune wants: reported, not a failure.
  await runBulk(ctx, {
    ...revokeJob(api, false, NAMED_FAILURES),
    order: matched.map((t) => t.clientId),
    decided: selfReport,
    targets: targets.map((t) => t.clientId),
    last: self,
    concurrency,
    progress: 'revoking',
    silentWithJson: true,
    print: (report, outcome) => {
      printReports(ctx, report, (r) => (r.reason === NOT_FOUND_REASON ? 'already gone' : r.reason === SKIPPED_SELF ? r.reason : undefined));
      // Counted as the prompt counted them: the tokens it asked to revoke (this command's own, when kept, is not one).
      const revoked = report.filter((r) => r.deleted).length;
      const failed = outcome.kind === 'complete' ? 0 : outcome.failures.length;
      ctx.io.info(`revoked ${revoked} of ${countTokens(targets.length)}${failed ? `, ${failed} failed` : ''}`);
    },
  });
}

/** The selectors, combined with AND; at least one is required (prune never means "every token"). */
export function requireSelection(options: TokenPruneOptions, now: Date): Selection {
  const selection = parseSelectors(options, now);
  if (selection.count === 0) {
    throw new UsageError('token prune needs at least one filter: --expired, --older-than, --expiring-within, --role or --description', {
      hint: 'filters combine: a token is revoked when it matches all of them',
    });
  }
  return selection;
}
