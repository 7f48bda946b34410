// The contract's `org list` item, shared by the verbs that print a profile with --json.
import type { DevOpsClient } from '../../api/client.js';
import type { ConfigData, Profile, TokenStorage } from '../../config/store.js';
import type { Context } from '../../context.js';
import { isMissingPermission, isRejectedCredential } from '../../errors.js';
import { terminalSafe } from '../../text/terminal.js';

export interface ProfileItem {
  name: string;
  current: boolean;
  orgId: string | null;
  orgName: string | null;
  apiUrl: string;
  storage: TokenStorage;
}

export function profileItem(profile: Profile, config: Pick<ConfigData, 'current'>): ProfileItem {
  return {
    name: profile.name,
    current: config.current === profile.name,
    orgId: profile.orgId ?? null,
    orgName: profile.orgName ?? null,
    apiUrl: profile.apiUrl,
    storage: profile.storage,
  };
}

/** "org 'Acme' (<uuid>)": the org a profile belongs to, for messages. */
export function describeOrg(orgName: string | null | undefined, orgId: string | null | undefined): string {
  if (orgName && orgId) return `org '${terminalSafe(orgName)}' (${terminalSafe(orgId)})`;
  if (orgId) return `org ${terminalSafe(orgId)}`;
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

/**
 * The org's name, or null when the token may not read it (it needs org-user-read): 403, or the 401 some
 * environments answer instead. The token itself is fine then, so this is a note, not an error.
 */
export async function readOrgName(ctx: Context, api: DevOpsClient, note: string): Promise<string | null> {
  try {
    return (await api.orgUsers()).orgName;
  } catch (err) {
    if (!(isMissingPermission(err) || isRejectedCredential(err))) throw err;
    ctx.io.info(`note: this token may not read the org name (it needs org-user-read)${note}`);
    return null;
  }
}
