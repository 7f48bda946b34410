import { describe, expect, it } from 'vitest';
import { useEmulator } from '../helpers/emulator.js';
import { call } from '../helpers/emulator-call.js';

const emu = useEmulator();
const api = (method: string, path: string, opts?: Parameters<typeof call>[3]) =>
  call(emu.baseUrl, method, path, { token: emu.adminToken, ...opts });

describe('scripted faults', () => {
  it('fails the next matching DELETE once with 503 and Retry-After, then behaves again', async () => {
    const victim = emu.state.issueToken(emu.state.defaultOrg.id, ['RO User']);
    emu.state.injectFault({ method: 'DELETE', path: '/v2/tokens/*', status: 503, retryAfter: 7 });

    // A non-matching request is untouched and does not consume the fault.
    expect((await api('GET', '/v2/tokens')).status).toBe(200);
    const failed = await api('DELETE', `/v2/tokens/${victim.clientId}`);
    expect(failed.status).toBe(503);
    expect(failed.headers.get('retry-after')).toBe('7');
    expect(failed.body).toEqual({ errors: [{ ID: 503, message: 'injected fault' }] });
    expect(emu.state.findToken(victim.clientId)).toBeDefined();

    expect((await api('DELETE', `/v2/tokens/${victim.clientId}`)).status).toBe(200);
    expect(emu.state.faults).toEqual([]);
    expect(emu.state.requests.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
      'GET /v2/tokens 200',
      `DELETE /v2/tokens/${victim.clientId} 503`,
      `DELETE /v2/tokens/${victim.clientId} 200`,
    ]);
  });

  it('consumes faults in order, honours times, a RegExp path, a custom body and content type', async () => {
    emu.state.injectFault({ path: /^\/v2\/organizations\/roles$/, status: 500, times: 2, body: 'boom', contentType: 'text/plain' });
    emu.state.injectFault({ path: '/v2/organizations/roles', status: 429 });
    const first = await api('GET', '/v2/organizations/roles');
    expect(first.status).toBe(500);
    expect(first.text).toBe('boom');
    expect(first.headers.get('content-type')).toBe('text/plain');
    expect(first.headers.get('retry-after')).toBeNull();
    expect((await api('GET', '/v2/organizations/roles')).status).toBe(500);
    expect((await api('GET', '/v2/organizations/roles')).status).toBe(429);
    expect((await api('GET', '/v2/organizations/roles')).status).toBe(200);
  });

  it('answers before authentication, so even an unauthenticated call sees the fault', async () => {
    emu.state.injectFault({ path: '/v2/currentOrg', status: 502 });
    expect((await call(emu.baseUrl, 'GET', '/v2/currentOrg')).status).toBe(502);
    expect((await call(emu.baseUrl, 'GET', '/v2/currentOrg')).status).toBe(401);
  });

  it('status 0 drops the connection (a network error)', async () => {
    emu.state.injectFault({ path: '/v2/tokens', status: 0 });
    await expect(api('GET', '/v2/tokens')).rejects.toThrow();
    expect((await api('GET', '/v2/tokens')).status).toBe(200);
  });

  it('a method filter matches case-insensitively and ** spans segments', async () => {
    emu.state.injectFault({ method: 'get', path: '/v2/**', status: 504 });
    expect((await api('GET', '/v2/organizations/users')).status).toBe(504);
  });
});
