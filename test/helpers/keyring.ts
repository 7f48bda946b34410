// An in-memory keychain behind the same interface as the OS one, with switches for the states that matter:
// unavailable, locked, refusing, and an entry deleted behind the tool's back.
import type { Keyring, KeyringStatus } from '../../src/config/keyring.js';

export interface MemoryKeyring extends Keyring {
  entries: Map<string, string>;
  state: KeyringStatus;
  /** When set, every get/set/delete throws this message (a keychain that denies access). */
  refuse?: string;
  /** Every operation, in order, e.g. `set 3fa…`. */
  calls: string[];
  /** Runs (once: it is cleared first) when the next get starts, before it reads: another process acting meanwhile. */
  beforeGet?: () => Promise<void>;
}

export function memoryKeyring(state: KeyringStatus = { state: 'ready' }): MemoryKeyring {
  const k: MemoryKeyring = {
    entries: new Map(),
    state,
    calls: [],
    status: () => Promise.resolve(k.state),
    async get(account) {
      k.calls.push(`get ${account}`);
      const meanwhile = k.beforeGet;
      k.beforeGet = undefined;
      await meanwhile?.();
      await check();
      return k.entries.get(account) ?? null;
    },
    async set(account, secret) {
      k.calls.push(`set ${account}`);
      await check();
      k.entries.set(account, secret);
    },
    async delete(account) {
      k.calls.push(`delete ${account}`);
      await check();
      return k.entries.delete(account);
    },
  };
  const check = () => {
    if (k.refuse !== undefined) return Promise.reject(new Error(k.refuse));
    // The fake never prompts: a locked keychain reached this far means the tool failed to stop first.
    if (k.state.state !== 'ready') return Promise.reject(new Error(`the keychain is ${k.state.state}`));
    return Promise.resolve();
  };
  return k;
}

/** What in-process tests get unless they pass a keychain: none, so tokens go to the file (with the one-line note). */
export const NO_KEYRING_REASON = 'no keychain in this test';
export const noKeyring = (): MemoryKeyring => memoryKeyring({ state: 'unavailable', reason: NO_KEYRING_REASON });
