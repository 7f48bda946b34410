import { checkApiUrl, findProfile } from '../../config/credentials.js';
import type { Profile } from '../../config/store.js';
import { confirmOrStop, requireConsent } from '../../confirm.js';
import type { Context } from '../../context.js';
import { AppError, UsageError, describeError, isNotFound } from '../../errors.js';
import { printable } from '../../text/terminal.js';
import { inspectTokenShape } from '../../domain/token-format.js';
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
  const org = describeOrg(target.orgName, target.orgId);
  requireConsent(ctx, opts.yes, `removing profile ${label}`);
  let revoke = opts.revoke === true;
  const refusal = `not removed: profile ${label} is kept`;
  if (!opts.yes) {
    if (revoke) {
      await confirmOrStop(ctx, `Revoke the token of profile ${label} (${org}) and remove the profile?`, refusal);
    } else {
      // The one moment a printed revoke line still works is before the profile is gone: offered here.
      const answer = await ctx.io.prompt(
        `Remove profile ${label} (${org})? Its token is forgotten here, not revoked; answer 'revoke' to revoke it first. [y/N/revoke] `,
      );
      if (/^revoke$/i.test(answer.trim())) revoke = true;
      else if (!/^y(es)?$/i.test(answer.trim())) throw new UsageError(refusal);
    }
  }
  // Profiles keep their token's client id; one saved without it is read from the token, only when it is revoked.
  const clientId = target.clientId || (revoke ? (inspectTokenShape(await (await ctx.tokens()).read(target)).clientId ?? '') : '');
  if (revoke) await revokeOwnToken(ctx, target, clientId);

  const { removed, wasCurrent, remaining } = store.update((data) => {
    const profile = findProfile(data, name);
    data.profiles = data.profiles.filter((p) => p !== profile);
    const current = data.current === profile.name;
    if (current) data.current = null;
    return { removed: profile, wasCurrent: current, remaining: data.profiles.map((p) => p.name).sort() };
  });

  if (revoke) ctx.io.success(`revoked token ${clientId} and removed profile ${label}`);
  else {
    // No command is printed: after the removal none would run with this org's credential (it was the profile's).
    ctx.io.success(
      `removed profile ${label}; its token ${clientId || '(client id unknown)'} was not revoked and stays live until it expires or is revoked in the Astra portal (next time, 'org remove --revoke' revokes it first)`,
    );
  }
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

/**
 * Revokes the profile's own token through the profile's own credential and API URL (not the active credential's: the
 * profile may belong to another org or API). Any failure keeps the profile: the credential is still needed to try
 * again.
 */
async function revokeOwnToken(ctx: Context, profile: Profile, clientId: string): Promise<void> {
  const label = `'${printable(profile.name)}'`;
  const apiUrl = checkApiUrl(profile.apiUrl, `the API URL of profile ${label}`);
  const token = await (await ctx.tokens()).read(profile);
  try {
    await (await ctx.apiFor(apiUrl, token)).deleteToken(clientId);
  } catch (err) {
    // Already gone: nothing is left to revoke.
    if (isNotFound(err)) return;
    const report = describeError(err);
    const why =
      report.code === 'UNAUTHENTICATED'
        ? 'the API no longer accepts it (already revoked or expired?)'
        : report.code === 'FORBIDDEN'
          ? 'its roles do not allow revoking tokens'
          : report.message;
    throw new AppError(report.code, `could not revoke token ${clientId} of profile ${label} at ${apiUrl}: ${why}; the profile was kept`, {
      status: report.status,
      cause: err,
      hint:
        report.code === 'FORBIDDEN'
          ? `revoke it with a credential of that org that may (or in the Astra portal), or remove the profile without --revoke`
          : report.code === 'UNAUTHENTICATED'
            ? 'remove the profile without --revoke'
            : 'try again, or remove the profile without --revoke',
    });
  }
}
