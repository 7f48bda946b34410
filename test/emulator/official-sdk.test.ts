// DataStax's own TypeScript client (@datastax/astra-db-ts 2.x) against the emulator over loopback: its admin calls
// read the database objects the way the real API shapes them (info.datacenters[], info.keyspaces, lastUsageTime...),
// so scripts built on that SDK can be pointed at the emulator too.
import { DataAPIClient } from '@datastax/astra-db-ts';
import { describe, expect, it } from 'vitest';
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
