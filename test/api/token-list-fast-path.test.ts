// The token list as the API documents it is read without zod (plainTokenList); everything else goes to the schema.
// Both must give the same result wherever the quick reader answers, and it must step aside for every oddity.
import { describe, expect, it } from 'vitest';
import { plainTokenList, tokenListSchema } from '../../src/api/schemas.js';

const ID = 'DkFtHKMhDQDuQtlExkSzwbya';
const ROLE = '21ef3576-0197-415a-b167-d510af12ecf0';

describe('plainTokenList', () => {
  const plainCases: unknown[] = [
    { clients: [] },
    { clients: [{ clientId: ID, roles: [ROLE], generatedOn: '2021-02-22T17:09:58.668Z' }] },
    { clients: [{ clientId: ID, roles: null, generatedOn: null, description: null, tokenExpiry: null }] },
    { clients: [{ clientId: ID, roles: [], generatedOn: '', description: 'ci', tokenExpiry: '' }] },
    {
      clients: [
        {
          clientId: ID,
          roles: [ROLE, ROLE],
          generatedOn: '2021-02-22T17:09:58.668123456Z',
          description: 'x',
          tokenExpiry: '2027-01-01T00:00:00Z',
        },
      ],
    },
    { clients: [{ clientId: ID, generatedOn: 'yesterday', tokenExpiry: '+021192-03-31T00:00:00.000Z' }] },
    { clients: [{ clientId: ID, generatedOn: '2021-02-30T00:00:00Z', tokenExpiry: '2026-01-01T10:00:00+02:00' }] },
  ];

  it.each(plainCases.map((c) => [JSON.stringify(c), c]))('reads %s as the schema does', (_json, data) => {
    const quick = plainTokenList(data);
    expect(quick).toBeDefined();
    expect(quick).toEqual(tokenListSchema.parse(data));
  });

  const oddCases: unknown[] = [
    {},
    { clients: null },
    { Clients: [] },
    { clients: [], next: 'x' },
    [],
    null,
    { clients: [null] },
    { clients: [[]] },
    { clients: [{ ClientID: ID }] },
    { clients: [{ clientId: ID, extra: 1 }] },
    { clients: [{ clientId: '' }] },
    { clients: [{ clientId: 7 }] },
    { clients: [{ clientId: ID, roles: [1] }] },
    { clients: [{ clientId: ID, roles: 'r' }] },
    { clients: [{ clientId: ID, generatedOn: 1700000000 }] },
    { clients: [{ clientId: ID, description: 3 }] },
    { clients: [{ clientId: ID, tokenExpiry: { at: 1 } }] },
    JSON.parse(`{"clients":[{"clientId":"${ID}","__proto__":{"x":1}}]}`),
  ];

  it.each(oddCases.map((c) => [JSON.stringify(c), c]))('leaves %s to the schema', (_json, data) => {
    expect(plainTokenList(data)).toBeUndefined();
  });
});
