// DataStax's own TypeScript client (@datastax/astra-db-ts 2.x) against the emulator over loopback: its admin calls
// read the database objects the way the real API shapes them (info.datacenters[], info.keyspaces, lastUsageTime...),
// so scripts built on that SDK can be pointed at the emulator too.
import { DataAPIClient, type Fetcher, type FetcherRequestInfo } from '@datastax/astra-db-ts';
import { describe, expect, it } from 'vitest';
import { databaseRecord } from '../../src/emulator/state/databases.js';
import { EmulatorState } from '../../src/emulator/state.js';
import { withEmulatorServer } from '../helpers/emulator.js';

describe('the official astra-db-ts admin client against the emulator', () => {
  it('listDatabases() and dbInfo() read every seeded database', async () => {
    await withEmulatorServer(async ({ url, adminToken, state }) => {
      const admin = new DataAPIClient(adminToken, { logging: [] }).admin({ endpointUrl: `${url}/v2` });
      const seeded = state.defaultOrg.databases;

      const listed = await admin.listDatabases();
      expect(listed.map((d) => d.name)).toEqual(['orders', 'inventory', 'analytics']);
      for (const [i, db] of listed.entries()) {
        const raw = seeded[i]!;
        expect(db).toMatchObject({ id: raw.id, orgId: raw.orgId, ownerId: raw.ownerId, status: 'ACTIVE', keyspaces: [raw.info.name] });
        expect(db.cloudProvider).toBe(raw.info.cloudProvider);
        expect(db.createdAt.toISOString()).toBe(raw.creationTime);
        expect(Number.isNaN(db.lastUsed.getTime())).toBe(false);
        expect(db.regions).toEqual([
          {
            name: raw.info.region,
            apiEndpoint: `https://${raw.id}-${raw.info.region}.apps.astra.datastax.com`,
            createdAt: new Date(raw.info.datacenters[0]!.dateCreated),
          },
        ]);
      }

      const one = await admin.dbInfo(seeded[1]!.id);
      expect(one).toMatchObject({ id: seeded[1]!.id, name: 'inventory', keyspaces: ['inventory'] });
      expect(one.regions.map((r) => r.name)).toEqual(['europe-west1']);
    });
  });

  it('a database saved by an older emulator (no datacenters) is completed on load, so the SDK still reads it', async () => {
    const { EmulatorState } = await import('../../src/emulator/state.js');
    const saved = EmulatorState.create().toJSON();
    for (const db of saved.orgs[0]!.databases) {
      const old = db as unknown as Record<string, unknown> & { info: Record<string, unknown> };
      delete old.lastUsageTime;
      delete old.info.datacenters;
      delete old.info.keyspaces;
    }
    const state = EmulatorState.fromJSON(JSON.stringify(saved));
    await withEmulatorServer(
      async ({ url, adminToken }) => {
        const admin = new DataAPIClient(adminToken, { logging: [] }).admin({ endpointUrl: `${url}/v2` });
        const listed = await admin.listDatabases();
        expect(listed.map((d) => d.regions[0]!.name)).toEqual(['us-east1', 'europe-west1', 'us-west-2']);
        expect(listed.map((d) => d.keyspaces)).toEqual([['orders'], ['inventory'], ['analytics']]);
      },
      { state },
    );
  });
});

describe("the SDK's listDatabases({include, provider, limit, startingAfter}) against the emulator", () => {
  /** The seeded orders (GCP), inventory (GCP), analytics (AWS), then a terminated AWS database and an Azure one. */
  function withFilters() {
    const state = EmulatorState.create();
    const org = state.defaultOrg;
    const owner = org.databases[0]!.ownerId;
    const gone = {
      ...databaseRecord(state.uuid(), org.id, owner, 'gone', 'us-west-2', 'AWS', new Date('2024-01-01T00:00:00Z')),
      status: 'TERMINATED',
    };
    org.databases.push(gone, databaseRecord(state.uuid(), org.id, owner, 'blue', 'eastus', 'AZURE', new Date('2024-02-01T00:00:00Z')));
    return state;
  }

  it('each filter returns what the published description says', async () => {
    await withEmulatorServer(
      async ({ url, adminToken, state }) => {
        const admin = new DataAPIClient(adminToken, { logging: [] }).admin({ endpointUrl: `${url}/v2` });
        const names = async (opts?: Parameters<typeof admin.listDatabases>[0]) => (await admin.listDatabases(opts)).map((d) => d.name);

        // include: nonterminated by default; ALL and a single status as asked (the SDK sends upper case).
        expect(await names()).toEqual(['orders', 'inventory', 'analytics', 'blue']);
        expect(await names({ include: 'NONTERMINATED' })).toEqual(['orders', 'inventory', 'analytics', 'blue']);
        expect(await names({ include: 'ALL' })).toEqual(['orders', 'inventory', 'analytics', 'gone', 'blue']);
        expect(await names({ include: 'TERMINATED' })).toEqual(['gone']);
        // provider: one cloud, or ALL.
        expect(await names({ provider: 'AWS' })).toEqual(['analytics']);
        expect(await names({ provider: 'AWS', include: 'ALL' })).toEqual(['analytics', 'gone']);
        expect(await names({ provider: 'AZURE' })).toEqual(['blue']);
        expect(await names({ provider: 'ALL' })).toEqual(['orders', 'inventory', 'analytics', 'blue']);
        // limit and startingAfter: pages in order, the next one after the id given.
        const first = await admin.listDatabases({ limit: 2 });
        expect(first.map((d) => d.name)).toEqual(['orders', 'inventory']);
        expect(await names({ limit: 2, startingAfter: first[1]!.id })).toEqual(['analytics', 'blue']);
        expect(await names({ limit: 2, startingAfter: state.defaultOrg.databases.at(-1)!.id })).toEqual([]);
      },
      { state: withFilters() },
    );
  });
});

describe('what of the SDK reaches the emulator, and what goes to production', () => {
  /** A fetcher that answers nothing from the network: it records each URL and answers 503. */
  function recorder() {
    const urls: string[] = [];
    const fetcher: Fetcher = {
      fetch: (info: FetcherRequestInfo) => {
        urls.push(info.url);
        return Promise.resolve({ status: 503, statusText: 'recorded', headers: {}, body: '', url: info.url, httpVersion: 1 });
      },
    };
    return { urls, httpOptions: { client: 'custom' as const, fetcher } };
  }

  it('admin({ endpointUrl }) calls go to the emulator; dbAdmin() and db.admin() ignore it and address production', async () => {
    const { urls, httpOptions } = recorder();
    const client = new DataAPIClient('AstraCS:placeholder', { logging: [], httpOptions });
    const emulator = 'http://127.0.0.1:9/v2';
    const admin = client.admin({ endpointUrl: emulator });
    await expect(admin.dbInfo('00000000-0000-4000-8000-000000000001')).rejects.toThrow();
    const endpoint = 'https://00000000-0000-4000-8000-000000000001-us-east1.apps.astra.datastax.com';
    await expect(admin.dbAdmin(endpoint).info()).rejects.toThrow();
    await expect(client.db(endpoint).admin({ endpointUrl: emulator }).info()).rejects.toThrow();
    expect(urls.map((u) => new URL(u).origin)).toEqual([
      'http://127.0.0.1:9',
      'https://api.astra.datastax.com',
      'https://api.astra.datastax.com',
    ]);
  });
});
