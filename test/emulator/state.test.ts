import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { EmulatorState } from '../../src/emulator/state.js';
import { TOKEN_RE } from '../helpers/emulator-call.js';

describe('EmulatorState', () => {
  it('seeds one org with 16 built-in roles, an admin user and three databases', () => {
    const state = EmulatorState.create();
    expect(state.orgs).toHaveLength(1);
    expect(state.defaultOrg.name).toBe('Emulated Org');
    expect(state.defaultOrg.roles).toHaveLength(16);
    expect(state.defaultOrg.users).toHaveLength(1);
    expect(state.defaultOrg.databases.map((d) => d.info.name)).toEqual(['orders', 'inventory', 'analytics']);
  });

  it('issues tokens in the real format with the hash of the secret', () => {
    const state = EmulatorState.create();
    const issued = state.issueToken(state.defaultOrg.id, ['Organization Administrator'], { description: 'd' });
    expect(issued.token).toMatch(TOKEN_RE);
    expect(issued.clientId).toMatch(/^[A-Za-z]{24}$/);
    expect(issued.token.split(':')[2]).toBe(createHash('sha256').update(issued.secret).digest('hex'));
    expect(state.authenticate(issued.token)?.token.clientId).toBe(issued.clientId);
    expect(state.authenticate(`Bearer ${issued.token}`)?.org.id).toBe(state.defaultOrg.id);
    expect(state.findToken(issued.clientId)).toMatchObject({ description: 'd', expiresAt: null });
    expect(JSON.stringify(state.toJSON())).not.toContain(issued.secret);
  });

  it('resolves role names, keeps unknown uuids and refuses unknown names', () => {
    const state = EmulatorState.create();
    const ro = state.findRole(state.defaultOrg.id, 'RO User')!.id;
    const stray = '00000000-0000-4000-8000-000000000000';
    const { clientId } = state.issueToken(state.defaultOrg.id, ['ro user', stray]);
    expect(state.findToken(clientId)?.roles).toEqual([ro, stray]);
    expect(() => state.issueToken(state.defaultOrg.id, ['Nope'])).toThrow(/unknown role/);
  });

  it('is deterministic with an injected random and clock', () => {
    const lcg = () => {
      let seed = 1;
      return () => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646;
    };
    const now = () => new Date('2030-01-01T00:00:00Z');
    const a = EmulatorState.create({ random: lcg(), now });
    const b = EmulatorState.create({ random: lcg(), now });
    expect(b.defaultOrg.id).toBe(a.defaultOrg.id);
    expect(b.adminToken).toBe(a.adminToken);
  });

  it('round-trips through toJSON/fromJSON: earlier tokens still authenticate, revoked ones do not', () => {
    const state = EmulatorState.create();
    const kept = state.issueToken(state.defaultOrg.id, ['UI View Only'], {
      description: 'kept',
      expiresAt: new Date('2099-01-01T00:00:00Z'),
    });
    const gone = state.issueToken(state.defaultOrg.id, ['RO User']);
    state.revokeToken(gone.clientId);
    const admin = state.adminToken;
    const other = state.addOrg('Second');

    const restored = EmulatorState.fromJSON(JSON.parse(JSON.stringify(state)));
    expect(restored.authenticate(kept.token)?.token).toEqual(state.findToken(kept.clientId));
    expect(restored.authenticate(gone.token)).toBeUndefined();
    expect(restored.adminToken).toBe(admin);
    expect(restored.orgs.map((o) => o.id)).toEqual([state.defaultOrg.id, other.id]);
    expect(restored.defaultOrg.roles).toEqual(state.defaultOrg.roles);
    expect(EmulatorState.fromJSON(JSON.stringify(state)).listTokens(state.defaultOrg.id)).toHaveLength(2);
  });

  it('refuses a foreign state file', () => {
    expect(() => EmulatorState.fromJSON({ hello: 'world' })).toThrow(/not an emulator state/);
    expect(() => EmulatorState.fromJSON(null)).toThrow(/not an emulator state/);
  });

  it('rejects tokens once the clock passes their expiry', () => {
    let now = new Date('2030-01-01T00:00:00Z');
    const state = EmulatorState.create({ now: () => now });
    const { token } = state.issueToken(state.defaultOrg.id, ['RO User'], { expiresAt: new Date('2030-01-02T00:00:00Z') });
    expect(state.authenticate(token)).toBeDefined();
    now = new Date('2030-01-02T00:00:00Z');
    expect(state.authenticate(token)).toBeUndefined();
  });
});
