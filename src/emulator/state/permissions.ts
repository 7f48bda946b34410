/** What a token may do: the actions its roles grant, and whether it is an org administrator. */
import { ADMIN_ROLE_NAME, findRoleIn, type Org, type Role } from './orgs.js';
import type { TokenRecord } from './tokens.js';

/** An authenticated request's token and the org it belongs to. */
export interface Caller {
  token: TokenRecord;
  org: Org;
}

/** The actions a token's roles grant; role ids that are unknown or deleted grant nothing. */
export function actionsOf(token: TokenRecord, orgRoles: readonly Role[]): Set<string> {
  const actions = new Set<string>();
  for (const id of token.roles) {
    const role = orgRoles.find((r) => r.id === id);
    if (role?.policy.effect === 'allow') role.policy.actions.forEach((a) => actions.add(a));
  }
  return actions;
}

/** Holds the org's built-in Organization Administrator role (a custom role of that name does not count). */
export function isOrgAdmin(token: TokenRecord, orgRoles: readonly Role[]): boolean {
  const admin = findRoleIn(orgRoles, ADMIN_ROLE_NAME);
  return admin !== undefined && admin.builtIn && token.roles.includes(admin.id);
}
