/** Databases as `/v2/databases` describes them, and the ones a fresh emulator starts with. */

/**
 * A database as `/v2/databases` describes it (the published description's Database and Datacenter objects): what the
 * official SDKs read (`info.datacenters[].region/dateCreated`, `info.keyspaces`, `lastUsageTime`, ...) is there.
 */
export interface Database {
  id: string;
  orgId: string;
  ownerId: string;
  status: string;
  creationTime: string;
  lastUsageTime: string;
  terminationTime?: string;
  availableActions: string[];
  storage: { nodeCount: number; replicationFactor: number; totalStorage: number; usedStorage?: number };
  cqlshUrl: string;
  graphqlUrl: string;
  dataEndpointUrl: string;
  info: {
    name: string;
    keyspace: string;
    keyspaces: string[];
    cloudProvider: string;
    region: string;
    tier: string;
    capacityUnits: number;
    dbType?: string;
    datacenters: Datacenter[];
  };
}

export interface Datacenter {
  id: string;
  name: string;
  tier: string;
  status: string;
  cloudProvider: string;
  region: string;
  regionZone: string;
  regionClassification: string;
  capacityUnits: number;
  cqlshUrl: string;
  graphqlUrl: string;
  dateCreated: string;
}

/** The databases of the default org: name and region, in creation order. */
export const SEED_DATABASES = [
  ['orders', 'us-east1'],
  ['inventory', 'europe-west1'],
  ['analytics', 'us-west-2'],
] as const;

/** The cloud a seeded region belongs to. */
export const seedCloud = (region: string): string => (region.includes('-west-2') ? 'AWS' : 'GCP');

/** A fresh serverless database, ACTIVE, with one datacenter, as `/v2/databases` returns it. */
export function databaseRecord(
  id: string,
  orgId: string,
  ownerId: string,
  name: string,
  region: string,
  cloudProvider: string,
  created: Date,
): Database {
  const stamp = created.toISOString();
  const apps = `https://${id}-${region}.apps.astra.datastax.com`;
  return {
    id,
    orgId,
    ownerId,
    status: 'ACTIVE',
    creationTime: stamp,
    lastUsageTime: stamp,
    availableActions: ['park', 'getCreds', 'resetPassword', 'addKeyspace', 'removeKeyspace', 'addTable', 'terminate'],
    storage: { nodeCount: 3, replicationFactor: 3, totalStorage: 5 },
    cqlshUrl: `${apps}/cqlsh`,
    graphqlUrl: `${apps}/api/graphql`,
    dataEndpointUrl: `${apps}/api/rest`,
    info: {
      name,
      keyspace: name,
      keyspaces: [name],
      cloudProvider,
      region,
      tier: 'serverless',
      capacityUnits: 1,
      dbType: 'vector',
      datacenters: [
        {
          id: `${id}-1`,
          name: `dc-1`,
          tier: 'serverless',
          status: 'ACTIVE',
          cloudProvider,
          region,
          regionZone: region.startsWith('europe') ? 'emea' : 'na',
          regionClassification: 'standard',
          capacityUnits: 1,
          cqlshUrl: `${apps}/cqlsh`,
          graphqlUrl: `${apps}/api/graphql`,
          dateCreated: stamp,
        },
      ],
    },
  };
}

/** A database saved by an emulator from before the full shape: the missing fields filled in from what it has. */
export function completeDatabase(db: Database): Database {
  const full = databaseRecord(db.id, db.orgId, db.ownerId, db.info.name, db.info.region, db.info.cloudProvider, new Date(db.creationTime));
  return { ...full, ...db, info: { ...full.info, ...db.info } };
}
