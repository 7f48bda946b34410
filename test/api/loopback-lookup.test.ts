// How the production transport resolves names: `localhost` never reaches a resolver (it is trusted with plain http
// because it is this machine), every other name does; and which proxy variables count.
import dns, { type LookupAddress, type LookupOptions } from 'node:dns';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { loopbackLookup } from '../../src/api/http.js';
import { proxyVariables } from '../../src/api/proxy-env.js';

function lookup(hostname: string, options: LookupOptions): Promise<{ address: string | LookupAddress[]; family?: number }> {
  return new Promise((resolve, reject) =>
    loopbackLookup(hostname, options, (err, address, family) => (err ? reject(err) : resolve({ address, family }))),
  );
}

afterEach(() => vi.restoreAllMocks());

describe('loopbackLookup', () => {
  it.each([
    [
      'localhost',
      { all: true },
      {
        address: [
          { address: '127.0.0.1', family: 4 },
          { address: '::1', family: 6 },
        ],
      },
    ],
    ['LOCALHOST', {}, { address: '127.0.0.1', family: 4 }],
    ['localhost', { family: 6 }, { address: '::1', family: 6 }],
    ['localhost', { family: 'IPv6' }, { address: '::1', family: 6 }],
    ['localhost', { family: 4, all: true }, { address: [{ address: '127.0.0.1', family: 4 }] }],
  ] as const)('%s %j answers the loopback address without asking the resolver', async (host, options, expected) => {
    const resolver = vi
      .spyOn(dns, 'lookup')
      .mockImplementation(((_h: string, _o: unknown, cb: (e: Error) => void) =>
        cb(new Error('the resolver was asked'))) as unknown as typeof dns.lookup);
    expect(await lookup(host, options as LookupOptions)).toEqual(expected);
    expect(resolver).not.toHaveBeenCalled();
  });

  it('any other name goes to the resolver', async () => {
    const resolver = vi
      .spyOn(dns, 'lookup')
      .mockImplementation(((_h: string, _o: unknown, cb: (e: null, a: string, f: number) => void) =>
        cb(null, '192.0.2.7', 4)) as unknown as typeof dns.lookup);
    expect(await lookup('api.example.test', {})).toEqual({ address: '192.0.2.7', family: 4 });
    expect(resolver).toHaveBeenCalledWith('api.example.test', {}, expect.any(Function));
  });
});

describe('proxyVariables', () => {
  it.each([
    [{}, []],
    [{ NO_PROXY: '*' }, []],
    [{ HTTPS_PROXY: 'http://p:1' }, [{ name: 'HTTPS_PROXY', value: 'http://p:1' }]],
    [{ https_proxy: 'http://a:1', HTTPS_PROXY: 'http://b:1' }, [{ name: 'https_proxy', value: 'http://a:1' }]],
    // undici reads the lower-case one first: set but empty, it hides the upper-case one.
    [{ https_proxy: '', HTTPS_PROXY: 'http://b:1', HTTP_PROXY: 'http://c:1' }, [{ name: 'HTTP_PROXY', value: 'http://c:1' }]],
  ])('%j -> %j', (env, expected) => {
    expect(proxyVariables(env)).toEqual(expected);
  });
});
