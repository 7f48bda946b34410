// The bundle gives undici's HTTP/2 client a stand-in for node:http2 (src/startup/stand-ins/lazy-http2.cjs) so that tls and crypto
// do not load before every first request. It must answer every constant undici reads at load time, with the real
// module's values, without loading node:http2.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
const SHIM = require.resolve('../../src/startup/stand-ins/lazy-http2.cjs');
const CLIENT_H2 = require.resolve('undici/lib/dispatcher/client-h2.js');

/** The names client-h2.js destructures from `http2.constants` when it loads. */
function constantsUndiciReads(): string[] {
  const source = readFileSync(CLIENT_H2, 'utf8');
  const block = /const \{\s*constants: \{([^}]*)\}\s*\} = http2/.exec(source);
  if (!block)
    throw new Error(
      'undici/lib/dispatcher/client-h2.js no longer destructures http2.constants: revisit src/startup/stand-ins/lazy-http2.cjs',
    );
  return block[1]!
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

describe('the lazy node:http2 stand-in for undici', () => {
  it('answers the constants undici reads without loading node:http2, with the real values', () => {
    const names = constantsUndiciReads();
    expect(names.length).toBeGreaterThan(5);
    const script = `
      const shim = require(${JSON.stringify(SHIM)});
      const values = Object.fromEntries(${JSON.stringify(names)}.map((n) => [n, shim.constants[n]]));
      const loaded = process.moduleLoadList.some((m) => m === 'NativeModule http2');
      process.stdout.write(JSON.stringify({ loaded, values }));`;
    const out = JSON.parse(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' })) as {
      loaded: boolean;
      values: Record<string, unknown>;
    };
    expect(out.loaded).toBe(false);
    const real = require('node:http2') as typeof import('node:http2');
    expect(out.values).toEqual(Object.fromEntries(names.map((n) => [n, (real.constants as Record<string, unknown>)[n]])));
  });

  it('hands anything else to the real module', () => {
    const shim = require(SHIM) as typeof import('node:http2');
    const real = require('node:http2') as typeof import('node:http2');
    expect(shim.connect).toBe(real.connect);
    expect(shim.constants.HTTP2_HEADER_COOKIE).toBe(real.constants.HTTP2_HEADER_COOKIE);
  });
});
