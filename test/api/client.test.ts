// Every DevOpsClient method against msw handlers written here: what goes on the wire (method, path, headers, body)
// and how each variant of the answer (docs/devops-api.md) is normalised or turned into an error.
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { RouteKnowledge } from '../../src/api/route-knowledge.js';
import { ApiError, ResponseShapeError } from '../../src/api/errors.js';
import { describeError } from '../../src/errors.js';
import {
  BASE_URL,
  caught,
  CLIENT_ID,
  CREATED_TOKEN_ANSWER,
  msClient,
  ORG_ID,
  ROLE_ID,
  ROLE_ID_2,
  TOKEN,
  USER_AGENT,
} from '../helpers/fixtures/api.js';

interface Seen {
  method: string;
  path: string;
  headers: Headers;
  body: string;
}

const seen: Seen[] = [];
const server = setupServer();

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => {
  server.resetHandlers();
  seen.length = 0;
});
afterAll(() => server.close());

/** Records the request inside the resolver; assertions run after the call so a failure is not a 500 retried. */
async function record(request: Request): Promise<Seen> {
  const url = new URL(request.url);
  const s = { method: request.method, path: url.pathname, headers: request.headers, body: await request.text() };
  seen.push(s);
  return s;
}

const url = (path: string) => `${BASE_URL}${path}`;

function expectStandardHeaders(s: Seen, withBody: boolean): void {
  expect(s.headers.get('authorization')).toBe(`Bearer ${TOKEN}`);
  expect(s.headers.get('accept')).toBe('application/json');
  expect(s.headers.get('user-agent')).toBe(USER_AGENT);
  expect(s.headers.get('user-agent')).toMatch(/^astra-token\/\d+\.\d+\.\d+/);
  if (withBody) expect(s.headers.get('content-type')).toBe('application/json');
  else {
    expect(s.headers.get('content-type')).toBeNull();
    expect(s.body).toBe('');
  }
}

const POLICY = {
  description: 'reads one db',
  resources: [`drn:astra:org:${ORG_ID}`, `drn:astra:org:${ORG_ID}:db:*`],
  actions: ['db-cql', 'org-db-view'],
  effect: 'allow',
};

const NORMALISED_ROLE = {
  id: ROLE_ID,
  name: 'Readers',
  description: 'reads one db',
  effect: 'allow',
  actions: ['db-cql', 'org-db-view'],
  resources: [`drn:astra:org:${ORG_ID}`, `drn:astra:org:${ORG_ID}:db:*`],
  builtIn: false,
  lastUpdated: '2024-03-01T10:20:30.123Z',
};

describe('currentOrg', () => {
  it('GETs /v2/currentOrg with the standard headers and keeps only the id', async () => {
    server.use(
      http.get(url('/v2/currentOrg'), async ({ request }) => {
        await record(request);
        return HttpResponse.json({ id: ORG_ID, name: 'ignored', extra: true });
      }),
    );
    const client = await msClient();
    expect(await client.currentOrg()).toEqual({ id: ORG_ID });
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ method: 'GET', path: '/v2/currentOrg' });
    expectStandardHeaders(seen[0]!, false);
  });

  it('accepts the upper-case ID key', async () => {
    server.use(http.get(url('/v2/currentOrg'), () => HttpResponse.json({ ID: ORG_ID })));
    expect(await (await msClient()).currentOrg()).toEqual({ id: ORG_ID });
  });

  it('a trailing slash on the base URL does not double the slash', async () => {
    server.use(
      http.get(url('/v2/currentOrg'), async ({ request }) => {
        await record(request);
        return HttpResponse.json({ id: ORG_ID });
      }),
    );
    await (await msClient({ baseUrl: `${BASE_URL}//` })).currentOrg();
    expect(seen[0]!.path).toBe('/v2/currentOrg');
  });
});

describe('orgUsers', () => {
  const expected = {
    orgId: ORG_ID,
    orgName: 'Acme',
    users: [
      {
        userId: 'u-1',
        email: 'ada@example.com',
        status: 'active',
        roles: [{ id: ROLE_ID, name: 'Organization Administrator' }],
      },
    ],
  };

  it('reads the documented camel casing', async () => {
    server.use(
      http.get(url('/v2/organizations/users'), async ({ request }) => {
        await record(request);
        return HttpResponse.json({
          orgID: ORG_ID,
          orgName: 'Acme',
          users: [
            {
              userID: 'u-1',
              email: 'ada@example.com',
              status: 'active',
              roles: [{ id: ROLE_ID, name: 'Organization Administrator' }],
            },
          ],
        });
      }),
    );
    expect(await (await msClient()).orgUsers()).toEqual(expected);
    expect(seen[0]).toMatchObject({ method: 'GET', path: '/v2/organizations/users' });
    expectStandardHeaders(seen[0]!, false);
  });

  it('reads the older Pascal casing', async () => {
    server.use(
      http.get(url('/v2/organizations/users'), () =>
        HttpResponse.json({
          OrgID: ORG_ID,
          OrgName: 'Acme',
          Users: [
            {
              UserID: 'u-1',
              Email: 'ada@example.com',
              Status: 'active',
              Roles: [{ ID: ROLE_ID, Name: 'Organization Administrator' }],
            },
          ],
        }),
      ),
    );
    expect(await (await msClient()).orgUsers()).toEqual(expected);
  });

  it('tolerates missing users and org name', async () => {
    server.use(http.get(url('/v2/organizations/users'), () => HttpResponse.json({ orgID: ORG_ID })));
    expect(await (await msClient()).orgUsers()).toEqual({ orgId: ORG_ID, orgName: null, users: [] });
  });

  it('403 is FORBIDDEN, exit 4', async () => {
    server.use(
      http.get(url('/v2/organizations/users'), () =>
        HttpResponse.json({ errors: [{ ID: 403001, message: 'missing permission org-user-read' }] }, { status: 403 }),
      ),
    );
    const err = await caught(async () => (await msClient()).orgUsers());
    expect(err).toBeInstanceOf(ApiError);
    expect(describeError(err)).toMatchObject({ code: 'FORBIDDEN', exitCode: 4, status: 403 });
    expect(err.message).toBe('missing permission org-user-read [403001] (HTTP 403 from GET /v2/organizations/users)');
  });
});

describe('listTokens', () => {
  it('GETs /v2/tokens and normalises every entry', async () => {
    server.use(
      http.get(url('/v2/tokens'), async ({ request }) => {
        await record(request);
        return HttpResponse.json({
          clients: [
            {
              clientId: CLIENT_ID,
              roles: [ROLE_ID],
              generatedOn: '2021-02-22T17:09:58.668Z',
              description: 'ci',
              tokenExpiry: '2027-01-01T00:00:00Z',
            },
            // an older server: no description, no tokenExpiry, nanosecond precision
            { clientId: 'AbCdEfGhIjKlMnOpQrStUvWx', roles: [ROLE_ID, ROLE_ID_2], generatedOn: '2024-05-06T07:08:09.123456789Z' },
            // explicit nulls and an empty expiry
            { clientId: 'ZyXwVuTsRqPoNmLkJiHgFeDc', roles: null, generatedOn: null, description: null, tokenExpiry: '' },
          ],
        });
      }),
    );
    const tokens = await (await msClient()).listTokens();
    expect(tokens).toEqual([
      {
        clientId: CLIENT_ID,
        roles: [ROLE_ID],
        generatedOn: '2021-02-22T17:09:58.668Z',
        description: 'ci',
        expiresAt: '2027-01-01T00:00:00.000Z',
      },
      {
        clientId: 'AbCdEfGhIjKlMnOpQrStUvWx',
        roles: [ROLE_ID, ROLE_ID_2],
        generatedOn: '2024-05-06T07:08:09.123Z',
        description: '',
        expiresAt: null,
      },
      { clientId: 'ZyXwVuTsRqPoNmLkJiHgFeDc', roles: [], generatedOn: null, description: '', expiresAt: null },
    ]);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ method: 'GET', path: '/v2/tokens' });
    expectStandardHeaders(seen[0]!, false);
  });

  it('reads Pascal-cased keys', async () => {
    server.use(
      http.get(url('/v2/tokens'), () =>
        HttpResponse.json({
          Clients: [{ ClientID: CLIENT_ID, Roles: [ROLE_ID], GeneratedOn: '2021-02-22T17:09:58Z' }],
        }),
      ),
    );
    expect(await (await msClient()).listTokens()).toEqual([
      { clientId: CLIENT_ID, roles: [ROLE_ID], generatedOn: '2021-02-22T17:09:58.000Z', description: '', expiresAt: null },
    ]);
  });

  it('an org with no tokens may answer without clients', async () => {
    server.use(http.get(url('/v2/tokens'), () => HttpResponse.json({})));
    expect(await (await msClient()).listTokens()).toEqual([]);
  });

  it('a response of the wrong shape is a ResponseShapeError (exit 1, BAD_RESPONSE)', async () => {
    server.use(http.get(url('/v2/tokens'), () => HttpResponse.json({ clients: [{ roles: [ROLE_ID] }] })));
    const err = await caught(async () => (await msClient()).listTokens());
    expect(err).toBeInstanceOf(ResponseShapeError);
    expect(describeError(err)).toMatchObject({ code: 'BAD_RESPONSE', exitCode: 1 });
    expect(err.message).toMatch(/^GET \/v2\/tokens answered in an unexpected shape \(clients\.0\.clientid: .+\)$/);
  });

  it('unreadable dates are kept as sent, not a reason to fail the whole list (docs/contract.md: raw string, expired null)', async () => {
    server.use(
      http.get(url('/v2/tokens'), () =>
        HttpResponse.json({
          clients: [{ clientId: CLIENT_ID, roles: [], generatedOn: 'yesterday', tokenExpiry: '+021192-03-31T00:00:00.000Z' }],
        }),
      ),
    );
    const [token] = await (await msClient()).listTokens();
    expect(token).toMatchObject({ generatedOn: 'yesterday', expiresAt: '+021192-03-31T00:00:00.000Z' });
  });

  it('a create answer with odd informational fields still hands over the token', async () => {
    server.use(
      http.post(url('/v2/tokens'), () =>
        HttpResponse.json({
          clientId: CLIENT_ID,
          secret: 's',
          token: `AstraCS:${CLIENT_ID}:${'a'.repeat(64)}`,
          generatedOn: 42,
          tokenExpiry: 'later',
          description: 7,
        }),
      ),
    );
    const created = await (await msClient()).createToken({ roles: ['r'] });
    expect(created).toMatchObject({ clientId: CLIENT_ID, secret: 's', generatedOn: null, expiresAt: undefined, description: undefined });
  });

  it('a body that is not JSON is a ResponseShapeError', async () => {
    server.use(http.get(url('/v2/tokens'), () => HttpResponse.text('ok')));
    const err = await caught(async () => (await msClient()).listTokens());
    expect(err).toBeInstanceOf(ResponseShapeError);
    expect(err.message).toBe('GET /v2/tokens answered HTTP 200 with a body that is not JSON');
  });

  it('an empty 200 body is a ResponseShapeError', async () => {
    server.use(http.get(url('/v2/tokens'), () => new HttpResponse(null, { status: 200 })));
    const err = await caught(async () => (await msClient()).listTokens());
    expect(err).toBeInstanceOf(ResponseShapeError);
    expect(err.message).toBe('GET /v2/tokens answered HTTP 200 with an empty body');
  });
});

describe('createToken', () => {
  it('POSTs the request as JSON and reads a nanosecond-precision answer that echoes nothing optional', async () => {
    server.use(
      http.post(url('/v2/tokens'), async ({ request }) => {
        await record(request);
        return HttpResponse.json(CREATED_TOKEN_ANSWER);
      }),
    );
    const created = await (
      await msClient()
    ).createToken({
      roles: [ROLE_ID],
      description: 'ci deploys',
      tokenExpiry: '2027-01-01T00:00:00Z',
    });
    expect(created).toEqual({
      clientId: CLIENT_ID,
      secret: 'the-secret',
      orgId: ORG_ID,
      roles: [ROLE_ID],
      token: TOKEN,
      generatedOn: '2024-05-06T07:08:09.123Z',
      description: undefined,
      expiresAt: undefined,
    });
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ method: 'POST', path: '/v2/tokens' });
    expectStandardHeaders(seen[0]!, true);
    expect(JSON.parse(seen[0]!.body)).toEqual({
      roles: [ROLE_ID],
      description: 'ci deploys',
      tokenExpiry: '2027-01-01T00:00:00Z',
    });
  });

  it('sends no optional keys it was not given', async () => {
    server.use(
      http.post(url('/v2/tokens'), async ({ request }) => {
        await record(request);
        return HttpResponse.json({
          clientId: CLIENT_ID,
          secret: 's',
          orgId: ORG_ID,
          roles: [ROLE_ID],
          token: TOKEN,
          generatedOn: '2024-05-06T07:08:09Z',
          description: 'echoed',
          tokenExpiry: '2027-01-01T00:00:00.000000000Z',
        });
      }),
    );
    const created = await (await msClient()).createToken({ roles: [ROLE_ID] });
    expect(JSON.parse(seen[0]!.body)).toEqual({ roles: [ROLE_ID] });
    expect(created.description).toBe('echoed');
    expect(created.expiresAt).toBe('2027-01-01T00:00:00.000Z');
  });

  it('a text/plain error body becomes the message (400 is USAGE, exit 2); POST is not retried', async () => {
    server.use(
      http.post(url('/v2/tokens'), async ({ request }) => {
        await record(request);
        return HttpResponse.text('roles must not be empty\n', { status: 400 });
      }),
    );
    const err = await caught(async () => (await msClient()).createToken({ roles: [] }));
    expect(err).toBeInstanceOf(ApiError);
    expect(describeError(err)).toMatchObject({ code: 'USAGE', exitCode: 2, status: 400 });
    expect(err.message).toBe('roles must not be empty (HTTP 400 from POST /v2/tokens)');
    expect(seen).toHaveLength(1);
  });

  it('a created token without its secret is a ResponseShapeError', async () => {
    server.use(
      http.post(url('/v2/tokens'), () => HttpResponse.json({ clientId: CLIENT_ID, orgId: ORG_ID, roles: [ROLE_ID], token: TOKEN })),
    );
    const err = await caught(async () => (await msClient()).createToken({ roles: [ROLE_ID] }));
    expect(err).toBeInstanceOf(ResponseShapeError);
    expect(err.message).toMatch(/^POST \/v2\/tokens answered in an unexpected shape \(secret: /);
  });
});

describe('deleteToken', () => {
  it('204 is success', async () => {
    server.use(
      http.delete(url(`/v2/tokens/${CLIENT_ID}`), async ({ request }) => {
        await record(request);
        return new HttpResponse(null, { status: 204 });
      }),
    );
    await expect((await msClient()).deleteToken(CLIENT_ID)).resolves.toBeUndefined();
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ method: 'DELETE', path: `/v2/tokens/${CLIENT_ID}` });
    expectStandardHeaders(seen[0]!, false);
  });

  it('200 with or without a body is success', async () => {
    server.use(
      http.delete(url(`/v2/tokens/${CLIENT_ID}`), () => HttpResponse.text('token revoked')),
      http.delete(url('/v2/tokens/AbCdEfGhIjKlMnOpQrStUvWx'), () => new HttpResponse(null, { status: 200 })),
    );
    const client = await msClient();
    await expect(client.deleteToken(CLIENT_ID)).resolves.toBeUndefined();
    await expect(client.deleteToken('AbCdEfGhIjKlMnOpQrStUvWx')).resolves.toBeUndefined();
  });

  it('path segments are encoded', async () => {
    server.use(
      http.delete(url('/v2/tokens/:id'), async ({ request, params }) => {
        await record(request);
        expect(params.id).toBe('a/b c');
        return new HttpResponse(null, { status: 204 });
      }),
    );
    await (await msClient()).deleteToken('a/b c');
    expect(seen[0]!.path).toBe('/v2/tokens/a%2Fb%20c');
  });
});

describe('the /v2/tokens -> /v2/clientIdSecrets fallback', () => {
  const list = { clients: [{ clientId: CLIENT_ID, roles: [ROLE_ID], generatedOn: '2021-02-22T17:09:58.668Z' }] };
  const createdBody = {
    clientId: CLIENT_ID,
    secret: 's',
    orgId: ORG_ID,
    roles: [ROLE_ID],
    token: TOKEN,
    generatedOn: '2021-02-22T17:09:58.668Z',
  };

  function legacyOnly(missing: number) {
    server.use(
      http.all(url('/v2/tokens'), async ({ request }) => {
        await record(request);
        return missing === 405
          ? new HttpResponse(null, { status: 405, headers: { Allow: 'OPTIONS' } })
          : HttpResponse.text('404 page not found', { status: 404 });
      }),
      http.all(url('/v2/tokens/*'), async ({ request }) => {
        await record(request);
        return new HttpResponse(null, { status: missing });
      }),
      http.get(url('/v2/clientIdSecrets'), async ({ request }) => {
        await record(request);
        return HttpResponse.json(list);
      }),
      http.post(url('/v2/clientIdSecrets'), async ({ request }) => {
        await record(request);
        return HttpResponse.json(createdBody);
      }),
      http.delete(url(`/v2/clientIdSecrets/${CLIENT_ID}`), async ({ request }) => {
        await record(request);
        return new HttpResponse(null, { status: 204 });
      }),
      http.delete(url('/v2/clientIdSecrets/:id'), async ({ request }) => {
        await record(request);
        return HttpResponse.json({ errors: [{ ID: 404, message: 'not found' }] }, { status: 404 });
      }),
    );
  }

  for (const status of [404, 405]) {
    it(`falls back on ${status} per request and remembers, per method, only the route that answered`, async () => {
      legacyOnly(status);
      const client = await msClient();
      expect(await client.listTokens()).toHaveLength(1);
      expect(await client.listTokens()).toHaveLength(1);
      expect(seen.map((s) => `${s.method} ${s.path}`)).toEqual(['GET /v2/tokens', 'GET /v2/clientIdSecrets', 'GET /v2/clientIdSecrets']);
      seen.length = 0;

      // A GET that answered says nothing about POST or DELETE: each tries /v2/tokens once, then goes straight on.
      const created = await client.createToken({ roles: [ROLE_ID], description: 'x' });
      expect(created.clientId).toBe(CLIENT_ID);
      await client.createToken({ roles: [ROLE_ID] });
      expect(seen.map((s) => `${s.method} ${s.path}`)).toEqual(['POST /v2/tokens', 'POST /v2/clientIdSecrets', 'POST /v2/clientIdSecrets']);
      expect(JSON.parse(seen[1]!.body)).toEqual({ roles: [ROLE_ID], description: 'x' });
      expect(seen[1]!.headers.get('content-type')).toBe('application/json');
      expect(seen[1]!.headers.get('authorization')).toBe(`Bearer ${TOKEN}`);
      seen.length = 0;

      await client.deleteToken(CLIENT_ID);
      await client.deleteToken(CLIENT_ID);
      expect(seen.map((s) => `${s.method} ${s.path}`)).toEqual([
        `DELETE /v2/tokens/${CLIENT_ID}`,
        `DELETE /v2/clientIdSecrets/${CLIENT_ID}`,
        `DELETE /v2/clientIdSecrets/${CLIENT_ID}`,
      ]);
    });
  }

  it('what one client learnt is shared with another client of the same run (and only for the same API)', async () => {
    legacyOnly(404);
    const routes = new RouteKnowledge();
    await (await msClient({ routes })).deleteToken(CLIENT_ID);
    seen.length = 0;
    await (await msClient({ routes })).deleteToken(CLIENT_ID);
    expect(seen.map((s) => `${s.method} ${s.path}`)).toEqual([`DELETE /v2/clientIdSecrets/${CLIENT_ID}`]);
    expect(routes.has(BASE_URL, 'DELETE', '/v2/clientIdSecrets/{id}')).toBe(true);
    expect(routes.has('https://other.test', 'DELETE', '/v2/clientIdSecrets/{id}')).toBe(false);
  });

  it('concurrent deletes on a POST-only /v2/tokens each fall back: none is taken for an unknown token', async () => {
    legacyOnly(404);
    const client = await msClient();
    const ids = Array.from({ length: 16 }, () => CLIENT_ID);
    await expect(Promise.all(ids.map((id) => client.deleteToken(id)))).resolves.toHaveLength(16);
  });

  it('a POST that meets 405 is replayed once on the legacy path', async () => {
    legacyOnly(405);
    const client = await msClient();
    await client.createToken({ roles: [ROLE_ID] });
    expect(seen.map((s) => `${s.method} ${s.path}`)).toEqual(['POST /v2/tokens', 'POST /v2/clientIdSecrets']);
  });

  it('an unknown client id on the legacy path is a clean NOT_FOUND (exit 5)', async () => {
    legacyOnly(404);
    const client = await msClient();
    await client.listTokens();
    const err = await caught(() => client.deleteToken('NoSuchTokenAtAllXxxxxxxx'));
    expect(describeError(err)).toMatchObject({ code: 'NOT_FOUND', exitCode: 5, status: 404 });
    expect(err.message).toBe('no token with client id NoSuchTokenAtAllXxxxxxxx');
  });

  it('a GET /v2/tokens that answered does not prove DELETE /v2/tokens/{id} exists (the mixed shape)', async () => {
    server.use(
      http.get(url('/v2/tokens'), () => HttpResponse.json(list)),
      http.delete(url('/v2/tokens/:id'), async ({ request }) => {
        await record(request);
        return HttpResponse.text('404 page not found', { status: 404 });
      }),
      http.delete(url('/v2/clientIdSecrets/:id'), async ({ request }) => {
        await record(request);
        return new HttpResponse(null, { status: 204 });
      }),
    );
    const client = await msClient();
    await client.listTokens();
    await client.deleteToken(CLIENT_ID);
    expect(seen.map((s) => `${s.method} ${s.path}`)).toEqual([`DELETE /v2/tokens/${CLIENT_ID}`, `DELETE /v2/clientIdSecrets/${CLIENT_ID}`]);
  });

  it('once DELETE /v2/tokens/{id} has answered 2xx, a 404 there means an unknown token, not a missing route', async () => {
    server.use(
      http.delete(url(`/v2/tokens/${CLIENT_ID}`), () => new HttpResponse(null, { status: 204 })),
      http.delete(url('/v2/tokens/:id'), async ({ request }) => {
        await record(request);
        return HttpResponse.json({ errors: [{ ID: 340018, message: 'client id not found' }] }, { status: 404 });
      }),
    );
    const client = await msClient();
    await client.deleteToken(CLIENT_ID);
    const err = await caught(() => client.deleteToken('NoSuchTokenAtAllXxxxxxxx'));
    expect(describeError(err)).toMatchObject({ code: 'NOT_FOUND', exitCode: 5, status: 404 });
    expect(err.message).toBe('no token with client id NoSuchTokenAtAllXxxxxxxx');
    expect(seen.map((s) => `${s.method} ${s.path}`)).toEqual(['DELETE /v2/tokens/NoSuchTokenAtAllXxxxxxxx']);
  });

  it('a 404 on DELETE /v2/tokens/{id} tries the legacy route; a 404 there too is NOT_FOUND and teaches nothing', async () => {
    let modern = 0;
    server.use(
      http.delete(url('/v2/tokens/:id'), () => {
        modern++;
        return HttpResponse.json({ errors: [{ ID: 340018, message: 'client id not found' }] }, { status: 404 });
      }),
      http.delete(url('/v2/clientIdSecrets/:id'), () => new HttpResponse(null, { status: 404 })),
      http.get(url('/v2/tokens'), () => HttpResponse.json(list)),
    );
    const client = await msClient();
    const err = await caught(() => client.deleteToken('NoSuchTokenAtAllXxxxxxxx'));
    expect(describeError(err)).toMatchObject({ code: 'NOT_FOUND', exitCode: 5, status: 404 });
    expect(err.message).toBe('no token with client id NoSuchTokenAtAllXxxxxxxx');
    // The modern path is still the one used: the next list goes there (msw would refuse a legacy GET).
    expect(await client.listTokens()).toHaveLength(1);
    await caught(() => client.deleteToken('NoSuchTokenAtAllXxxxxxxx'));
    expect(modern).toBe(2);
  });

  for (const [what, answer] of [
    ['a 503', () => HttpResponse.json({ errors: [{ ID: 1, message: 'down' }] }, { status: 503 })],
    ['a dropped connection', () => HttpResponse.error()],
  ] as const) {
    it(`${what} on the fallback request is that error, never "not found"`, async () => {
      server.use(
        http.delete(url('/v2/tokens/:id'), () => HttpResponse.text('404 page not found', { status: 404 })),
        http.delete(url('/v2/clientIdSecrets/:id'), answer),
      );
      const err = await caught(async () => (await msClient()).deleteToken(CLIENT_ID));
      expect(describeError(err)).toMatchObject({ code: 'UNAVAILABLE', exitCode: 7 });
    });
  }

  it('a 5xx on POST /v2/tokens is not replayed on the legacy route', async () => {
    server.use(
      http.post(url('/v2/tokens'), async ({ request }) => {
        await record(request);
        return HttpResponse.text('oops', { status: 500 });
      }),
    );
    const err = await caught(async () => (await msClient()).createToken({ roles: [ROLE_ID] }));
    expect(describeError(err)).toMatchObject({ code: 'UNAVAILABLE', status: 500 });
    expect(seen.map((s) => `${s.method} ${s.path}`)).toEqual(['POST /v2/tokens']);
  });

  it('a DELETE whose first answer was lost (502) and whose retry meets "no such token" succeeded', async () => {
    let legacy = 0;
    server.use(
      http.delete(url('/v2/tokens/:id'), () => HttpResponse.text('404 page not found', { status: 404 })),
      http.delete(url('/v2/clientIdSecrets/:id'), () =>
        ++legacy === 1
          ? HttpResponse.text('bad gateway', { status: 502 })
          : HttpResponse.json({ errors: [{ ID: 340018, message: 'not found' }] }, { status: 404 }),
      ),
    );
    await expect((await msClient()).deleteToken(CLIENT_ID)).resolves.toBeUndefined();
    expect(legacy).toBe(2);
  });

  it('a DELETE retried after a 503 (answered, not lost) that meets 404 is still NOT_FOUND', async () => {
    let legacy = 0;
    server.use(
      http.delete(url('/v2/tokens/:id'), () => HttpResponse.text('404 page not found', { status: 404 })),
      http.delete(url('/v2/clientIdSecrets/:id'), () =>
        ++legacy === 1 ? HttpResponse.text('unavailable', { status: 503 }) : new HttpResponse(null, { status: 404 }),
      ),
    );
    const err = await caught(async () => (await msClient()).deleteToken(CLIENT_ID));
    expect(describeError(err)).toMatchObject({ code: 'NOT_FOUND', exitCode: 5 });
  });

  it('a router\'s "404 page not found" on the legacy route is no route of this API, never "no such token" (exit 1)', async () => {
    server.use(
      http.delete(url('/v2/tokens/:id'), () => HttpResponse.text('404 page not found', { status: 404 })),
      http.delete(url('/v2/clientIdSecrets/:id'), () => HttpResponse.text('404 page not found\n', { status: 404 })),
    );
    const err = await caught(async () => (await msClient()).deleteToken(CLIENT_ID));
    expect(err).toBeInstanceOf(ResponseShapeError);
    expect(describeError(err)).toMatchObject({ code: 'BAD_RESPONSE', exitCode: 1 });
    expect(err.message).toBe('DELETE /v2/clientIdSecrets/{id} is not a route of the API at this URL (HTTP 404 "404 page not found")');
  });

  it("a DELETE whose answer was lost and whose retry meets a router's 404 has not succeeded", async () => {
    let legacy = 0;
    server.use(
      http.delete(url('/v2/tokens/:id'), () => HttpResponse.text('404 page not found', { status: 404 })),
      http.delete(url('/v2/clientIdSecrets/:id'), () =>
        ++legacy === 1 ? HttpResponse.text('bad gateway', { status: 502 }) : HttpResponse.text('404 page not found', { status: 404 }),
      ),
    );
    const err = await caught(async () => (await msClient()).deleteToken(CLIENT_ID));
    expect(legacy).toBe(2);
    expect(describeError(err)).toMatchObject({ code: 'BAD_RESPONSE', exitCode: 1 });
  });

  it('other errors on /v2/tokens do not fall back', async () => {
    server.use(
      http.get(url('/v2/tokens'), async ({ request }) => {
        await record(request);
        return HttpResponse.json({ errors: [{ ID: 1, message: 'nope' }] }, { status: 403 });
      }),
    );
    const err = await caught(async () => (await msClient()).listTokens());
    expect(describeError(err)).toMatchObject({ code: 'FORBIDDEN', exitCode: 4 });
    expect(seen).toHaveLength(1);
  });
});

describe('roles', () => {
  it('listRoles reads the documented casing with an object policy', async () => {
    server.use(
      http.get(url('/v2/organizations/roles'), async ({ request }) => {
        await record(request);
        return HttpResponse.json([
          {
            id: ROLE_ID,
            name: 'Readers',
            policy: POLICY,
            last_update_datetime: '2024-03-01T10:20:30.123Z',
            last_update_userid: 'u-1',
          },
          {
            id: ROLE_ID_2,
            name: 'R/W User',
            policy: {
              description: 'R/W User',
              resources: ['drn:astra:org:__ORG_ID__', 'drn:astra:org:__ORG_ID__:db:*'],
              actions: ['db-cql'],
              effect: 'allow',
            },
          },
        ]);
      }),
    );
    const roles = await (await msClient()).listRoles();
    expect(roles).toEqual([
      NORMALISED_ROLE,
      {
        id: ROLE_ID_2,
        name: 'R/W User',
        description: 'R/W User',
        effect: 'allow',
        actions: ['db-cql'],
        resources: ['drn:astra:org:__ORG_ID__', 'drn:astra:org:__ORG_ID__:db:*'],
        builtIn: true,
        lastUpdated: null,
      },
    ]);
    expect(seen[0]).toMatchObject({ method: 'GET', path: '/v2/organizations/roles' });
    expectStandardHeaders(seen[0]!, false);
  });

  it('listRoles reads the older casing with a JSON-encoded string policy and a nanosecond timestamp', async () => {
    server.use(
      http.get(url('/v2/organizations/roles'), () =>
        HttpResponse.json([
          {
            ID: ROLE_ID,
            Name: 'Readers',
            OrgID: ORG_ID,
            Type: 'custom',
            Policy: JSON.stringify({
              Description: 'reads one db',
              Resources: POLICY.resources,
              Actions: POLICY.actions,
              Effect: 'allow',
            }),
            LastUpdateDateTime: '2024-03-01T10:20:30.123456789Z',
          },
        ]),
      ),
    );
    expect(await (await msClient()).listRoles()).toEqual([NORMALISED_ROLE]);
  });

  it('a role without a policy description or effect gets defaults', async () => {
    server.use(
      http.get(url('/v2/organizations/roles'), () =>
        HttpResponse.json([{ id: ROLE_ID, name: 'Bare', policy: { resources: [], actions: [] } }]),
      ),
    );
    expect(await (await msClient()).listRoles()).toEqual([
      {
        id: ROLE_ID,
        name: 'Bare',
        description: '',
        effect: 'allow',
        actions: [],
        resources: [],
        builtIn: false,
        lastUpdated: null,
      },
    ]);
  });

  it('a policy string that is not JSON is a ResponseShapeError', async () => {
    server.use(http.get(url('/v2/organizations/roles'), () => HttpResponse.json([{ id: ROLE_ID, name: 'Broken', policy: '{not json' }])));
    const err = await caught(async () => (await msClient()).listRoles());
    expect(err).toBeInstanceOf(ResponseShapeError);
    expect(describeError(err)).toMatchObject({ code: 'BAD_RESPONSE', exitCode: 1 });
    expect(err.message).toMatch(/^GET \/v2\/organizations\/roles answered in an unexpected shape \(0\.policy: /);
  });

  it('an object where the list should be is a ResponseShapeError', async () => {
    server.use(http.get(url('/v2/organizations/roles'), () => HttpResponse.json({ roles: [] })));
    const err = await caught(async () => (await msClient()).listRoles());
    expect(err).toBeInstanceOf(ResponseShapeError);
    expect(err.message).toMatch(/^GET \/v2\/organizations\/roles answered in an unexpected shape \(body: /);
  });

  it('getRole GETs one role', async () => {
    server.use(
      http.get(url(`/v2/organizations/roles/${ROLE_ID}`), async ({ request }) => {
        await record(request);
        return HttpResponse.json({ id: ROLE_ID, name: 'Readers', policy: POLICY, lastUpdateDateTime: '2024-03-01T10:20:30.123Z' });
      }),
    );
    expect(await (await msClient()).getRole(ROLE_ID)).toEqual(NORMALISED_ROLE);
    expect(seen[0]).toMatchObject({ method: 'GET', path: `/v2/organizations/roles/${ROLE_ID}` });
    expectStandardHeaders(seen[0]!, false);
  });

  it('getRole: 404 with a bare JSON string body is NOT_FOUND (exit 5) with that string as the message', async () => {
    server.use(
      http.get(url('/v2/organizations/roles/:id'), () => HttpResponse.json('unable to get role for organization', { status: 404 })),
    );
    const err = await caught(async () => (await msClient()).getRole(ROLE_ID));
    expect(err).toBeInstanceOf(ApiError);
    expect(describeError(err)).toMatchObject({ code: 'NOT_FOUND', exitCode: 5, status: 404 });
    expect(err.message).toBe(`unable to get role for organization (HTTP 404 from GET /v2/organizations/roles/${ROLE_ID})`);
  });

  it('createRole POSTs name and policy; 201 is success', async () => {
    server.use(
      http.post(url('/v2/organizations/roles'), async ({ request }) => {
        await record(request);
        return HttpResponse.json(
          { id: ROLE_ID, name: 'Readers', policy: POLICY, last_update_datetime: '2024-03-01T10:20:30.123Z' },
          { status: 201 },
        );
      }),
    );
    const role = await (
      await msClient()
    ).createRole({
      name: 'Readers',
      policy: { description: 'reads one db', resources: POLICY.resources, actions: POLICY.actions, effect: 'allow' },
    });
    expect(role).toEqual(NORMALISED_ROLE);
    expect(seen[0]).toMatchObject({ method: 'POST', path: '/v2/organizations/roles' });
    expectStandardHeaders(seen[0]!, true);
    expect(JSON.parse(seen[0]!.body)).toEqual({ name: 'Readers', policy: POLICY });
  });

  it('createRole: 409 is CONFLICT (exit 6); a bare JSON string message is kept', async () => {
    server.use(http.post(url('/v2/organizations/roles'), () => HttpResponse.json('role name already exists', { status: 409 })));
    const err = await caught(async () =>
      (await msClient()).createRole({
        name: 'Readers',
        policy: { description: '', resources: [], actions: [], effect: 'allow' },
      }),
    );
    expect(describeError(err)).toMatchObject({ code: 'CONFLICT', exitCode: 6, status: 409 });
    expect(err.message).toBe('role name already exists (HTTP 409 from POST /v2/organizations/roles)');
  });

  it('updateRole PUTs and reads the answer when there is one', async () => {
    server.use(
      http.put(url(`/v2/organizations/roles/${ROLE_ID}`), async ({ request }) => {
        await record(request);
        return HttpResponse.json({
          ID: ROLE_ID,
          Name: 'Readers',
          Policy: JSON.stringify(POLICY),
          LastUpdateDateTime: '2024-03-01T10:20:30.123Z',
        });
      }),
    );
    const role = await (
      await msClient()
    ).updateRole(ROLE_ID, {
      name: 'Readers',
      policy: { description: 'reads one db', resources: POLICY.resources, actions: POLICY.actions, effect: 'allow' },
    });
    expect(role).toEqual(NORMALISED_ROLE);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ method: 'PUT', path: `/v2/organizations/roles/${ROLE_ID}` });
    expectStandardHeaders(seen[0]!, true);
    expect(JSON.parse(seen[0]!.body)).toEqual({ name: 'Readers', policy: POLICY });
  });

  it('updateRole with an empty answer reads the role back', async () => {
    server.use(
      http.put(url(`/v2/organizations/roles/${ROLE_ID}`), async ({ request }) => {
        await record(request);
        return new HttpResponse(null, { status: 200 });
      }),
      http.get(url(`/v2/organizations/roles/${ROLE_ID}`), async ({ request }) => {
        await record(request);
        return HttpResponse.json({ id: ROLE_ID, name: 'Readers', policy: POLICY, last_update_datetime: '2024-03-01T10:20:30.123Z' });
      }),
    );
    const role = await (
      await msClient()
    ).updateRole(ROLE_ID, {
      name: 'Readers',
      policy: { description: 'reads one db', resources: POLICY.resources, actions: POLICY.actions, effect: 'allow' },
    });
    expect(role).toEqual(NORMALISED_ROLE);
    expect(seen.map((s) => `${s.method} ${s.path}`)).toEqual([
      `PUT /v2/organizations/roles/${ROLE_ID}`,
      `GET /v2/organizations/roles/${ROLE_ID}`,
    ]);
  });

  it('updateRole with a 204 reads the role back', async () => {
    server.use(
      http.put(url(`/v2/organizations/roles/${ROLE_ID}`), () => new HttpResponse(null, { status: 204 })),
      http.get(url(`/v2/organizations/roles/${ROLE_ID}`), () =>
        HttpResponse.json({ id: ROLE_ID, name: 'Readers', policy: POLICY, last_update_datetime: '2024-03-01T10:20:30.123Z' }),
      ),
    );
    const role = await (
      await msClient()
    ).updateRole(ROLE_ID, {
      name: 'Readers',
      policy: { description: 'reads one db', resources: POLICY.resources, actions: POLICY.actions, effect: 'allow' },
    });
    expect(role).toEqual(NORMALISED_ROLE);
  });

  it('deleteRole sends DELETE; 204 and 200 are success', async () => {
    server.use(
      http.delete(url(`/v2/organizations/roles/${ROLE_ID}`), async ({ request }) => {
        await record(request);
        return new HttpResponse(null, { status: 204 });
      }),
      http.delete(url(`/v2/organizations/roles/${ROLE_ID_2}`), () => HttpResponse.json('role deleted')),
    );
    const client = await msClient();
    await expect(client.deleteRole(ROLE_ID)).resolves.toBeUndefined();
    await expect(client.deleteRole(ROLE_ID_2)).resolves.toBeUndefined();
    expect(seen[0]).toMatchObject({ method: 'DELETE', path: `/v2/organizations/roles/${ROLE_ID}` });
    expectStandardHeaders(seen[0]!, false);
  });
});

describe('databases', () => {
  it('listDatabases reads id, info.name, info.region, status and orgId', async () => {
    server.use(
      http.get(url('/v2/databases'), async ({ request }) => {
        await record(request);
        return HttpResponse.json([
          { id: 'db-1', orgId: ORG_ID, status: 'ACTIVE', info: { name: 'orders', region: 'us-east1' } },
          { ID: 'db-2', OrgID: ORG_ID, Status: 'HIBERNATED', Info: { Name: 'legacy' } },
          { id: 'db-3' },
        ]);
      }),
    );
    expect(await (await msClient()).listDatabases()).toEqual([
      { id: 'db-1', name: 'orders', region: 'us-east1', status: 'ACTIVE', orgId: ORG_ID },
      { id: 'db-2', name: 'legacy', region: '', status: 'HIBERNATED', orgId: ORG_ID },
      { id: 'db-3', name: '', region: '', status: '', orgId: null },
    ]);
    expect(seen[0]).toMatchObject({ method: 'GET', path: '/v2/databases' });
    expectStandardHeaders(seen[0]!, false);
  });

  it('listDatabases reads every page: limit=100, then starting_after the last id, until a short page', async () => {
    const all = Array.from({ length: 230 }, (_, i) => ({
      id: `db-${String(i).padStart(3, '0')}`,
      info: { name: `n${i}` },
      status: 'ACTIVE',
    }));
    const queries: string[] = [];
    server.use(
      http.get(url('/v2/databases'), ({ request }) => {
        const q = new URL(request.url).searchParams;
        queries.push(q.toString());
        const after = q.get('starting_after');
        const start = after === null ? 0 : all.findIndex((d) => d.id === after) + 1;
        return HttpResponse.json(all.slice(start, start + Number(q.get('limit') ?? 25)));
      }),
    );
    const client = await msClient();
    expect((await client.listDatabases()).map((d) => d.id)).toEqual(all.map((d) => d.id));
    expect(queries).toEqual(['limit=100', 'limit=100&starting_after=db-099', 'limit=100&starting_after=db-199']);
    queries.length = 0;
    await client.listDatabases({ include: 'all' });
    expect(queries[0]).toBe('include=all&limit=100');
  });

  it('listDatabases: exactly 100 databases take a second (empty) request; a server ignoring limit has sent them all', async () => {
    const make = (n: number) => Array.from({ length: n }, (_, i) => ({ id: `db-${i}`, info: { name: `n${i}` } }));
    let calls = 0;
    server.use(
      http.get(url('/v2/databases'), ({ request }) => {
        calls++;
        return HttpResponse.json(new URL(request.url).searchParams.has('starting_after') ? [] : make(100));
      }),
    );
    expect(await (await msClient()).listDatabases()).toHaveLength(100);
    expect(calls).toBe(2);
    calls = 0;
    server.use(http.get(url('/v2/databases'), () => (calls++, HttpResponse.json(make(150)))));
    expect(await (await msClient()).listDatabases()).toHaveLength(150);
    expect(calls).toBe(1);
  });

  it('listDatabases: a server that ignores starting_after (the same page again) is a bad answer, not an endless loop', async () => {
    const page = Array.from({ length: 100 }, (_, i) => ({ id: `db-${i}`, info: { name: `n${i}` } }));
    server.use(http.get(url('/v2/databases'), () => HttpResponse.json(page)));
    const client = await msClient();
    const err = await caught(() => client.listDatabases());
    expect(err).toBeInstanceOf(ResponseShapeError);
    expect((err as Error).message).toMatch(/the API sent database db-0 again/);
  });

  it('getDatabase GETs one database', async () => {
    server.use(
      http.get(url('/v2/databases/db-1'), async ({ request }) => {
        await record(request);
        return HttpResponse.json({ id: 'db-1', orgId: ORG_ID, status: 'ACTIVE', info: { name: 'orders' } });
      }),
    );
    expect(await (await msClient()).getDatabase('db-1')).toEqual({
      id: 'db-1',
      name: 'orders',
      region: '',
      status: 'ACTIVE',
      orgId: ORG_ID,
    });
    expect(seen[0]).toMatchObject({ method: 'GET', path: '/v2/databases/db-1' });
  });
});

describe('error bodies', () => {
  const call = async () => (await msClient()).currentOrg();

  it('errors[] with several entries: every message, with its ID', async () => {
    server.use(
      http.get(url('/v2/currentOrg'), () =>
        HttpResponse.json(
          {
            errors: [
              { ID: 340012, message: 'invalid token format' },
              { ID: 340013, message: 'token expired' },
            ],
          },
          { status: 401 },
        ),
      ),
    );
    const err = await caught(call);
    expect(err).toBeInstanceOf(ApiError);
    expect(describeError(err)).toMatchObject({ code: 'UNAUTHENTICATED', exitCode: 3, status: 401 });
    expect(err.message).toBe('invalid token format [340012]; token expired [340013] (HTTP 401 from GET /v2/currentOrg)');
  });

  it('a bare JSON string', async () => {
    server.use(http.get(url('/v2/currentOrg'), () => HttpResponse.json('unable to read org', { status: 400 })));
    const err = await caught(call);
    expect(describeError(err)).toMatchObject({ code: 'USAGE', exitCode: 2, status: 400 });
    expect(err.message).toBe('unable to read org (HTTP 400 from GET /v2/currentOrg)');
  });

  it('text/plain', async () => {
    server.use(http.get(url('/v2/currentOrg'), () => HttpResponse.text('permission denied: org-read', { status: 403 })));
    const err = await caught(call);
    expect(describeError(err)).toMatchObject({ code: 'FORBIDDEN', exitCode: 4, status: 403 });
    expect(err.message).toBe('permission denied: org-read (HTTP 403 from GET /v2/currentOrg)');
  });

  it('an empty 401 falls back to the status', async () => {
    server.use(http.get(url('/v2/currentOrg'), () => new HttpResponse(null, { status: 401 })));
    const err = await caught(call);
    expect(describeError(err)).toMatchObject({ code: 'UNAUTHENTICATED', exitCode: 3, status: 401 });
    expect(err.message).toBe('HTTP 401 from GET /v2/currentOrg');
  });

  it('a 401 with a null message falls back to the status', async () => {
    server.use(http.get(url('/v2/currentOrg'), () => HttpResponse.json({ errors: [{ ID: 0, message: null }] }, { status: 401 })));
    const err = await caught(call);
    expect(err.message).toBe('HTTP 401 from GET /v2/currentOrg');
  });

  it('an HTML page says so, with its title', async () => {
    server.use(
      http.get(url('/v2/currentOrg'), () =>
        HttpResponse.html('<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1></body></html>', {
          status: 502,
        }),
      ),
    );
    const err = await caught(call);
    expect(describeError(err)).toMatchObject({ code: 'UNAVAILABLE', exitCode: 7, status: 502 });
    expect(err.message).toBe(
      'an HTML page "502 Bad Gateway" instead of an API answer (a proxy or gateway in the way?) (HTTP 502 from GET /v2/currentOrg); gave up after 4 attempts',
    );
  });

  it('a secret echoed in an error body never reaches the message', async () => {
    server.use(http.get(url('/v2/currentOrg'), () => HttpResponse.text(`bad token ${TOKEN}`, { status: 401 })));
    const err = await caught(call);
    expect(err.message).toBe(`bad token AstraCS:${TOKEN.split(':')[1]}:[redacted] (HTTP 401 from GET /v2/currentOrg)`);
  });
});

describe('retries through an injected fetch', () => {
  it('GET is retried on 503 and 429 until it succeeds; the delays come from backoff and Retry-After', async () => {
    let n = 0;
    server.use(
      http.get(url('/v2/currentOrg'), () => {
        n++;
        if (n === 1) return new HttpResponse(null, { status: 503 });
        if (n === 2) return new HttpResponse(null, { status: 429, headers: { 'Retry-After': '2' } });
        return HttpResponse.json({ id: ORG_ID });
      }),
    );
    const delays: number[] = [];
    const client = await msClient({ sleep: (ms) => (delays.push(ms), Promise.resolve()) });
    expect(await client.currentOrg()).toEqual({ id: ORG_ID });
    expect(n).toBe(3);
    expect(delays).toEqual([300, 2000]);
  });

  it('429 after every attempt is UNAVAILABLE (exit 7) and says it gave up', async () => {
    let n = 0;
    server.use(
      http.get(url('/v2/currentOrg'), () => {
        n++;
        return HttpResponse.json({ errors: [{ ID: 429, message: 'slow down' }] }, { status: 429 });
      }),
    );
    const err = await caught(async () => (await msClient()).currentOrg());
    expect(n).toBe(4);
    expect(describeError(err)).toMatchObject({ code: 'UNAVAILABLE', exitCode: 7, status: 429 });
    expect(err.message).toBe('slow down [429] (HTTP 429 from GET /v2/currentOrg); gave up after 4 attempts');
  });
});
