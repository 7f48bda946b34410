// The emulator's seed (`astra-token emulator --seed <file>`): roles and tokens of any age and expiry, checked entry by
// entry before anything is added.
import { describe, expect, it } from 'vitest';
import { EmulatorState, SeedError, applySeed } from '../../src/emulator/index.js';
import { DAY, NOW, at } from '../helpers/fixtures/token.js';

const fresh = () => EmulatorState.create({ now: () => NOW });
const tokensOf = (state: EmulatorState) => state.listTokens(state.defaultOrg.id);

describe('applySeed', () => {
  it('adds custom roles and tokens with the ages and expiries given, relative or absolute', () => {
    const state = fresh();
    const summary = applySeed(state, {
      roles: [{ name: 'ci reader', actions: ['db-table-read'], resources: ['drn:astra:org:__ORG_ID__:db:*'] }],
      tokens: [
        { roles: ['ci reader', 'RO User'], description: 'aged', age: '200d', expiresIn: '-3d' },
        { roles: ['r/w user'], generatedOn: '2025-12-01T00:00:00Z', expiresAt: '2026-06-01T00:00:00Z' },
        { roles: ['RO User'], expiresAt: null },
      ],
    });
    expect(summary).toEqual({ roles: 1, tokens: 3 });
    const role = state.findRole(state.defaultOrg.id, 'ci reader')!;
    expect(role.builtIn).toBe(false);
    expect(role.policy.resources).toEqual([`drn:astra:org:${state.defaultOrg.id}:db:*`]);
    const [aged, dated, plain] = tokensOf(state);
    expect(aged).toMatchObject({ description: 'aged', generatedOn: at(-200 * DAY), expiresAt: at(-3 * DAY) });
    expect(aged!.roles).toEqual([role.id, state.findRole(state.defaultOrg.id, 'RO User')!.id]);
    expect(dated).toMatchObject({
      description: '',
      generatedOn: new Date('2025-12-01T00:00:00Z'),
      expiresAt: new Date('2026-06-01T00:00:00Z'),
    });
    expect(plain).toMatchObject({ generatedOn: NOW, expiresAt: null });
  });

  it.each([
    [[], 'the seed: expected a JSON object'],
    [{ token: [] }, 'the seed: unknown key "token" (expected roles, tokens)'],
    [{ tokens: {} }, 'tokens: expected a JSON array'],
    [{ tokens: [{ roles: [] }] }, 'tokens[0].roles: give at least one role'],
    [{ tokens: [{ roles: ['RO User'] }, { roles: ['Nobody'] }] }, 'tokens[1].roles[0]: no role "Nobody" (built-in or seeded)'],
    [{ tokens: [{ roles: ['RO User'], age: '3 days' }] }, 'tokens[0].age: expected a duration such as 30d, 12h or P90D'],
    [{ tokens: [{ roles: ['RO User'], age: '-3d' }] }, 'tokens[0].age: expected a duration such as 30d, 12h or P90D'],
    [
      { tokens: [{ roles: ['RO User'], expiresIn: 'soon' }] },
      'tokens[0].expiresIn: expected a duration such as 30d, 12h or P90D (-3d for the past)',
    ],
    [
      { tokens: [{ roles: ['RO User'], generatedOn: 'yesterday' }] },
      'tokens[0].generatedOn: expected an ISO-8601 instant such as 2026-01-31T12:00:00Z',
    ],
    [{ tokens: [{ roles: ['RO User'], age: '1d', generatedOn: '2026-01-01' }] }, 'tokens[0]: give generatedOn or age, not both'],
    [
      { tokens: [{ roles: ['RO User'], generatedOn: '2027-01-01T00:00:00Z' }] },
      'tokens[0]: created in the future (2027-01-01T00:00:00.000Z)',
    ],
    [
      { tokens: [{ roles: ['RO User'], age: '1d', expiresIn: '-2d' }] },
      'tokens[0]: expires (2026-02-27T12:00:00.000Z) before it was created (2026-02-28T12:00:00.000Z)',
    ],
    [
      { tokens: [{ roles: ['RO User'], secret: 'x' }] },
      'tokens[0]: unknown key "secret" (expected roles, description, generatedOn, age, expiresAt, expiresIn)',
    ],
    [{ roles: [{ name: 'RO User', actions: ['db-table-read'] }] }, 'roles[0].name: a role named "RO User" already exists'],
    [
      {
        roles: [
          { name: 'a', actions: ['db-table-read'] },
          { name: 'A', actions: ['db-table-read'] },
        ],
      },
      'roles[1].name: a role named "A" already exists',
    ],
    [{ roles: [{ name: 'a', actions: [] }] }, 'roles[0].actions: give at least one action'],
  ])('refuses %j: %s, and adds nothing', (seed, message) => {
    const state = fresh();
    const before = { roles: state.defaultOrg.roles.length, tokens: tokensOf(state).length };
    expect(() => applySeed(state, seed)).toThrow(new SeedError(message));
    expect({ roles: state.defaultOrg.roles.length, tokens: tokensOf(state).length }).toEqual(before);
  });
});
