/**
 * The 16 built-in Astra roles as the emulator seeds them into every org. Names are exact; resources carry the literal
 * `__ORG_ID__` placeholder as the real built-ins do. The action lists are a plausible reading of the real roles, chosen
 * so that tests can produce every authorization outcome:
 *
 * | role | org-token-read | org-token-write | org-role-read | org-role-write/-delete | org-user-read | org-db-view |
 * |---|---|---|---|---|---|---|
 * | Organization Administrator | yes | yes | yes | yes | yes | yes |
 * | Database Administrator | yes | NO | yes | NO | yes | yes |
 * | UI View Only | yes | NO | yes | NO | yes | yes |
 * | Billing Admin | NO | NO | NO | NO | NO | NO |
 * | Admin User, Admin Svc Acct, API Admin User, API Admin Svc Acct | NO | NO | NO | NO | NO | yes |
 * | RO/R-W User, RO/R-W Svc Acct and their API variants | NO | NO | NO | NO | NO | yes |
 *
 * `/v2/currentOrg` needs no action: any valid token may call it.
 */

import { KNOWN_ACTIONS } from '../domain/known-actions.js';

export const ORG_ID_PLACEHOLDER = '__ORG_ID__';

/** Every action the DevOps API documents; the Organization Administrator holds all of them. */
export const ALL_ACTIONS: readonly string[] = KNOWN_ACTIONS;

const DATA_READ = [
  'db-all-keyspace-describe',
  'db-keyspace-describe',
  'db-table-describe',
  'db-table-select',
  'db-cql',
  'db-graphql',
  'db-rest',
];
const DATA_WRITE = [...DATA_READ, 'db-table-modify', 'db-keyspace-modify'];
const DATA_ADMIN = ALL_ACTIONS.filter((a) => a.startsWith('db-'));

const ORG = `drn:astra:org:${ORG_ID_PLACEHOLDER}`;
const ALL_DBS = [`${ORG}:db:*`, `${ORG}:db:*:keyspace:*`, `${ORG}:db:*:keyspace:*:table:*`];

export interface BuiltInRoleSpec {
  name: string;
  description: string;
  resources: string[];
  actions: string[];
}

const userRole = (name: string, description: string, actions: string[]): BuiltInRoleSpec => ({
  name,
  description,
  resources: [ORG, ...ALL_DBS],
  actions: ['org-db-view', ...actions],
});

export const BUILT_IN_ROLES: readonly BuiltInRoleSpec[] = [
  {
    name: 'Organization Administrator',
    description: 'Organization Administrator',
    resources: [ORG, ...ALL_DBS, `${ORG}:stream:*`, `${ORG}:role:*`],
    actions: [...ALL_ACTIONS],
  },
  {
    name: 'Database Administrator',
    description: 'Database Administrator',
    resources: [ORG, ...ALL_DBS],
    actions: [
      ...DATA_ADMIN,
      'org-read',
      'org-db-create',
      'org-db-expand',
      'org-db-view',
      'org-db-suspend',
      'org-db-terminate',
      'org-db-addpeering',
      'org-db-passwordreset',
      'org-db-managemigratorproxy',
      'accesslist-read',
      'accesslist-write',
      'org-role-read',
      'org-token-read',
      'org-user-read',
    ],
  },
  {
    name: 'Billing Admin',
    description: 'Billing Admin',
    resources: [ORG],
    actions: ['org-read', 'org-billing-read', 'org-billing-write'],
  },
  {
    name: 'UI View Only',
    description: 'UI View Only',
    resources: [ORG, ...ALL_DBS, `${ORG}:stream:*`],
    actions: [
      'org-read',
      'org-db-view',
      'org-audits-read',
      'org-billing-read',
      'org-role-read',
      'org-token-read',
      'org-user-read',
      'org-external-auth-read',
      'org-integrations-read',
      'org-cmk-read',
      'accesslist-read',
      'db-all-keyspace-describe',
      'db-keyspace-describe',
      'db-table-describe',
    ],
  },
  userRole('Admin User', 'Admin User', ['org-read', ...DATA_ADMIN]),
  userRole('RO User', 'Read Only User', ['org-read', ...DATA_READ]),
  userRole('R/W User', 'Read/Write User', ['org-read', ...DATA_WRITE]),
  userRole('Admin Svc Acct', 'Admin Service Account', ['org-read', ...DATA_ADMIN]),
  userRole('RO Svc Acct', 'Read Only Service Account', ['org-read', ...DATA_READ]),
  userRole('R/W Svc Acct', 'Read/Write Service Account', ['org-read', ...DATA_WRITE]),
  userRole('API Admin User', 'API Admin User', DATA_ADMIN),
  userRole('API RO User', 'API Read Only User', DATA_READ),
  userRole('API R/W User', 'API Read/Write User', DATA_WRITE),
  userRole('API Admin Svc Acct', 'API Admin Service Account', DATA_ADMIN),
  userRole('API RO Svc Acct', 'API Read Only Service Account', DATA_READ),
  userRole('API R/W Svc Acct', 'API Read/Write Service Account', DATA_WRITE),
];
