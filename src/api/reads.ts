// The reads a verb may have started before its code is loaded (Context#prefetch), by name: a declaration names
// them without importing the API client.
export const API_READS = {
  tokens: '/v2/tokens',
  roles: '/v2/organizations/roles',
  // The first page of the default listing, as listDatabases asks for it.
  databases: '/v2/databases?limit=100',
} as const;

export type ApiRead = keyof typeof API_READS;
