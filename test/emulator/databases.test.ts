// GET /v2/databases pages and filters like the published API: 25 a page by default, `limit` at most 100,
// `starting_after=<id>`, `include` (non-terminated by default, either case), `provider`.
import { describe, expect, it } from 'vitest';
import { call } from '../helpers/emulator-call.js';
import { useEmulator } from '../helpers/emulator.js';
import { addDatabases } from '../helpers/fixtures/databases.js';

const emu = useEmulator();
const list = async (query = '') => {
  const r = await call(emu.baseUrl, 'GET', `/v2/databases${query}`, { token: emu.adminToken });
  return { status: r.status, body: r.body as Array<{ id: string; status: string; info: { name: string } }> };
};
const ids = (body: Array<{ id: string }>) => body.map((d) => d.id);

describe('GET /v2/databases paging', () => {
  it('gives 25 by default and at most 100, continuing after starting_after', async () => {
    addDatabases(emu.state, 200);
    const every = emu.state.defaultOrg.databases.map((d) => d.id);
    expect(ids((await list()).body)).toEqual(every.slice(0, 25));
    expect(ids((await list('?limit=500')).body)).toEqual(every.slice(0, 100));
    expect(ids((await list(`?limit=100&starting_after=${every[99]}`)).body)).toEqual(every.slice(100, 200));
    expect(ids((await list(`?limit=100&starting_after=${every[199]}`)).body)).toEqual(every.slice(200));
    expect(ids((await list(`?limit=100&starting_after=${every.at(-1)}`)).body)).toEqual([]);
  });

  it('leaves terminated databases out unless include says otherwise (lower or upper case)', async () => {
    const [gone, ...rest] = addDatabases(emu.state, 3);
    gone!.status = 'TERMINATED';
    expect(ids((await list()).body)).not.toContain(gone!.id);
    expect(ids((await list('?include=nonterminated')).body)).not.toContain(gone!.id);
    expect(ids((await list('?include=all')).body)).toContain(gone!.id);
    expect(ids((await list('?include=ALL')).body)).toContain(gone!.id);
    expect(ids((await list('?include=terminated')).body)).toEqual([gone!.id]);
    expect(ids((await list('?include=ACTIVE')).body)).toEqual(expect.arrayContaining(rest.map((d) => d.id)));
  });

  it('filters by provider', async () => {
    const aws = addDatabases(emu.state, 2, { prefix: 'aws', cloud: 'AWS' });
    const seededAws = emu.state.defaultOrg.databases.filter((d) => d.info.cloudProvider === 'AWS').map((d) => d.id);
    expect(ids((await list('?provider=AWS')).body).sort()).toEqual(seededAws.sort());
    expect(ids((await list('?provider=aws')).body)).toEqual(expect.arrayContaining(aws.map((d) => d.id)));
    expect(ids((await list('?provider=AZURE')).body)).toEqual([]);
  });

  it.each(['?include=deleted', '?provider=IBM', '?limit=0', '?limit=ten', '?starting_after=nope'])('%s is a 400', async (query) => {
    expect((await list(query)).status).toBe(400);
  });
});
