// Transport#prefetch: a read started early is taken by the first matching request (one fetch, not two), hands its
// error to that request, and, when nobody takes it, is cancelled without an unhandled rejection.
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../src/api/errors.js';
import { Transport, type FetchLike, type HttpAnswer } from '../../src/api/transport.js';
import { caught, TOKEN, USER_AGENT } from '../helpers/fixtures/api.js';

function answer(status: number, text: string): HttpAnswer {
  const bytes = new TextEncoder().encode(text);
  let sent = false;
  return {
    status,
    headers: { get: (name) => (name.toLowerCase() === 'content-type' ? 'application/json' : null) },
    body: {
      getReader: () => ({
        read: () => Promise.resolve(sent ? { done: true as const } : ((sent = true), { done: false as const, value: bytes })),
        cancel: () => Promise.resolve(),
      }),
      cancel: () => Promise.resolve(),
    },
  };
}

/** A fetch that records each call and answers `status` once `release()` is called (or at once). */
function scriptedFetch(status = 200, text = '[]') {
  const calls: { url: string; signal: AbortSignal }[] = [];
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  const fetch: FetchLike = async (url, init) => {
    const signal = init.signal!;
    calls.push({ url, signal });
    await Promise.race([
      released,
      new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason as Error), { once: true })),
    ]);
    return answer(status, text);
  };
  return { fetch, calls, release };
}

const transport = (fetch: FetchLike) =>
  new Transport({
    baseUrl: 'https://api.prefetch.test',
    token: TOKEN,
    userAgent: USER_AGENT,
    timeoutMs: 5000,
    fetch,
    sleep: () => Promise.resolve(),
  });

describe('Transport#prefetch', () => {
  it('is taken by the first GET of the same path: one request on the wire', async () => {
    const f = scriptedFetch(200, '{"ok":true}');
    const t = transport(f.fetch);
    t.prefetch('/v2/tokens');
    expect(f.calls).toHaveLength(1);
    f.release();
    expect((await t.request('GET', '/v2/tokens')).text).toBe('{"ok":true}');
    expect(f.calls).toHaveLength(1);
    // Taken once: the next read is a request of its own.
    await t.request('GET', '/v2/tokens');
    expect(f.calls).toHaveLength(2);
  });

  it('is not taken by another path, another method, or a read with options of its own', async () => {
    const f = scriptedFetch();
    const t = transport(f.fetch);
    t.prefetch('/v2/tokens');
    f.release();
    await t.request('GET', '/v2/organizations/roles');
    await t.request('POST', '/v2/tokens', { body: {} });
    await t.request('GET', '/v2/tokens', { headers: { 'X-Other': '1' } });
    expect(f.calls.map((c) => new URL(c.url).pathname)).toEqual(['/v2/tokens', '/v2/organizations/roles', '/v2/tokens', '/v2/tokens']);
    t.dropPrefetched();
  });

  it('hands its error to the request that takes it', async () => {
    const f = scriptedFetch(401, '{"errors":[{"message":"bad token"}]}');
    const t = transport(f.fetch);
    t.prefetch('/v2/tokens');
    f.release();
    const err = await caught(() => t.request('GET', '/v2/tokens'));
    expect(err).toBeInstanceOf(ApiError);
    expect(err.status).toBe(401);
    expect(f.calls).toHaveLength(1);
  });

  it('is cancelled when dropped untaken, and its failure is handled (no unhandled rejection)', async () => {
    const f = scriptedFetch();
    const t = transport(f.fetch);
    t.prefetch('/v2/tokens');
    t.prefetch('/v2/tokens');
    expect(f.calls).toHaveLength(1);
    t.dropPrefetched();
    expect(f.calls[0]!.signal.aborted).toBe(true);
    // Vitest fails the run on an unhandled rejection: give the aborted request time to settle.
    await new Promise((resolve) => setTimeout(resolve, 20));
    // Dropped means forgotten: a later read asks again.
    f.release();
    await t.request('GET', '/v2/tokens');
    expect(f.calls).toHaveLength(2);
  });
});
