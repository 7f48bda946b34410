// The reads a verb may have started before its code is loaded (Context#prefetch), by name: a declaration names
// them without importing the API client.
export const API_READS = {
  tokens: '/v2/tokens',
  roles: '/v2/organizations/roles',
  databases: '/v2/databases',
} as const;

export type ApiRead = keyof typeof API_READS;
