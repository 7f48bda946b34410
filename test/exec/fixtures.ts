// Shared by the token exec tests: what the emulator held for the tokens the command was given.
import type { EmulatorState, TokenRecord } from '../../src/emulator/state.js';

/** Each token as it was when it was revoked (the records are gone afterwards). */
export function recordRevoked(state: EmulatorState): TokenRecord[] {
  const seen: TokenRecord[] = [];
  const revoke = state.revokeToken.bind(state);
  state.revokeToken = (clientId) => {
    const record = state.findToken(clientId);
    if (record) seen.push({ ...record });
    return revoke(clientId);
  };
  return seen;
}

/** The org's tokens other than the emulator's admin token: the ones a run left behind. */
export const leftovers = (state: EmulatorState): TokenRecord[] =>
  state.listTokens(state.defaultOrg.id).filter((t) => t.description !== 'emulator admin');
