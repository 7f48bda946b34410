import type { Context } from '../../context.js';
import { describeCredentialSource } from '../../config/credentials.js';
import { AppError, isRejectedCredential } from '../../errors.js';
import { renderRecord } from '../../output/render.js';
import { absentValue } from '../../output/result.js';
import { printable, terminalSafe } from '../../text/terminal.js';
import { readOrgName } from './profile-item.js';

export interface CurrentOrg {
  profile: string | null;
  source: string;
  /** The client id of the token in use (the part before the secret): which token this is, never the token. */
  clientId: string;
  orgId: string;
  orgName: string | null;
  apiUrl: string;
}

export async function orgCurrent(ctx: Context): Promise<void> {
  const cred = await ctx.credential();
  const api = await ctx.api();
  let orgId: string;
  try {
    orgId = (await api.currentOrg()).id;
  } catch (err) {
    if (isRejectedCredential(err)) {
      throw new AppError(
        'UNAUTHENTICATED',
        `the API at ${cred.apiUrl} rejected the token from ${describeCredentialSource(cred.source)} (HTTP 401)`,
        {
          status: 401,
          cause: err,
          hint: 'it is revoked, expired, or from another environment (--env, --api-url); save a fresh one with `astra-token org add <name> --force`',
        },
      );
    }
    throw err;
  }
  const orgName = await readOrgName(ctx, api, '');
  const saved = cred.profile;
  if (saved?.orgId && saved.orgId !== orgId) {
    ctx.io.warn(`profile '${printable(saved.name)}' was saved for org ${saved.orgId}, but its token now belongs to org ${orgId}`);
  }

  const clientId = cred.token.split(':')[1] ?? '';
  const result: CurrentOrg = { profile: saved?.name ?? null, source: cred.source, clientId, orgId, orgName, apiUrl: cred.apiUrl };
  const none = absentValue(ctx);
  renderRecord(
    ctx,
    [
      ['Profile', result.profile === null ? none : terminalSafe(result.profile)],
      ['Source', result.source],
      ['Org ID', orgId],
      ['Org name', orgName === null ? none : terminalSafe(orgName)],
      ['API URL', cred.apiUrl],
      ['Client ID', clientId],
    ],
    result,
  );
}
