import { createHash } from 'node:crypto';
import dns from 'node:dns';
import { describe, expect, it, vi } from 'vitest';
import { startEmulatorServer } from '../../src/emulator/server.js';
import { EmulatorState } from '../../src/emulator/state.js';
import { withEmulatorServer } from '../helpers/emulator.js';
import { call, TOKEN_RE } from '../helpers/emulator-call.js';

describe('loopback server', () => {
  it('--host localhost listens on 127.0.0.1 without asking a resolver what localhost is', async () => {
    const real = dns.lookup;
    const resolver = vi.spyOn(dns, 'lookup').mockImplementation((host: string, ...rest: unknown[]) => {
      const cb = rest.at(-1) as (e: Error | null, ...a: unknown[]) => void;
      if (host === 'localhost') return cb(Object.assign(new Error('getaddrinfo ENOTFOUND localhost'), { code: 'ENOTFOUND' }));
      return (real as (...a: unknown[]) => void)(host, ...rest);
    });
    try {
      const server = await startEmulatorServer({ state: EmulatorState.create(), host: 'localhost', port: 0 });
      await server.close();
      expect(server.url).toMatch(/^http:\/\/localhost:\d+$/);
      expect(resolver.mock.calls.map((c) => c[0])).not.toContain('localhost');
    } finally {
      resolver.mockRestore();
    }
  });

  it('serves the handlers over real HTTP: roles, create a token, use it', async () => {
    await withEmulatorServer(async ({ url, port, adminToken, state }) => {
      expect(url).toBe(`http://127.0.0.1:${port}`);
      expect(port).toBeGreaterThan(0);

      const roles = await call(url, 'GET', '/v2/organizations/roles', { token: adminToken });
      expect(roles.status).toBe(200);
      expect(roles.headers.get('content-type')).toContain('application/json');
      expect(roles.body).toHaveLength(16);

      const dbAdmin = (roles.body as Array<{ id: string; name: string }>).find((r) => r.name === 'Database Administrator')!;
      const created = await call(url, 'POST', '/v2/tokens', { token: adminToken, body: { roles: [dbAdmin.id], description: 'e2e' } });
      expect(created.status).toBe(200);
      const { token, secret, clientId } = created.body as { token: string; secret: string; clientId: string };
      expect(token).toMatch(TOKEN_RE);
      expect(token.endsWith(createHash('sha256').update(secret).digest('hex'))).toBe(true);

      const listed = await call(url, 'GET', '/v2/tokens', { token });
      expect(listed.status).toBe(200);
      expect((listed.body as { clients: Array<{ clientId: string }> }).clients.map((c) => c.clientId)).toContain(clientId);
      expect((await call(url, 'POST', '/v2/tokens', { token, body: { roles: [dbAdmin.id] } })).status).toBe(403);

      const revoked = await call(url, 'DELETE', `/v2/tokens/${clientId}`, { token: adminToken });
      expect(revoked.status).toBe(200);
      expect(revoked.text).toBe('');
      expect((await call(url, 'GET', '/v2/tokens', { token })).status).toBe(401);
      expect(state.requests.at(-1)).toEqual({ method: 'GET', path: '/v2/tokens', status: 401 });
    });
  });

  it('answers an unknown route as a Go router does: 404 text/plain "404 page not found", token or not', async () => {
    await withEmulatorServer(async ({ url, adminToken, state }) => {
      for (const token of [adminToken, null]) {
        const res = await call(url, 'GET', '/v2/nothing-here', { token });
        expect(res.status).toBe(404);
        expect(res.headers.get('content-type')).toBe('text/plain; charset=utf-8');
        expect(res.text).toBe('404 page not found\n');
      }
      expect(state.requests.at(-1)).toEqual({ method: 'GET', path: '/v2/nothing-here', status: 404 });
    });
  });

  it('keeps 204 bodies empty, serves query strings, and refuses oversized bodies with 413', async () => {
    await withEmulatorServer(
      async ({ url, adminToken, state }) => {
        const drn = `drn:astra:org:${state.defaultOrg.id}`;
        const role = await call(url, 'POST', '/v2/organizations/roles', {
          token: adminToken,
          body: { name: 'tmp', policy: { description: '', resources: [drn], actions: ['db-cql'], effect: 'allow' } },
        });
        expect(role.status).toBe(201);
        const del = await call(url, 'DELETE', `/v2/organizations/roles/${(role.body as { id: string }).id}`, { token: adminToken });
        expect(del.status).toBe(204);
        expect(del.text).toBe('');
        expect((await call(url, 'GET', '/v2/databases?include=nonterminated', { token: adminToken })).status).toBe(200);
        const big = await call(url, 'POST', '/v2/tokens', { token: adminToken, body: { roles: ['x'], description: 'x'.repeat(5000) } });
        expect(big.status).toBe(413);
      },
      { maxBodyBytes: 4096 },
    );
  });

  it('serves scripted faults and drops the connection for a status-0 fault', async () => {
    await withEmulatorServer(async ({ url, adminToken, state }) => {
      state.injectFault({ method: 'GET', path: '/v2/currentOrg', status: 429, retryAfter: 2 });
      const limited = await call(url, 'GET', '/v2/currentOrg', { token: adminToken });
      expect(limited.status).toBe(429);
      expect(limited.headers.get('retry-after')).toBe('2');
      state.injectFault({ path: '/v2/currentOrg', status: 0 });
      await expect(call(url, 'GET', '/v2/currentOrg', { token: adminToken })).rejects.toThrow();
      expect((await call(url, 'GET', '/v2/currentOrg', { token: adminToken })).body).toEqual({ id: state.defaultOrg.id });
    });
  });

  it('close() returns while a keep-alive connection is open and a slow request is pending', async () => {
    const state = EmulatorState.create();
    const server = await startEmulatorServer({ state, port: 0 });
    expect((await call(server.url, 'GET', '/v2/currentOrg', { token: state.adminToken })).status).toBe(200);
    state.injectFault({ path: '/v2/tokens', status: 503, delayMs: 60_000 });
    const pending = call(server.url, 'GET', '/v2/tokens', { token: state.adminToken }).catch((e: unknown) => e);
    await new Promise((resolve) => setTimeout(resolve, 50));
    await server.close();
    expect(await pending).toBeInstanceOf(Error);
  });

  it('keeps tokens across a restart with the saved state', async () => {
    const state = EmulatorState.create();
    const admin = state.adminToken;
    const issued = await withEmulatorServer(
      async ({ url }) => (await call(url, 'POST', '/v2/tokens', { token: admin, body: { roles: ['x'] } })).body as { token: string },
      { state },
    );
    const saved = JSON.stringify(state);
    await withEmulatorServer(
      async ({ url }) => {
        expect((await call(url, 'GET', '/v2/currentOrg', { token: issued.token })).status).toBe(200);
        expect((await call(url, 'GET', '/v2/tokens', { token: admin })).status).toBe(200);
      },
      { state: EmulatorState.fromJSON(saved) },
    );
  });
});
