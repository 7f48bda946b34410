// The real keychain's plumbing, without a keychain: the Linux probe's answers, and the binding pinned to the Secret
// Service (never the kernel keyutils store it would otherwise fall back to).
import { describe, expect, it, vi } from 'vitest';
import { createOsKeyring, probeSecretService } from '../../src/config/keyring.js';
import { like } from '../helpers/typed.js';

const made: unknown[][] = [];
vi.mock('@napi-rs/keyring', () => ({
  AsyncEntry: class {
    constructor(...args: unknown[]) {
      made.push(args);
    }
    getPassword = () => Promise.resolve('AstraCS:x');
  },
}));

describe('probeSecretService', () => {
  it('no session bus: unavailable, saying so', async () => {
    expect(await probeSecretService({})).toEqual({
      state: 'unavailable',
      reason: 'no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is not set), so no Secret Service',
    });
  });

  it('no dbus-send to ask with: unavailable, saying so', async () => {
    expect(await probeSecretService({ DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent', PATH: '/nonexistent' })).toEqual({
      state: 'unavailable',
      reason: 'dbus-send is not installed, so the Secret Service cannot be probed',
    });
  });
});

describe('createOsKeyring', () => {
  it('pins every entry to the Secret Service on Linux, service astra-token', async () => {
    made.length = 0;
    expect(await createOsKeyring({}, 'linux').get('acct')).toBe('AstraCS:x');
    expect(made).toEqual([['astra-token', 'acct', { linux: { store: 'secret-service' } }]]);
  });

  it('uses the platform keychain as it is on macOS and Windows', async () => {
    made.length = 0;
    await createOsKeyring({}, 'darwin').get('a');
    await createOsKeyring({}, 'win32').get('b');
    expect(made).toEqual([
      ['astra-token', 'a', undefined],
      ['astra-token', 'b', undefined],
    ]);
    expect(await createOsKeyring({}, 'darwin').status()).toEqual({ state: 'ready' });
  });

  it('on Linux the status is the probe’s: no bus, no keychain', async () => {
    expect(await createOsKeyring({}, 'linux').status()).toMatchObject({
      state: 'unavailable',
      reason: like.stringContaining('no D-Bus session bus'),
    });
  });
});
