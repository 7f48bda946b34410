// Shared pieces of the token command tests: a fixed clock (the emulator and the CLI agree on "now"), the env that
// points the CLI at the in-process emulator, and role lookups by name.
import type { EmulatorFixture } from '../helpers/emulator.js';
import type { EmulatorState } from '../../src/emulator/state.js';

export const NOW = new Date('2026-03-01T12:00:00.000Z');
export const DAY = 86_400_000;
export const at = (offsetMs: number) => new Date(NOW.getTime() + offsetMs);

/** A well-formed token the emulator has never issued: it gets 401. */
export const BOGUS_TOKEN = `AstraCS:${'Q'.repeat(24)}:${'ab'.repeat(32)}`;

export function envFor(emu: EmulatorFixture, token: string = emu.adminToken): Record<string, string> {
  return { ASTRA_DB_APPLICATION_TOKEN: token, ASTRA_API_URL: emu.baseUrl };
}

export function roleId(state: EmulatorState, name: string): string {
  const role = state.defaultOrg.roles.find((r) => r.name === name);
  if (!role) throw new Error(`no role ${name}`);
  return role.id;
}

export const clientIdOf = (token: string) => token.split(':')[1]!;

/** A custom role added straight into the state (no HTTP). */
export function addCustomRole(state: EmulatorState, name: string): string {
  const id = state.uuid();
  state.defaultOrg.roles.push({
    id,
    name,
    policy: { description: name, resources: [`drn:astra:org:${state.defaultOrg.id}`], actions: ['org-db-view'], effect: 'allow' },
    last_update_datetime: NOW.toISOString(),
    last_update_userid: 'test',
    builtIn: false,
  });
  return id;
}
