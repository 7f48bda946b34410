// The contract's `org list` item, shared by the verbs that print a profile with --json.
import type { ConfigData, Profile } from '../../config/store.js';
import type { Context } from '../../context.js';

export interface ProfileItem {
  name: string;
  current: boolean;
  orgId: string | null;
  orgName: string | null;
  apiUrl: string;
}

export function profileItem(profile: Profile, config: Pick<ConfigData, 'current'>): ProfileItem {
  return {
    name: profile.name,
    current: config.current === profile.name,
    orgId: profile.orgId ?? null,
    orgName: profile.orgName ?? null,
    apiUrl: profile.apiUrl,
  };
}

/** "org 'Acme' (<uuid>)": the org a profile belongs to, for messages. */
export function describeOrg(orgName: string | null | undefined, orgId: string | null | undefined): string {
  if (orgName && orgId) return `org '${orgName}' (${orgId})`;
  if (orgId) return `org ${orgId}`;
  return 'org not validated';
}

/**
 * A profile made current does not win over ASTRA_DB_APPLICATION_TOKEN or ASTRA_PROFILE: say so, or the next
 * command silently uses another credential than the one just picked.
 */
export function shadowNote(ctx: Context, name: string): string | undefined {
  if (ctx.env.ASTRA_DB_APPLICATION_TOKEN) {
    return `ASTRA_DB_APPLICATION_TOKEN is set in this shell and takes precedence over '${name}' until it is unset`;
  }
  const envProfile = ctx.env.ASTRA_PROFILE;
  if (envProfile && envProfile !== name) {
    return `ASTRA_PROFILE=${envProfile} is set in this shell and takes precedence over '${name}' until it is unset`;
  }
  return undefined;
}
