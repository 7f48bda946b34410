import { findProfile } from '../../config/credentials.js';
import type { Context } from '../../context.js';
import { printable } from '../../text/terminal.js';
import { renderResult } from '../../output/result.js';
import { describeOrg, profileItem, shadowNote } from './profile-item.js';

export async function orgSwitch(ctx: Context, name: string): Promise<void> {
  const store = await ctx.store();
  const { profile, already } = store.update((data) => {
    const found = findProfile(data, name);
    const was = data.current === found.name;
    data.current = found.name;
    return { profile: found, already: was };
  });
  const org = describeOrg(profile.orgName, profile.orgId);
  const label = `'${printable(profile.name)}'`;
  if (already) ctx.io.info(`profile ${label} is already the current one: ${org}`);
  else ctx.io.success(`switched to profile ${label}: ${org}`);
  const note = shadowNote(ctx, profile.name);
  if (note) ctx.io.warn(note);
  renderResult(ctx, { json: profileItem(profile, { current: profile.name }) });
}
