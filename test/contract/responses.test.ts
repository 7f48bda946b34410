// Hostile or odd answers, through the whole CLI. In-process, msw serves them to the injected fetch; over a raw
// loopback server, the built bin meets them with undici's own fetch (the production path), including what msw cannot
// do: a redirect to another origin, a connection cut in the middle of a body, a body that never ends.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getResponse, http, HttpResponse } from 'msw';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HAS_BUILD, NO_BUILD_REASON, runBin } from '../helpers/bin.js';
import { runCli } from '../helpers/cli.js';
import { useEmulator } from '../helpers/emulator.js';
import { createHandlers } from '../../src/emulator/handlers.js';
import { EmulatorState, toWireRole } from '../../src/emulator/state.js';

const NOW = new Date('2026-03-01T12:00:00.000Z');
const emu = useEmulator({ state: { now: () => NOW } });
const env = () => ({ ASTRA_DB_APPLICATION_TOKEN: emu.adminToken, ASTRA_API_URL: emu.baseUrl });
const list = (extra: string[] = [], opts: { tty?: boolean; columns?: number } = {}) =>
  runCli(['token', 'list', ...extra], { env: env(), now: NOW, ...opts });

const HINT = 'check the API URL in use and any proxy in between (--debug shows the exchange); if both are right, report it as a bug';
const PROXY_PAGE = '<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1><hr>nginx</body></html>';
const LOGIN_PAGE = '<html><head><title>Corporate sign-in</title></head><body><form>...</form></body></html>';
const MIB = 1024 * 1024;
const secretOf = (token: string) => token.split(':')[2]!;

const tokens = (body: ConstructorParameters<typeof HttpResponse>[0], init: ResponseInit = {}) =>
  emu.server.use(
    http.get('*/v2/tokens', () => new HttpResponse(body, { status: 200, headers: { 'Content-Type': 'application/json' }, ...init })),
  );

/** A body of `total` bytes, produced only as it is read; `pulled()` says how much the reader took. */
function lazyBody(total: number) {
  let sent = 0;
  const chunk = new Uint8Array(MIB).fill(0x20);
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent >= total) return controller.close();
      sent += chunk.byteLength;
      controller.enqueue(chunk);
    },
  });
  return { stream, pulled: () => sent };
}

function expectOneLine(stderr: string) {
  expect(stderr.endsWith('\n')).toBe(true);
  expect(stderr.slice(0, -1)).not.toContain('\n');
  expect(stderr).not.toMatch(/^\s+at /m);
}

describe('odd answers through the CLI (msw)', () => {
  it('a proxy HTML error page: named by its title, retried, then exit 7', async () => {
    emu.server.use(http.get('*/v2/tokens', () => new HttpResponse(PROXY_PAGE, { status: 502, headers: { 'Content-Type': 'text/html' } })));
    const r = await list();
    expect(r).toEqual({
      code: 7,
      stdout: '',
      stderr:
        'error: an HTML page "502 Bad Gateway" instead of an API answer (a proxy or gateway in the way?) (HTTP 502 from GET /v2/tokens); gave up after 4 attempts\n',
    });
    expect(emu.state.requests.filter((q) => q.path === '/v2/tokens')).toHaveLength(0); // answered by the override
  });

  it('an HTML page with 200 (a login portal in the way): exit 1, says so, never quotes markup', async () => {
    tokens(LOGIN_PAGE, { headers: { 'Content-Type': 'text/html; charset=utf-8' } });
    const r = await list();
    expect(r).toEqual({
      code: 1,
      stdout: '',
      stderr: `error: GET /v2/tokens answered HTTP 200 with an HTML page "Corporate sign-in" instead of an API answer (a proxy or gateway in the way?); ${HINT}\n`,
    });
  });

  it('truncated JSON: exit 1 BAD_RESPONSE, one JSON line with --json', async () => {
    tokens('{"clients":[{"clientId":"AbCdEfGhIjKlMnOpQrStUvWx","roles":["');
    const r = await list(['--json']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expectOneLine(r.stderr);
    expect(JSON.parse(r.stderr)).toEqual({
      error: { code: 'BAD_RESPONSE', message: 'GET /v2/tokens answered HTTP 200 with a body that is not JSON', hint: HINT },
    });
  });

  it('wrong types: exit 1 naming the field', async () => {
    tokens(JSON.stringify({ clients: [{ clientId: 42, roles: 'all', generatedOn: true }] }));
    const r = await list();
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      `error: GET /v2/tokens answered in an unexpected shape (clients.0.clientid: Invalid input: expected string, received number); ${HINT}\n`,
    );
  });

  it('a list that is not a list: exit 1', async () => {
    tokens(JSON.stringify({ clients: { AbCdEfGhIjKlMnOpQrStUvWx: {} } }));
    const r = await list();
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: GET \/v2\/tokens answered in an unexpected shape \(clients: /);
    expectOneLine(r.stderr);
  });

  it('JSON nested a million levels deep: exit 1, no stack overflow trace', async () => {
    tokens('['.repeat(1_000_000) + ']'.repeat(1_000_000));
    const r = await list();
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expectOneLine(r.stderr);
    expect(r.stderr).toMatch(/^error: GET \/v2\/tokens answered (HTTP 200 with a body that is not JSON|in an unexpected shape)/);
  });

  it('extra unknown fields everywhere are fine: the output is what it would be without them', async () => {
    emu.state.issueToken(emu.state.defaultOrg.id, ['RO User'], { description: 'reader' });
    const plain = await list(['--json']);
    expect(plain.code).toBe(0);
    // The emulator's own answers, each object given fields this tool has never heard of.
    const handlers = createHandlers(emu.state);
    const decorate = (v: unknown): unknown =>
      Array.isArray(v)
        ? v.map(decorate)
        : v && typeof v === 'object'
          ? {
              ...Object.fromEntries(Object.entries(v).map(([k, x]) => [k, decorate(x)])),
              shinyNewField: { nested: [1, null] },
              ttl_policy: null,
            }
          : v;
    emu.server.use(
      http.get(/\/v2\/(tokens|organizations\/roles)$/, async ({ request }) => {
        const real = await getResponse(handlers, request);
        return HttpResponse.json(decorate(await real!.json()) as Record<string, unknown>, { status: real!.status });
      }),
    );
    const r = await list(['--json']);
    expect(r).toEqual({ code: 0, stdout: plain.stdout, stderr: '' });
    expect(JSON.parse(r.stdout)).toHaveLength(2);
  });

  it('invalid UTF-8 inside a string is shown as U+FFFD, not fatal', async () => {
    const id = 'AbCdEfGhIjKlMnOpQrStUvWx';
    const bytes = Buffer.concat([
      Buffer.from(`{"clients":[{"clientId":"${id}","roles":[],"description":"caf`),
      Buffer.from([0xc3, 0x28, 0xff]),
      Buffer.from('","generatedOn":"2026-02-01T00:00:00Z"}]}'),
    ]);
    tokens(bytes);
    const r = await list();
    expect(r).toEqual({ code: 0, stdout: `${id}\t\tcaf\ufffd(\ufffd\t2026-02-01T00:00:00.000Z\t\n`, stderr: '' });
  });

  it('invalid UTF-8 where JSON syntax should be: exit 1', async () => {
    tokens(Buffer.concat([Buffer.from('{"clients":'), Buffer.from([0xff, 0xfe, 0xfd]), Buffer.from('[]}')]));
    const r = await list();
    expect(r).toEqual({ code: 1, stdout: '', stderr: `error: GET /v2/tokens answered HTTP 200 with a body that is not JSON; ${HINT}\n` });
  });

  it('a 200 with an empty body: exit 1', async () => {
    tokens(null);
    const r = await list();
    expect(r).toEqual({ code: 1, stdout: '', stderr: `error: GET /v2/tokens answered HTTP 200 with an empty body; ${HINT}\n` });
  });

  it('a body that never ends: the --timeout deadline covers the body, exit 7', async () => {
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('{"clients":['));
      },
    });
    tokens(stream);
    const r = await list(['--timeout', '1']);
    expect(r).toEqual({
      code: 7,
      stdout: '',
      stderr: 'error: GET /v2/tokens timed out after 1s; the API did not answer in time; retry later or raise --timeout\n',
    });
  });

  it('a 50 MB body is refused once past the cap, without reading the rest', async () => {
    const body = lazyBody(50 * MIB);
    tokens(body.stream);
    const r = await list(['--json']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(JSON.parse(r.stderr)).toEqual({
      error: { code: 'BAD_RESPONSE', message: 'GET /v2/tokens sent a response larger than 16 MiB; refused', hint: HINT },
    });
    expect(body.pulled()).toBeLessThanOrEqual(20 * MIB);
  });

  it('a declared Content-Length past the cap is refused before the body is read', async () => {
    const body = lazyBody(50 * MIB);
    tokens(body.stream, { headers: { 'Content-Type': 'application/json', 'Content-Length': String(50 * MIB) } });
    const r = await list();
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`error: GET /v2/tokens sent a response larger than 16 MiB; refused; ${HINT}\n`);
    expect(body.pulled()).toBeLessThanOrEqual(2 * MIB);
  });

  it('a redirect is not followed: exit 1, the target never sees the token', async () => {
    let followed = 0;
    emu.server.use(
      http.get(
        '*/v2/tokens',
        () => new HttpResponse(null, { status: 302, headers: { Location: 'https://elsewhere.example.net/v2/tokens' } }),
      ),
      http.get('https://elsewhere.example.net/*', () => {
        followed += 1;
        return HttpResponse.json({ clients: [] });
      }),
    );
    const r = await list();
    expect(r).toEqual({
      code: 1,
      stdout: '',
      stderr:
        'error: GET /v2/tokens answered with a redirect (HTTP 302 to https://elsewhere.example.net/v2/tokens); not followed, so the token stays with the API host; check the API URL (--api-url, --env, ASTRA_API_URL or the profile); a proxy or a moved endpoint may be in the way\n',
    });
    expect(followed).toBe(0);
  });

  it('an error body echoing the token back is redacted', async () => {
    const secret = secretOf(emu.adminToken);
    emu.server.use(
      http.get('*/v2/tokens', ({ request }) =>
        HttpResponse.json(
          { errors: [{ message: `token ${request.headers.get('authorization')} is not allowed; secret=${secret}`, ID: 1 }] },
          { status: 403 },
        ),
      ),
    );
    const r = await list(['--debug']);
    expect(r.code).toBe(4);
    expect(r.stdout).toBe('');
    expect(r.stderr).not.toContain(secret);
    expect(r.stderr).toMatch(
      /^error: token Bearer AstraCS:[A-Za-z]{24}:\[redacted\] is not allowed; secret=\[redacted\] \[1\] \(HTTP 403 from GET \/v2\/tokens\)$/m,
    );
  });

  it('terminal escapes in an API error message never reach the terminal', async () => {
    emu.server.use(
      http.get('*/v2/tokens', () =>
        HttpResponse.json(
          { message: 'bad\u001b[2J\u001b]0;pwned\u0007 things\u001b]52;c;ZWNobyBoaQ==\u0007 happened\r\nreally' },
          { status: 400 },
        ),
      ),
    );
    for (const tty of [false, true]) {
      const r = await list([], { tty });
      expect(r.code).toBe(2);
      // eslint-disable-next-line no-control-regex -- ANSI escape sequences start with the control character ESC
      const withoutOurColour = r.stderr.replace(/\u001b\[[0-9;]*m/g, '');
      // Shown, not obeyed: every escape is made visible, on one line.
      expect(withoutOurColour).toBe(
        'error: bad\\x1b[2J\\x1b]0;pwned\\x07 things\\x1b]52;c;ZWNobyBoaQ==\\x07 happened really (HTTP 400 from GET /v2/tokens)\n',
      );
      // eslint-disable-next-line no-control-regex -- control characters are what this looks for
      expect(withoutOurColour).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
    }
  });

  it('terminal escapes in data (a token description) are made visible in tables and piped rows, kept exact in JSON', async () => {
    const evil = 'nightly\u001b[2J\u001b]0;owned\u0007 job\u009b31m\ttab\rcr';
    const issued = emu.state.issueToken(emu.state.defaultOrg.id, ['RO User'], { description: evil });
    const id = issued.token.split(':')[1]!;
    const piped = await list();
    expect(piped.code).toBe(0);
    const shown = 'nightly\\x1b[2J\\x1b]0;owned\\x07 job\\x9b31m\\ttab\\rcr';
    expect(piped.stdout.split('\n').find((l) => l.startsWith(id))).toBe(`${id}\tRO User\t${shown}\t${NOW.toISOString()}\t`);
    const tty = await list(['--no-color'], { tty: true, columns: 200 });
    expect(tty.code).toBe(0);
    expect(tty.stdout).toContain(shown);
    // eslint-disable-next-line no-control-regex -- control characters are what this looks for
    expect(tty.stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
    const json = await list(['--json']);
    const rows = JSON.parse(json.stdout) as { clientId: string; description: string }[];
    expect(rows.find((t) => t.clientId === id)!.description).toBe(evil);
  });
});

// ---- the real undici path: the built bin against raw loopback servers --------------------------------------------

type Handler = (req: IncomingMessage, res: ServerResponse) => void;
interface Raw {
  url: string;
  seen: { method: string; path: string; authorization?: string }[];
  handle: Handler;
  server: Server;
}

async function rawServer(): Promise<Raw> {
  const raw: Raw = { url: '', seen: [], handle: (_q, s) => s.writeHead(500).end(), server: undefined as unknown as Server };
  raw.server = createServer((req, res) => {
    raw.seen.push({ method: req.method!, path: req.url!, authorization: req.headers.authorization });
    // Roles are asked for alongside tokens: answer them plainly so that each test is about the tokens answer.
    if (req.url === '/v2/organizations/roles') return void res.writeHead(200, { 'Content-Type': 'application/json' }).end(ROLES);
    raw.handle(req, res);
  });
  await new Promise<void>((resolve) => raw.server.listen(0, '127.0.0.1', resolve));
  raw.url = `http://127.0.0.1:${(raw.server.address() as AddressInfo).port}`;
  return raw;
}

const ROLES = JSON.stringify(EmulatorState.create().defaultOrg.roles.map(toWireRole));
const TOKEN = `AstraCS:${'Q'.repeat(24)}:${'ab'.repeat(32)}`;

describe.skipIf(!HAS_BUILD)(`odd answers over loopback, undici, the built bin${HAS_BUILD ? '' : ` (${NO_BUILD_REASON})`}`, () => {
  let api: Raw;
  let other: Raw;
  beforeAll(async () => {
    api = await rawServer();
    other = await rawServer();
  });
  afterAll(async () => {
    for (const s of [api, other]) {
      s.server.closeAllConnections();
      await new Promise((r) => s.server.close(r));
    }
  });
  const bin = (args: string[]) =>
    runBin(args, { env: { ASTRA_DB_APPLICATION_TOKEN: TOKEN, ASTRA_API_URL: api.url, NO_PROXY: '127.0.0.1' } });
  const reset = (h: Handler) => {
    api.handle = h;
    api.seen.length = 0;
    other.seen.length = 0;
  };

  it('a redirect to another origin (302 and 307, GET and POST) is never followed: the other server sees nothing', async () => {
    for (const status of [302, 307, 308]) {
      reset((_q, s) => s.writeHead(status, { Location: `${other.url}/v2/tokens` }).end());
      const r = await bin(['token', 'list']);
      expect(r.code).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toBe(
        `error: GET /v2/tokens answered with a redirect (HTTP ${status} to ${other.url}/v2/tokens); not followed, so the token stays with the API host; check the API URL (--api-url, --env, ASTRA_API_URL or the profile); a proxy or a moved endpoint may be in the way\n`,
      );
      expect(other.seen).toEqual([]);
    }
    // A POST redirected with 307/308 would be replayed, body and all, by a client that follows.
    reset((q, s) => s.writeHead(307, { Location: `${other.url}${q.url}` }).end());
    const created = await bin(['token', 'create', '--role', 'RO User']);
    expect(created.code).toBe(1);
    expect(created.stdout).toBe('');
    expect(created.stderr).toMatch(/^error: POST \/v2\/tokens answered with a redirect \(HTTP 307 to /);
    expect(api.seen.map((q) => `${q.method} ${q.path}`)).toContain('POST /v2/tokens');
    expect(other.seen).toEqual([]);
  });

  it('a body that never ends: exit 7 at the --timeout deadline', async () => {
    reset((_q, s) => {
      s.writeHead(200, { 'Content-Type': 'application/json' });
      s.write('{"clients":[');
    });
    const r = await bin(['token', 'list', '--timeout', '1']);
    expect(r).toMatchObject({
      code: 7,
      stdout: '',
      stderr: 'error: GET /v2/tokens timed out after 1s; the API did not answer in time; retry later or raise --timeout\n',
    });
  });

  it('a 50 MB chunked body: refused past 16 MiB, the connection dropped before the rest was sent', async () => {
    let flushed = 0;
    let closed!: () => void;
    const done = new Promise<void>((r) => (closed = r));
    reset((_q, s) => {
      s.writeHead(200, { 'Content-Type': 'application/json' });
      const chunk = Buffer.alloc(MIB, 0x20);
      s.on('close', () => closed());
      const pump = () => {
        while (flushed < 50 * MIB && !s.destroyed) {
          flushed += MIB;
          if (!s.write(chunk)) return void s.once('drain', pump);
        }
        s.end();
      };
      pump();
    });
    const r = await bin(['token', 'list']);
    await done;
    expect(r).toMatchObject({
      code: 1,
      stdout: '',
      stderr: `error: GET /v2/tokens sent a response larger than 16 MiB; refused; ${HINT}\n`,
    });
    expect(flushed).toBeLessThan(50 * MIB);
  });

  it('a connection cut in the middle of the body: exit 7, says the answer broke off (not "cannot reach")', async () => {
    reset((_q, s) => {
      s.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': '500' });
      s.write('{"clients":[{"clientId":"Abc');
      setTimeout(() => s.socket?.destroy(), 20);
    });
    const r = await bin(['token', 'list']);
    expect(r.code).toBe(7);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(
      new RegExp(
        `^error: the connection to 127\\.0\\.0\\.1:\\d+ broke off in the middle of the answer to GET /v2/tokens: .+; gave up after 4 attempts\\n$`,
      ),
    );
    expect(api.seen.filter((q) => q.path === '/v2/tokens')).toHaveLength(4);
  });

  it('a proxy HTML page, invalid UTF-8 and an empty 200 each end in one clear line', async () => {
    reset((_q, s) => s.writeHead(200, { 'Content-Type': 'text/html' }).end(LOGIN_PAGE));
    expect(await bin(['token', 'list'])).toMatchObject({
      code: 1,
      stdout: '',
      stderr: `error: GET /v2/tokens answered HTTP 200 with an HTML page "Corporate sign-in" instead of an API answer (a proxy or gateway in the way?); ${HINT}\n`,
    });
    reset((_q, s) => s.writeHead(200, { 'Content-Type': 'application/json' }).end(Buffer.from([0x7b, 0xff, 0xfe, 0x7d])));
    expect(await bin(['token', 'list'])).toMatchObject({
      code: 1,
      stdout: '',
      stderr: `error: GET /v2/tokens answered HTTP 200 with a body that is not JSON; ${HINT}\n`,
    });
    reset((_q, s) => s.writeHead(200, { 'Content-Type': 'application/json' }).end());
    expect(await bin(['token', 'list', '--json'])).toMatchObject({
      code: 1,
      stdout: '',
      stderr:
        JSON.stringify({ error: { code: 'BAD_RESPONSE', message: 'GET /v2/tokens answered HTTP 200 with an empty body', hint: HINT } }) +
        '\n',
    });
  });
});
