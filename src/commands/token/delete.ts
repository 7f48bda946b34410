import type { Role } from '../../api/schemas.js';
import type { Context } from '../../context.js';
import { printable } from '../../text/terminal.js';
import { renderList } from '../../output/render.js';
import { renderResult } from '../../output/result.js';
import { confirmRevoke, countTokens, refuseSelfRevoke, requireClientId, requireConsent, selfClientId } from './revoke-guards.js';
import { runBulk } from '../../bulk/run.js';
import { NOT_FOUND_REASON, printReports, revokeJob, tokensNotFound, type DeleteReport } from './revocation.js';
import { newestFirst, tokenColumns, toTokenView } from './token-view.js';
import type { OptionsOf } from '../verb.js';
import type { TokenVerbs } from './register.js';

export type { DeleteReport } from './revocation.js';

export type TokenDeleteOptions = OptionsOf<TokenVerbs['delete']>;

const CONCURRENCY = 8;

export async function tokenDelete(ctx: Context, clientIds: string[], options: TokenDeleteOptions): Promise<void> {
  const ids = [...new Set(clientIds.map(requireClientId))];

  // Local refusals first: they need no request and leave everything untouched.
  const self = await selfClientId(ctx);
  refuseSelfRevoke(self, ids, options.force);
  if (!options.dryRun) requireConsent(ctx, options.yes, 'revoking tokens');

  const api = await ctx.api();
  // Role names only decorate the dry run and the prompt: a credential that may not read roles still deletes.
  const [infos, roles] = await Promise.all([api.listTokens(), api.listRoles().catch((): Role[] => [])]);
  const now = ctx.now();
  const known = new Map(infos.map((info) => [info.clientId, toTokenView(info, roles, now)]));
  const missing = ids.filter((id) => !known.has(id));
  if (missing.length && !options.ifExists) {
    throw tokensNotFound(
      missing,
      [...known.keys()],
      'nothing was revoked',
      "see 'astra-token token list'; pass --if-exists to skip tokens that do not exist",
    );
  }

  const missingReport = missing.map((clientId): DeleteReport => ({ clientId, deleted: false, reason: NOT_FOUND_REASON }));
  const targets = ids.filter((id) => known.has(id)).map((id) => known.get(id)!);

  if (options.dryRun) {
    const planned = new Map(targets.map((t) => [t.clientId, { clientId: t.clientId, deleted: false, reason: 'dry run' }]));
    return renderResult(ctx, {
      json: ids.map((id) => planned.get(id) ?? missingReport.find((m) => m.clientId === id)!),
      print: () => {
        renderList(ctx, [...targets].sort(newestFirst), tokenColumns(ctx), null);
        for (const id of missing) ctx.io.info(`${printable(id)}: not found, nothing to revoke`);
        ctx.io.info(`dry run: ${countTokens(targets.length)} would be revoked; nothing was changed`);
      },
    });
  }

  if (targets.length && !options.yes) await confirmRevoke(ctx, targets);

  await runBulk(ctx, {
    ...revokeJob(api, !options.ifExists),
    order: ids,
    decided: missingReport,
    targets: targets.map((t) => t.clientId),
    last: self,
    concurrency: CONCURRENCY,
    silentWithJson: true,
    print: (report) => {
      printReports(ctx, report, (r) => (r.reason === NOT_FOUND_REASON && options.ifExists ? 'not found, nothing to revoke' : undefined));
    },
  });
}
