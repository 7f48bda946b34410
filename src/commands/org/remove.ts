import { findProfile } from '../../config/credentials.js';
import { confirmOrStop, requireConsent } from '../../confirm.js';
import type { Context } from '../../context.js';
import { printable } from '../../text/terminal.js';
import { renderResult } from '../../output/result.js';
import { describeOrg, profileItem } from './profile-item.js';
import type { OptionsOf } from '../verb.js';
import type { OrgVerbs } from './register.js';

export type OrgRemoveOptions = OptionsOf<OrgVerbs['remove']>;

export async function orgRemove(ctx: Context, name: string, opts: OrgRemoveOptions): Promise<void> {
  const store = await ctx.store();
  const before = store.read();
  const target = findProfile(before, name);
  const label = `'${printable(target.name)}'`;
  requireConsent(ctx, opts.yes, `removing profile ${label}`);
  if (!opts.yes) {
    await confirmOrStop(
      ctx,
      `Remove profile ${label} (${describeOrg(target.orgName, target.orgId)})? The token is forgotten here, not revoked.`,
      `not removed: profile ${label} is kept`,
    );
  }

  const { removed, wasCurrent, remaining } = store.update((data) => {
    const profile = findProfile(data, name);
    data.profiles = data.profiles.filter((p) => p !== profile);
    const current = data.current === profile.name;
    if (current) data.current = null;
    return { removed: profile, wasCurrent: current, remaining: data.profiles.map((p) => p.name).sort() };
  });

  const clientId = removed.clientId || '<clientId>';
  ctx.io.success(`removed profile ${label} (its token was not revoked; to revoke it: astra-token token delete ${clientId})`);
  if (removed.storage === 'keyring') {
    const why = await (await ctx.tokens()).forget(removed);
    if (why)
      ctx.io.warn(`its keychain entry (astra-token/${removed.account}) could not be deleted: ${why}; delete it with your keychain tool`);
  }
  if (wasCurrent) {
    ctx.io.info(
      remaining.length
        ? `No profile is current now; pick one with: astra-token org switch <name> (saved: ${remaining.map((n) => `'${printable(n)}'`).join(', ')})`
        : 'No profiles are left; add one with: astra-token org add <name>',
    );
  }
  renderResult(ctx, { json: profileItem(removed, { current: wasCurrent ? removed.name : null }) });
}
