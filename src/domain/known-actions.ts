// The DevOps API's documented policy actions (docs/devops-api.md). The list is not exhaustive (the server's list grows): an unknown action
// is refused with a suggestion unless the user says it is meant (`--allow-unknown-action`). Built-in role names and
// labels are in role-labels.ts.
import { closestNames } from './suggest.js';

export const KNOWN_ACTIONS: readonly string[] = [
  'db-all-keyspace-create',
  'db-all-keyspace-describe',
  'db-cql',
  'db-graphql',
  'db-keyspace-alter',
  'db-keyspace-authorize',
  'db-keyspace-create',
  'db-keyspace-describe',
  'db-keyspace-drop',
  'db-keyspace-grant',
  'db-keyspace-modify',
  'db-rest',
  'db-table-alter',
  'db-table-authorize',
  'db-table-create',
  'db-table-describe',
  'db-table-drop',
  'db-table-grant',
  'db-table-modify',
  'db-table-select',
  'org-audits-read',
  'org-billing-read',
  'org-billing-write',
  'org-db-addpeering',
  'org-db-create',
  'org-db-expand',
  'org-db-managemigratorproxy',
  'org-db-passwordreset',
  'org-db-suspend',
  'org-db-terminate',
  'org-db-view',
  'org-external-auth-read',
  'org-external-auth-write',
  'org-notification-write',
  'org-read',
  'org-role-delete',
  'org-role-read',
  'org-role-write',
  'org-token-read',
  'org-token-write',
  'org-user-read',
  'org-user-write',
  'org-write',
  'accesslist-read',
  'accesslist-write',
  'db-manage-privateendpoint',
  'db-manage-region',
  'db-manage-thirdpartymetrics',
  'db-manage-telemetry',
  'db-data-import',
  'org-cmk-read',
  'org-cmk-write',
  'org-integrations-read',
  'org-integrations-write',
  'org-stream-manage',
];

const KNOWN = new Set(KNOWN_ACTIONS);

export const isKnownAction = (action: string): boolean => KNOWN.has(action);

/** The known action closest to a mistyped one, if any is close enough to be a plausible typo. */
export function closestAction(action: string): string | undefined {
  return closestNames(action, KNOWN_ACTIONS, 1)[0];
}

/** The actions that are not on the known list, each with its closest known action. */
export function unknownActions(actions: readonly string[]): Array<{ action: string; suggestion?: string }> {
  return actions.filter((a) => !isKnownAction(a)).map((action) => ({ action, suggestion: closestAction(action) }));
}
