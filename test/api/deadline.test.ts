// A request's whole life is bounded by 3x --timeout, and Ctrl-C stops it within a second: no new attempt starts,
// every wait is cut, a request that changes state and is on the wire gets at most 2 s to answer.
import { describe, expect, it } from 'vitest';
import { INTERRUPT_GRACE_MS, Transport, type FetchLike, type TransportOptions } from '../../src/api/transport.js';
import { describeError } from '../../src/errors.js';
import { RequestInterruptedError } from '../../src/api/errors.js';
import { defaultSleep } from '../../src/api/transport.js';
import { caught, TOKEN, USER_AGENT } from '../helpers/fixtures/api.js';

const status = (s: number, headers: Record<string, string> = {}) => new Response(null, { status: s, headers });
const ok = () => new Response('{"ok":true}', { status: 200 });

function transport(fetch: FetchLike, extra: Partial<TransportOptions> = {}): Transport {
  return new Transport({
    baseUrl: 'https://api.unit.test',
    token: TOKEN,
    userAgent: USER_AGENT,
    timeoutMs: 30_000,
    fetch,
    now: () => 0,
    ...extra,
  });
}

/** Every call answers with the next response of the script (the last one repeats). */
function scripted(script: Array<() => Response>): { fetch: FetchLike; calls: () => number } {
  let n = 0;
  return { fetch: () => Promise.resolve(script[Math.min(n++, script.length - 1)]!()), calls: () => n };
}

describe('the life of one request: 3x --timeout', () => {
  it('Retry-After: 30 on every answer waits 30 s twice (60 of 90 s), then refuses the third wait: exit 7 saying how long', async () => {
    const { fetch, calls } = scripted([() => status(429, { 'Retry-After': '30' })]);
    const delays: number[] = [];
    const err = await caught(() =>
      transport(fetch, { sleep: (ms) => (delays.push(ms), Promise.resolve()), maxAttempts: 10 }).request('GET', '/v2/x'),
    );
    // A third 30 s wait would use up the 90 s and leave no time for the attempt after it.
    expect(delays).toEqual([30_000, 30_000]);
    expect(calls()).toBe(3);
    expect(describeError(err)).toMatchObject({ code: 'UNAVAILABLE', exitCode: 7, status: 429 });
    expect(err.hint).toBe(
      "the API asked to wait 30s before retrying; only 30s was left of this request's 90s limit (3x --timeout), so it was not waited for",
    );
  });

  it('a Retry-After longer than the whole life is not waited for at all', async () => {
    const { fetch, calls } = scripted([() => status(503, { 'Retry-After': '120' })]);
    const delays: number[] = [];
    const err = await caught(() => transport(fetch, { sleep: (ms) => (delays.push(ms), Promise.resolve()) }).request('GET', '/v2/x'));
    expect(calls()).toBe(1);
    expect(delays).toEqual([]);
    expect(err.hint).toBe(
      "the API asked to wait 2m before retrying; only 90s was left of this request's 90s limit (3x --timeout), so it was not waited for",
    );
  });

  it('time spent in attempts counts: a slow server leaves no room for another try', async () => {
    let clock = 0;
    const fetch: FetchLike = () => {
      clock += 80_000; // each answer takes 80 s
      return Promise.resolve(status(503));
    };
    const delays: number[] = [];
    const err = await caught(() =>
      transport(fetch, { now: () => clock, sleep: (ms) => (delays.push(ms), (clock += ms), Promise.resolve()) }).request('GET', '/v2/x'),
    );
    expect(delays).toEqual([300]);
    expect(err).toMatchObject({ status: 503 });
  });

  it('each wait is announced with its reason (the CLI prints it on a terminal)', async () => {
    const { fetch } = scripted([() => status(429, { 'Retry-After': '2' }), () => status(503), ok]);
    const waits: string[] = [];
    await transport(fetch, { sleep: () => Promise.resolve(), onWait: (ms, why) => void waits.push(`${ms} ${why}`) }).request(
      'GET',
      '/v2/x',
    );
    expect(waits).toEqual([
      '2000 the API answered HTTP 429 to GET /v2/x and asked to wait (Retry-After)',
      '600 the API answered HTTP 503 to GET /v2/x',
    ]);
  });
});

describe('Ctrl-C', () => {
  it('cuts a Retry-After wait at once, and no new attempt starts', async () => {
    const { fetch, calls } = scripted([() => status(503, { 'Retry-After': '20' })]);
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(), 50);
    const err = await caught(() => transport(fetch, { sleep: defaultSleep, signal: controller.signal }).request('DELETE', '/v2/tokens/x'));
    expect(err).toBeInstanceOf(RequestInterruptedError);
    expect(calls()).toBe(1);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('a DELETE already on the wire gets its answer if it comes within the grace: the outcome is known', async () => {
    const controller = new AbortController();
    const fetch: FetchLike = (_url, init) =>
      new Promise((resolve, reject) => {
        init.signal!.addEventListener('abort', () => reject(new Error('aborted')));
        controller.abort();
        setTimeout(() => resolve(new Response(null, { status: 204 })), 100);
      });
    const res = await transport(fetch, { signal: controller.signal }).request('DELETE', '/v2/tokens/x');
    expect(res.status).toBe(204);
  });

  it('a DELETE that gets no answer within the grace: interrupted, outcome unknown', async () => {
    const controller = new AbortController();
    let aborted = -1;
    const t0 = Date.now();
    const fetch: FetchLike = (_url, init) =>
      new Promise((_resolve, reject) => {
        init.signal!.addEventListener('abort', () => {
          aborted = Date.now() - t0;
          reject(new Error('aborted'));
        });
        controller.abort();
      });
    const err = await caught(() => transport(fetch, { signal: controller.signal }).request('DELETE', '/v2/tokens/x'));
    expect(err).toBeInstanceOf(RequestInterruptedError);
    expect(err).toMatchObject({ outcomeUnknown: true, message: 'interrupted during DELETE /v2/tokens/x' });
    expect(aborted).toBeGreaterThanOrEqual(INTERRUPT_GRACE_MS - 50);
  });

  it('a GET is cut at once (its answer is of no use any more)', async () => {
    const controller = new AbortController();
    const fetch: FetchLike = (_url, init) =>
      new Promise((_resolve, reject) => {
        init.signal!.addEventListener('abort', () => reject(new Error('aborted')));
        controller.abort();
      });
    const err = await caught(() => transport(fetch, { signal: controller.signal }).request('GET', '/v2/tokens'));
    expect(err).toBeInstanceOf(RequestInterruptedError);
    expect(err).toMatchObject({ outcomeUnknown: false });
  });

  it('an answer that needs a retry after Ctrl-C is final: no retry', async () => {
    const controller = new AbortController();
    let n = 0;
    const fetch: FetchLike = () => {
      n++;
      controller.abort();
      return Promise.resolve(status(502));
    };
    const err = await caught(() =>
      transport(fetch, { signal: controller.signal, sleep: () => Promise.resolve() }).request('DELETE', '/v2/tokens/x'),
    );
    expect(n).toBe(1);
    expect(err).toBeInstanceOf(RequestInterruptedError);
    expect(err).toMatchObject({ outcomeUnknown: true });
  });
});
