// The production path: createApiClient without a fetch uses undici's fetch with the proxy-aware dispatcher
// (src/api/http.ts). Run against node:http servers on loopback, which count what they receive.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createApiClient, type ApiSettings } from '../../src/api/index.js';
import { DevOpsClient } from '../../src/api/client.js';
import { closeHttp, undiciRequestFetch } from '../../src/api/http.js';
import { Transport } from '../../src/api/transport.js';
import { NetworkError, ResponseShapeError, TimeoutError } from '../../src/api/errors.js';
import { describeError } from '../../src/errors.js';
import { runCli } from '../helpers/cli.js';
import { caught, CLIENT_ID, CREATED_TOKEN_ANSWER, ORG_ID, ROLE_ID, SECRET_HEX, TOKEN, USER_AGENT } from '../helpers/fixtures/api.js';

type Handler = (req: IncomingMessage, res: ServerResponse, n: number, body: string) => void;

interface Loopback {
  url: string;
  /** Requests received, in order. */
  requests: { method: string; path: string; headers: IncomingMessage['headers']; body: string }[];
  handle: Handler;
  server: Server;
}

async function startLoopback(): Promise<Loopback> {
  const lb: Loopback = {
    url: '',
    requests: [],
    handle: (_req, res) => {
      res.writeHead(500).end('no handler');
    },
    server: undefined as unknown as Server,
  };
  lb.server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => {
      lb.requests.push({ method: req.method!, path: req.url!, headers: req.headers, body });
      // No keep-alive: a pooled socket closed between tests would cost a retry and skew the attempt counts.
      res.setHeader('Connection', 'close');
      lb.handle(req, res, lb.requests.length, body);
    });
  });
  await new Promise<void>((resolve) => lb.server.listen(0, '127.0.0.1', resolve));
  lb.url = `http://127.0.0.1:${(lb.server.address() as AddressInfo).port}`;
  return lb;
}

const PROXY_VARS = ['HTTP_PROXY', 'HTTPS_PROXY', 'http_proxy', 'https_proxy', 'NO_PROXY', 'no_proxy'];
const savedEnv: Record<string, string | undefined> = {};
let api: Loopback;
let other: Loopback;

beforeAll(async () => {
  // EnvHttpProxyAgent reads these when it is built (on the first client): a proxy in the developer's or CI's
  // environment must not capture loopback traffic.
  for (const k of PROXY_VARS) {
    savedEnv[k] = process.env[k];
    delete process.env[k];
  }
  process.env.NO_PROXY = '127.0.0.1,localhost';
  api = await startLoopback();
  other = await startLoopback();
});

afterEach(() => {
  api.server.closeAllConnections();
  other.server.closeAllConnections();
  api.requests.length = 0;
  other.requests.length = 0;
});

afterAll(async () => {
  await closeHttp();
  await Promise.all([api, other].map((lb) => new Promise((resolve) => lb.server.close(resolve))));
  for (const k of PROXY_VARS) {
    if (savedEnv[k] === undefined) delete process.env[k];
    else process.env[k] = savedEnv[k];
  }
});

function client(overrides: Partial<ApiSettings> = {}): Promise<DevOpsClient> {
  return createApiClient({ baseUrl: api.url, token: TOKEN, userAgent: USER_AGENT, timeoutMs: 5000, ...overrides });
}

const json = (res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}) =>
  res.writeHead(status, { 'Content-Type': 'application/json', ...headers }).end(JSON.stringify(value));

describe('the real undici path over loopback', () => {
  it('sends the standard headers', async () => {
    api.handle = (_req, res) => json(res, 200, CREATED_TOKEN_ANSWER);
    await (await client()).createToken({ roles: [ROLE_ID] });
    expect(api.requests).toHaveLength(1);
    const r = api.requests[0]!;
    expect(r.method).toBe('POST');
    expect(r.path).toBe('/v2/tokens');
    expect(r.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(r.headers.accept).toBe('application/json');
    expect(r.headers['content-type']).toBe('application/json');
    expect(r.headers['user-agent']).toBe(USER_AGENT);
    expect(JSON.parse(r.body)).toEqual({ roles: [ROLE_ID] });
  });

  it('retries a GET on 503, then succeeds', async () => {
    api.handle = (_req, res, n) => (n === 1 ? json(res, 503, 'try later') : json(res, 200, { id: ORG_ID }));
    const delays: number[] = [];
    const c = await client({ sleep: (ms) => (delays.push(ms), Promise.resolve()) });
    expect(await c.currentOrg()).toEqual({ id: ORG_ID });
    expect(api.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /v2/currentOrg', 'GET /v2/currentOrg']);
    expect(delays).toEqual([300]);
  });

  it('gives up after 4 attempts of 503: UNAVAILABLE, exit 7', async () => {
    api.handle = (_req, res) => json(res, 503, { errors: [{ ID: 503, message: 'maintenance' }] });
    const err = await caught(async () => (await client({ sleep: () => Promise.resolve() })).currentOrg());
    expect(api.requests).toHaveLength(4);
    expect(describeError(err)).toMatchObject({ code: 'UNAVAILABLE', exitCode: 7, status: 503 });
    expect(err.message).toBe('maintenance [503] (HTTP 503 from GET /v2/currentOrg); gave up after 4 attempts');
  });

  it('honours Retry-After: 1 on 429 (the requested delay is what is slept)', async () => {
    api.handle = (_req, res, n) =>
      n === 1 ? json(res, 429, { errors: [{ ID: 429, message: 'rate limited' }] }, { 'Retry-After': '1' }) : json(res, 200, { id: ORG_ID });
    const delays: number[] = [];
    const c = await client({ sleep: (ms) => (delays.push(ms), Promise.resolve()) });
    expect(await c.currentOrg()).toEqual({ id: ORG_ID });
    expect(api.requests).toHaveLength(2);
    expect(delays).toEqual([1000]);
  });

  it('honours Retry-After: 1 with a real wait', async () => {
    api.handle = (_req, res, n) => (n === 1 ? res.writeHead(429, { 'Retry-After': '1' }).end() : json(res, 200, { id: ORG_ID }));
    expect(await (await client()).currentOrg()).toEqual({ id: ORG_ID });
    expect(api.requests).toHaveLength(2);
  });

  it('does not wait for a Retry-After beyond the limit, and says what the API asked', async () => {
    api.handle = (_req, res) => res.writeHead(429, { 'Retry-After': '3600' }).end();
    const delays: number[] = [];
    const err = await caught(async () => (await client({ sleep: (ms) => (delays.push(ms), Promise.resolve()) })).currentOrg());
    expect(api.requests).toHaveLength(1);
    expect(delays).toEqual([]);
    expect(describeError(err)).toMatchObject({ code: 'UNAVAILABLE', exitCode: 7, status: 429 });
    expect(err.message).toBe('HTTP 429 from GET /v2/currentOrg');
    expect(err.hint).toMatch(
      /^the API asked to wait 60m before retrying; only \d+s was left of this request's \d+s limit \(3x --timeout\), so it was not waited for$/,
    );
  });

  it('does not retry a POST on 503: exactly one request', async () => {
    api.handle = (_req, res) => res.writeHead(503, { 'Content-Type': 'text/plain' }).end('upstream unavailable');
    const err = await caught(async () => (await client({ sleep: () => Promise.resolve() })).createToken({ roles: [ROLE_ID] }));
    expect(api.requests).toHaveLength(1);
    expect(describeError(err)).toMatchObject({ code: 'UNAVAILABLE', exitCode: 7, status: 503 });
    expect(err.message).toBe('upstream unavailable (HTTP 503 from POST /v2/tokens)');
  });

  it('retries a GET after the connection is reset', async () => {
    api.handle = (req, res, n) => (n === 1 ? req.socket.destroy() : json(res, 200, [{ id: ROLE_ID, name: 'R' }]));
    const delays: number[] = [];
    const roles = await (await client({ sleep: (ms) => (delays.push(ms), Promise.resolve()) })).listRoles();
    expect(roles.map((r) => r.id)).toEqual([ROLE_ID]);
    expect(api.requests).toHaveLength(2);
    expect(delays).toEqual([300]);
  });

  it('does not retry a POST after the connection is reset (it may have been applied)', async () => {
    api.handle = (req) => req.socket.destroy();
    const err = await caught(async () => (await client({ sleep: () => Promise.resolve() })).createToken({ roles: [ROLE_ID] }));
    expect(api.requests).toHaveLength(1);
    expect(err).toBeInstanceOf(NetworkError);
    expect(describeError(err)).toMatchObject({ code: 'UNAVAILABLE', exitCode: 7 });
    expect(err.message).toMatch(new RegExp(`^cannot reach 127\\.0\\.0\\.1:\\d+: .+`));
  });

  it('a refused loopback connection is reported at once, suggesting the emulator, without retries', async () => {
    const closed = await startLoopback();
    const url = closed.url;
    await new Promise((resolve) => closed.server.close(resolve));
    const port = new URL(url).port;
    const delays: number[] = [];
    const err = await caught(async () =>
      (await client({ baseUrl: url, sleep: (ms) => (delays.push(ms), Promise.resolve()) })).createToken({ roles: [ROLE_ID] }),
    );
    expect(delays).toEqual([]);
    expect(err).toBeInstanceOf(NetworkError);
    expect(err.message).toBe(`nothing is listening at 127.0.0.1:${port} (connection refused)`);
    expect(describeError(err)).toMatchObject({
      code: 'UNAVAILABLE',
      exitCode: 7,
      hint: `start the emulator there with: astra-token emulator --port ${port} --state <file> (the file its last run saved, so its tokens come back)`,
    });
  });

  it('a refused connection on another loopback host names it in the emulator hint (--host ::1)', async (t) => {
    const probe = createNetServer();
    const port = await new Promise<number | undefined>((resolve) => {
      probe.once('error', () => resolve(undefined));
      probe.listen(0, '::1', () => resolve((probe.address() as AddressInfo).port));
    });
    if (port === undefined) return t.skip('no IPv6 loopback on this machine');
    await new Promise((resolve) => probe.close(resolve));
    const err = await caught(async () =>
      (await client({ baseUrl: `http://[::1]:${port}`, sleep: () => Promise.resolve() })).createToken({ roles: [ROLE_ID] }),
    );
    expect(err.message).toBe(`nothing is listening at [::1]:${port} (connection refused)`);
    expect(describeError(err).hint).toBe(
      `start the emulator there with: astra-token emulator --host ::1 --port ${port} --state <file> (the file its last run saved, so its tokens come back)`,
    );
  });

  it('a body that never ends times out: TimeoutError, exit 7, with a clear message', async () => {
    api.handle = (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.write('{"id":');
    };
    const err = await caught(async () => (await client({ timeoutMs: 300 })).currentOrg());
    expect(err).toBeInstanceOf(TimeoutError);
    expect(describeError(err)).toMatchObject({ code: 'UNAVAILABLE', exitCode: 7 });
    expect(err.message).toBe('GET /v2/currentOrg timed out after 0.3s');
    expect(err.hint).toBe('the API did not answer in time; retry later or raise --timeout');
    expect(api.requests).toHaveLength(1);
  });

  it('no answer at all times out the same way', async () => {
    api.handle = () => undefined;
    const err = await caught(async () => (await client({ timeoutMs: 300 })).listTokens());
    expect(err).toBeInstanceOf(TimeoutError);
    expect(describeError(err)).toMatchObject({ exitCode: 7 });
    expect(err.message).toBe('GET /v2/tokens timed out after 0.3s');
  });

  it('does not follow a redirect: the other host never receives the Authorization header', async () => {
    other.handle = (_req, res) => json(res, 200, { id: ORG_ID });
    api.handle = (_req, res) => res.writeHead(302, { Location: `${other.url}/v2/currentOrg?t=${TOKEN}` }).end();
    const err = await caught(async () => (await client()).currentOrg());
    expect(other.requests).toHaveLength(0);
    expect(api.requests).toHaveLength(1);
    expect(describeError(err)).toMatchObject({ code: 'BAD_RESPONSE', exitCode: 1, status: 302 });
    expect(err.message).toBe(
      `GET /v2/currentOrg answered with a redirect (HTTP 302 to ${other.url}/v2/currentOrg?t=AstraCS:${CLIENT_ID}:[redacted]); not followed, so the token stays with the API host`,
    );
  });

  it('does not follow a 307 on POST either', async () => {
    other.handle = (_req, res) => json(res, 200, CREATED_TOKEN_ANSWER);
    api.handle = (_req, res) => res.writeHead(307, { Location: `${other.url}/v2/tokens` }).end();
    const err = await caught(async () => (await client()).createToken({ roles: [ROLE_ID] }));
    expect(other.requests).toHaveLength(0);
    expect(describeError(err)).toMatchObject({ exitCode: 1, status: 307 });
  });

  it('refuses a body over the size cap declared by Content-Length', async () => {
    api.handle = (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': String(17 * 1024 * 1024) });
      res.write('[');
    };
    const err = await caught(async () => (await client()).listRoles());
    expect(err).toBeInstanceOf(ResponseShapeError);
    expect(describeError(err)).toMatchObject({ code: 'BAD_RESPONSE', exitCode: 1 });
    expect(err.message).toBe('GET /v2/organizations/roles sent a response larger than 16 MiB; refused');
  });

  it('refuses a chunked body once it grows over the cap', async () => {
    api.handle = (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      const chunk = `"${'x'.repeat(1022)}",`;
      res.write('[');
      for (let i = 0; i < 8; i++) res.write(chunk);
      res.end('"x"]');
    };
    const transport = new Transport({
      baseUrl: api.url,
      token: TOKEN,
      userAgent: USER_AGENT,
      timeoutMs: 5000,
      fetch: undiciRequestFetch(),
      maxBodyBytes: 4096,
    });
    const err = await caught(() => new DevOpsClient(transport).listRoles());
    expect(err).toBeInstanceOf(ResponseShapeError);
    expect(err.message).toBe('GET /v2/organizations/roles sent a response larger than 4 KiB; refused');
  });

  it('redacts every secret from the --debug trace and from error messages', async () => {
    // A server that echoes credentials back (some gateways do), and a user who gave a whole token as a client id.
    api.handle = (req, res, n) =>
      n === 1
        ? res.writeHead(503, { 'Content-Type': 'text/plain' }).end(`overloaded; you sent ${req.headers.authorization}`)
        : res.writeHead(401, { 'Content-Type': 'text/plain' }).end(`rejected Authorization: ${req.headers.authorization} for ${req.url}`);
    const lines: string[] = [];
    const c = await client({ debug: (l) => lines.push(l), sleep: () => Promise.resolve() });
    const list = await caught(() => c.listTokens());
    const del = await caught(() => c.deleteToken(TOKEN));

    expect(lines.length).toBeGreaterThanOrEqual(4);
    expect(lines[0]).toBe(`> GET ${api.url}/v2/tokens`);
    expect(lines).toContain(`> DELETE ${api.url}/v2/tokens/AstraCS:${CLIENT_ID}:[redacted]`);
    for (const text of [...lines, list.message, del.message, String(list.hint), String(del.hint)]) {
      expect(text).not.toContain(SECRET_HEX);
      expect(text).not.toContain(`Bearer ${TOKEN}`);
      expect(text).not.toMatch(/AstraCS(:|%3A)[A-Za-z]+(:|%3A)[0-9a-f]{8}/i);
    }
    expect(list.message).toBe(
      `rejected Authorization: Bearer AstraCS:${CLIENT_ID}:[redacted] for /v2/tokens (HTTP 401 from GET /v2/tokens)`,
    );
    expect(describeError(del)).toMatchObject({ exitCode: 3 });
    expect(del.message).toBe(
      `rejected Authorization: Bearer AstraCS:${CLIENT_ID}:[redacted] for /v2/tokens/AstraCS:${CLIENT_ID}:[redacted] (HTTP 401 from DELETE /v2/tokens/AstraCS:${CLIENT_ID}:[redacted])`,
    );
  });

  it('astra-token --debug traces on stderr with every secret redacted, stdout keeps only data', async () => {
    api.handle = (req, res, n) =>
      n === 1
        ? res.writeHead(503, { 'Content-Type': 'text/plain' }).end(`busy; got ${req.headers.authorization}`)
        : json(res, 200, [
            { id: ROLE_ID, name: 'Readers', policy: { description: '', resources: [], actions: ['db-cql'], effect: 'allow' } },
          ]);
    const r = await runCli(['role', 'list', '--debug'], {
      env: { ASTRA_DB_APPLICATION_TOKEN: TOKEN, ASTRA_API_URL: api.url },
    });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Readers');
    expect(r.stdout).not.toContain('[debug]');
    const debug = r.stderr.split('\n').filter((l) => l.includes('[debug]'));
    expect(debug).toContain(`[debug] > GET ${api.url}/v2/organizations/roles`);
    expect(debug).toContain(`[debug] > GET ${api.url}/v2/organizations/roles (attempt 2)`);
    expect(r.stderr).not.toContain(SECRET_HEX);
    expect(r.stderr).not.toContain(TOKEN);
    expect(api.requests[0]!.headers.authorization).toBe(`Bearer ${TOKEN}`);
  });

  it('astra-token --debug on a rejected token: one redacted error line plus the trace, exit 3', async () => {
    api.handle = (req, res) => res.writeHead(401, { 'Content-Type': 'text/plain' }).end(`invalid credential ${req.headers.authorization}`);
    const r = await runCli(['role', 'list', '--debug'], {
      env: { ASTRA_DB_APPLICATION_TOKEN: TOKEN, ASTRA_API_URL: api.url },
    });
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(
      `error: invalid credential Bearer AstraCS:${CLIENT_ID}:[redacted] (HTTP 401 from GET /v2/organizations/roles)`,
    );
    expect(r.stderr).not.toContain(SECRET_HEX);
  });
});
