// Transport units: Retry-After, error body decoding, backoff and attempt limits, which failures are retried, and
// redaction. A scripted fetch stands in for the network.
import { describe, expect, it } from 'vitest';
import { redact } from '../../src/text/redact.js';
import { errorDetail, retryAfterMs, Transport, type FetchLike, type TransportOptions } from '../../src/api/transport.js';
import { ApiError, NetworkError, RequestInterruptedError } from '../../src/api/errors.js';
import { describeError } from '../../src/errors.js';
import { caught, CLIENT_ID, SECRET_HEX, TOKEN, USER_AGENT } from '../helpers/fixtures/api.js';

const NOW = Date.parse('2025-01-02T03:04:05Z');

describe('retryAfterMs', () => {
  it('reads seconds', () => {
    expect(retryAfterMs('1', NOW)).toBe(1000);
    expect(retryAfterMs('0', NOW)).toBe(0);
    expect(retryAfterMs(' 120 ', NOW)).toBe(120_000);
    expect(retryAfterMs('1.5', NOW)).toBe(1500);
  });

  it('reads an HTTP date relative to now, never negative', () => {
    expect(retryAfterMs('Thu, 02 Jan 2025 03:04:15 GMT', NOW)).toBe(10_000);
    expect(retryAfterMs('Thu, 02 Jan 2025 03:00:00 GMT', NOW)).toBe(0);
  });

  it('is undefined when absent or unreadable', () => {
    expect(retryAfterMs(null, NOW)).toBeUndefined();
    expect(retryAfterMs('', NOW)).toBeUndefined();
    expect(retryAfterMs('soon', NOW)).toBeUndefined();
    expect(retryAfterMs('-5', NOW)).toBeUndefined();
  });
});

describe('errorDetail', () => {
  it('joins every entry of errors[], with its ID', () => {
    const body = JSON.stringify({
      errors: [{ ID: 340012, message: 'invalid token format' }, { ID: 2, message: 'second' }, { message: 'no id' }],
    });
    expect(errorDetail(body, 'application/json')).toBe('invalid token format [340012]; second [2]; no id');
  });

  it('reads lower-case id, Message, string entries, and skips empty ones', () => {
    expect(errorDetail('{"Errors":[{"id":"E1","Message":"m1"},"m2",{"ID":3},null]}', null)).toBe('m1 [E1]; m2');
  });

  it('reads a bare JSON string', () => {
    expect(errorDetail('"unable to create role"', 'application/json')).toBe('unable to create role');
  });

  it('reads message, reason, error or description keys', () => {
    expect(errorDetail('{"message":"bad input"}', null)).toBe('bad input');
    expect(errorDetail('{"reason":"Exceeded the token limit for this tenant"}', null)).toBe('Exceeded the token limit for this tenant');
    expect(errorDetail('{"error":"invalid_grant"}', null)).toBe('invalid_grant');
    expect(errorDetail('{"description":"d"}', null)).toBe('d');
  });

  it('takes the first line of text/plain', () => {
    expect(errorDetail('roles must not be empty\nat line 2\n', 'text/plain')).toBe('roles must not be empty');
  });

  it('is empty for an empty, whitespace or null body, or JSON without a message', () => {
    expect(errorDetail('', null)).toBe('');
    expect(errorDetail('  \n', 'text/plain')).toBe('');
    expect(errorDetail('null', 'application/json')).toBe('');
    expect(errorDetail('{"errors":[]}', 'application/json')).toBe('');
    expect(errorDetail('{}', 'application/json')).toBe('');
  });

  it('names an HTML page and its title rather than quoting markup', () => {
    expect(errorDetail('<html><head><title> 503 Service Unavailable </title></head></html>', 'text/html')).toBe(
      'an HTML page "503 Service Unavailable" instead of an API answer (a proxy or gateway in the way?)',
    );
    expect(errorDetail('<!doctype html><body>oops</body>', null)).toBe(
      'an HTML page instead of an API answer (a proxy or gateway in the way?)',
    );
    expect(errorDetail('Gateway says no', 'text/html; charset=utf-8')).toBe(
      'an HTML page instead of an API answer (a proxy or gateway in the way?)',
    );
  });

  it('clips a long message to one line of 300 characters', () => {
    const detail = errorDetail(JSON.stringify({ message: `a\tb ${'x'.repeat(400)}` }), null);
    expect(detail).toHaveLength(301);
    expect(detail.startsWith('a b xxx')).toBe(true);
    expect(detail.endsWith('…')).toBe(true);
  });
});

describe('redact', () => {
  it('keeps the client id and drops the secret part of a token, in any position', () => {
    expect(redact(`Bearer ${TOKEN}`)).toBe(`Bearer AstraCS:${CLIENT_ID}:[redacted]`);
    expect(redact(`(${TOKEN})`)).toBe(`(AstraCS:${CLIENT_ID}:[redacted])`);
    expect(redact(`"${TOKEN}",`)).toBe(`"AstraCS:${CLIENT_ID}:[redacted]",`);
    expect(redact(`/v2/tokens/${encodeURIComponent(TOKEN)}?a=1`)).toBe(`/v2/tokens/AstraCS:${CLIENT_ID}:[redacted]?a=1`);
  });

  it('drops malformed tokens whole, the bare secret part, JWTs, other bearer values and secret JSON fields', () => {
    expect(redact('AstraCS:not-a-token!')).toBe('AstraCS:[redacted]');
    expect(redact(`hash ${SECRET_HEX}.`)).toBe('hash [redacted].');
    expect(redact('jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl')).toBe('jwt [redacted-jwt]');
    expect(redact('Authorization: Bearer abc.def-123')).toBe('Authorization: Bearer [redacted]');
    expect(redact('{"clientId":"x","secret":"s3cr3t","token":"t"}')).toBe('{"clientId":"x","secret":"[redacted]","token":"[redacted]"}');
  });

  it('leaves ordinary text, UUIDs and client ids alone', () => {
    const text = `GET /v2/organizations/roles/21ef3576-0197-415a-b167-d510af12ecf0 ${CLIENT_ID} 200 12ms`;
    expect(redact(text)).toBe(text);
  });
});

/** A fetch that plays a script: each entry is a response (status, headers, body) or an error to throw. */
function scripted(script: (Response | Error)[]) {
  const calls: { url: string; init: RequestInit }[] = [];
  const fetch: FetchLike = (url, init) => {
    calls.push({ url, init });
    const next = script[Math.min(calls.length - 1, script.length - 1)]!;
    if (next instanceof Error) return Promise.reject(next);
    return Promise.resolve(next.clone());
  };
  return { fetch, calls };
}

function transport(fetch: FetchLike, delays: number[], extra: Partial<TransportOptions> = {}): Transport {
  return new Transport({
    baseUrl: 'https://api.unit.test/',
    token: TOKEN,
    userAgent: USER_AGENT,
    timeoutMs: 5000,
    fetch,
    sleep: (ms) => (delays.push(ms), Promise.resolve()),
    now: () => NOW,
    ...extra,
  });
}

/** An undici-style connection failure: TypeError('fetch failed') with the system error as its cause. */
function netError(code: string, message = `connect ${code} 10.0.0.1:443`): Error {
  return new TypeError('fetch failed', { cause: Object.assign(new Error(message), { code }) });
}

const ok = () => new Response('{"ok":true}', { status: 200 });
const status = (s: number, headers: Record<string, string> = {}) => new Response(null, { status: s, headers });

describe('Transport retries', () => {
  it('backs off exponentially (300, 600, 1200 ms) and stops after 4 attempts', async () => {
    const { fetch, calls } = scripted([status(503)]);
    const delays: number[] = [];
    const err = await caught(() => transport(fetch, delays).request('GET', '/v2/x'));
    expect(calls).toHaveLength(4);
    expect(delays).toEqual([300, 600, 1200]);
    expect(err).toBeInstanceOf(ApiError);
    expect(describeError(err)).toMatchObject({ code: 'UNAVAILABLE', exitCode: 7, status: 503 });
    expect(err.message).toBe('HTTP 503 from GET /v2/x; gave up after 4 attempts');
  });

  it('caps each delay at maxDelayMs and honours maxAttempts', async () => {
    const { fetch, calls } = scripted([status(502)]);
    const delays: number[] = [];
    await caught(() => transport(fetch, delays, { maxAttempts: 6, baseDelayMs: 1000, maxDelayMs: 3000 }).request('GET', '/v2/x'));
    expect(calls).toHaveLength(6);
    expect(delays).toEqual([1000, 2000, 3000, 3000, 3000]);
  });

  it('maxAttempts 1 means no retry', async () => {
    const { fetch, calls } = scripted([status(500)]);
    const delays: number[] = [];
    const err = await caught(() => transport(fetch, delays, { maxAttempts: 1 }).request('GET', '/v2/x'));
    expect(calls).toHaveLength(1);
    expect(delays).toEqual([]);
    expect(err.message).toBe('HTTP 500 from GET /v2/x');
  });

  it('waits what Retry-After asks (an HTTP date too) instead of the backoff', async () => {
    const { fetch, calls } = scripted([
      status(429, { 'Retry-After': '7' }),
      status(503, { 'Retry-After': 'Thu, 02 Jan 2025 03:04:08 GMT' }),
      ok(),
    ]);
    const delays: number[] = [];
    const res = await transport(fetch, delays).request('GET', '/v2/x');
    expect(res.status).toBe(200);
    expect(res.text).toBe('{"ok":true}');
    expect(calls).toHaveLength(3);
    expect(delays).toEqual([7000, 3000]);
  });

  it("a Retry-After beyond what is left of the request's life (3x timeout) is not waited for", async () => {
    const { fetch, calls } = scripted([status(503, { 'Retry-After': '16' })]);
    const delays: number[] = [];
    const err = await caught(() => transport(fetch, delays).request('GET', '/v2/x'));
    expect(calls).toHaveLength(1);
    expect(delays).toEqual([]);
    expect(describeError(err)).toMatchObject({
      code: 'UNAVAILABLE',
      exitCode: 7,
      status: 503,
      hint: "the API asked to wait 16s before retrying; only 15s was left of this request's 15s limit (3x --timeout), so it was not waited for",
    });
  });

  it('does not retry 4xx other than 429', async () => {
    for (const s of [400, 401, 403, 404, 409, 422]) {
      const { fetch, calls } = scripted([status(s)]);
      await caught(() => transport(fetch, []).request('GET', '/v2/x'));
      expect(calls).toHaveLength(1);
    }
  });

  it('retries PUT and DELETE (idempotent) but not POST on a retryable status', async () => {
    for (const method of ['PUT', 'DELETE']) {
      const { fetch, calls } = scripted([status(503), ok()]);
      await transport(fetch, []).request(method, '/v2/x', { body: method === 'PUT' ? { a: 1 } : undefined });
      expect(calls).toHaveLength(2);
    }
    const { fetch, calls } = scripted([status(503), ok()]);
    const err = await caught(() => transport(fetch, []).request('POST', '/v2/x', { body: {} }));
    expect(calls).toHaveLength(1);
    expect(err.message).toBe('HTTP 503 from POST /v2/x');
  });

  it('retries a POST only when the request provably never left (connection refused, DNS)', async () => {
    for (const code of ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN']) {
      const { fetch, calls } = scripted([netError(code), ok()]);
      const delays: number[] = [];
      const res = await transport(fetch, delays).request('POST', '/v2/x', { body: { a: 1 } });
      expect(res.status).toBe(200);
      expect(calls).toHaveLength(2);
      expect(calls[1]!.init.body).toBe('{"a":1}');
      expect(delays).toEqual([300]);
    }
    for (const code of ['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'ETIMEDOUT']) {
      const { fetch, calls } = scripted([netError(code), ok()]);
      const err = await caught(() => transport(fetch, []).request('POST', '/v2/x', { body: { a: 1 } }));
      expect(calls).toHaveLength(1);
      expect(err).toBeInstanceOf(NetworkError);
      expect(describeError(err)).toMatchObject({ code: 'UNAVAILABLE', exitCode: 7 });
    }
  });

  it('retries a GET on a connection reset', async () => {
    const { fetch, calls } = scripted([netError('ECONNRESET', 'read ECONNRESET'), ok()]);
    const res = await transport(fetch, []).request('GET', '/v2/x');
    expect(res.status).toBe(200);
    expect(calls).toHaveLength(2);
  });

  it('reports a network failure with the host and the cause, and how many attempts it took', async () => {
    const { fetch, calls } = scripted([netError('ENOTFOUND', 'getaddrinfo ENOTFOUND api.unit.test')]);
    const err = await caught(() => transport(fetch, []).request('GET', '/v2/x'));
    expect(calls).toHaveLength(4);
    expect(err.message).toBe('cannot reach api.unit.test: getaddrinfo ENOTFOUND api.unit.test');
    expect(err.hint).toBe('gave up after 4 attempts');
  });

  it('does not retry an error it does not recognise', async () => {
    const { fetch, calls } = scripted([new TypeError('fetch failed', { cause: new Error('bad certificate') })]);
    const err = await caught(() => transport(fetch, []).request('GET', '/v2/x'));
    expect(calls).toHaveLength(1);
    expect(err).toBeInstanceOf(NetworkError);
    expect(err.message).toBe('cannot reach api.unit.test: bad certificate');
    expect(err.hint).toBeUndefined();
  });

  it('accepts listed non-2xx statuses without retrying or failing', async () => {
    const { fetch, calls } = scripted([status(404)]);
    const res = await transport(fetch, []).request('GET', '/v2/x', { accept: [404] });
    expect(res.status).toBe(404);
    expect(calls).toHaveLength(1);
  });

  it('stops with exit 130 when interrupted during the wait between attempts', async () => {
    const controller = new AbortController();
    const { fetch, calls } = scripted([status(503)]);
    const t = transport(fetch, [], {
      signal: controller.signal,
      sleep: () => {
        controller.abort();
        return Promise.reject(new RequestInterruptedError());
      },
    });
    const err = await caught(() => t.request('GET', '/v2/x'));
    expect(err).toBeInstanceOf(RequestInterruptedError);
    expect(describeError(err)).toMatchObject({ exitCode: 130 });
    expect(calls).toHaveLength(1);
  });

  it('stops with exit 130 when interrupted during a request, without retrying', async () => {
    const controller = new AbortController();
    const fetch: FetchLike = (_url, init) =>
      new Promise((_resolve, reject) => {
        init.signal!.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
        controller.abort();
      });
    const err = await caught(() => transport(fetch, [], { signal: controller.signal }).request('GET', '/v2/x'));
    expect(err).toBeInstanceOf(RequestInterruptedError);
    expect(describeError(err)).toMatchObject({ code: 'INTERRUPTED', exitCode: 130 });
  });

  it('traces one redacted line per attempt and answer', async () => {
    const { fetch } = scripted([status(503), ok()]);
    const lines: string[] = [];
    await transport(fetch, [], { debug: (l) => lines.push(l), now: () => NOW }).request(
      'DELETE',
      `/v2/tokens/${encodeURIComponent(TOKEN)}`,
    );
    const path = `/v2/tokens/AstraCS:${CLIENT_ID}:[redacted]`;
    expect(lines).toEqual([
      `> DELETE https://api.unit.test${path}`,
      `< 503 DELETE https://api.unit.test${path} 0ms 0B`,
      `> DELETE https://api.unit.test${path} (attempt 2)`,
      `< 200 DELETE https://api.unit.test${path} 0ms 11B`,
    ]);
  });
});
