// Every token verb against the three API shapes found in the wild (docs/devops-api.md: docs, spec, mixed). After each bulk
// run the emulator's state is read: exactly the matched tokens are gone, and nothing else.
import { http, HttpResponse } from 'msw';
import { beforeEach, describe, expect, it } from 'vitest';
import { createHandlers, type ApiShape } from '../../../src/emulator/handlers.js';
import { runCli } from '../../helpers/cli.js';
import { useEmulator } from '../../helpers/emulator.js';
import { DAY, NOW, at, clientIdOf, envFor } from '../../helpers/fixtures/token.js';
import { like } from '../../helpers/typed.js';

const emu = useEmulator({ state: { now: () => NOW } });
const SHAPES: ApiShape[] = ['docs', 'spec', 'mixed'];

function issue(description: string, generatedOn = at(-DAY)): string {
  return clientIdOf(emu.state.issueToken(emu.state.defaultOrg.id, ['RO User'], { description, generatedOn }).token);
}
const live = () => new Set(emu.state.listTokens(emu.state.defaultOrg.id).map((t) => t.clientId));
const works = (token: string) => emu.state.authenticate(token) !== undefined;

/** The org's tokens after the run are exactly those before it minus `gone`. */
function expectExactlyGone(before: Set<string>, gone: readonly string[]): void {
  const expected = [...before].filter((id) => !gone.includes(id)).sort();
  expect([...live()].sort()).toEqual(expected);
}

describe.each(SHAPES)('the %s shape', (shape) => {
  beforeEach(() => {
    emu.server.resetHandlers(...createHandlers(emu.state, { apiShape: shape }));
    // Issued on first use: made now so that it is part of every "before".
    void emu.adminToken;
  });

  it('token list shows every token', async () => {
    const ids = [issue('a'), issue('b')];
    const r = await runCli(['token', 'list', '--json'], { env: envFor(emu), now: NOW });
    expect(r.code).toBe(0);
    const listed = (JSON.parse(r.stdout) as Array<{ clientId: string }>).map((t) => t.clientId).sort();
    expect(listed).toEqual([...live()].sort());
    expect(listed).toEqual(expect.arrayContaining(ids));
  });

  it('token create delivers a working token', async () => {
    const r = await runCli(['token', 'create', '--role', 'RO User', '--json'], { env: envFor(emu), now: NOW });
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as { clientId: string; token: string };
    expect(works(doc.token)).toBe(true);
    expect(clientIdOf(doc.token)).toBe(doc.clientId);
    // Only the spec shape leaves `token` out of the answer: then the tool says it built it.
    expect(r.stderr.includes('it was built from the client id and secret')).toBe(shape === 'spec');
  });

  it('token exec gives the command a working token, then revokes it and nothing else', async () => {
    issue('keep');
    const before = live();
    const r = await runCli(['token', 'exec', '--role', 'RO User', '--', 'sh', '-c', 'printf %s "$ASTRA_DB_APPLICATION_TOKEN"'], {
      env: { ...envFor(emu), PATH: process.env.PATH ?? '/usr/bin:/bin' },
      now: NOW,
    });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^AstraCS:[A-Za-z]{24}:[0-9a-f]{64}$/);
    expect(works(r.stdout)).toBe(false);
    expect(r.stderr.includes('it was built from the client id and secret')).toBe(shape === 'spec');
    expectExactlyGone(before, []);
  });

  it('token create --db (a database-scoped token) delivers a working token', async () => {
    const r = await runCli(['token', 'create', '--db', 'orders', '--json'], { env: envFor(emu), now: NOW });
    expect(r.code).toBe(0);
    expect(works((JSON.parse(r.stdout) as { token: string }).token)).toBe(true);
  });

  it('token delete of one id revokes it and nothing else', async () => {
    const [a] = [issue('a'), issue('b')];
    const before = live();
    const r = await runCli(['token', 'delete', a, '--yes'], { env: envFor(emu), now: NOW });
    expect(r).toMatchObject({ code: 0, stdout: '' });
    expectExactlyGone(before, [a]);
  });

  it('token delete of five ids revokes all five and nothing else', async () => {
    const ids = Array.from({ length: 5 }, (_, i) => issue(`del ${i}`));
    issue('keep');
    const before = live();
    const r = await runCli(['token', 'delete', ...ids, '--yes', '--json'], { env: envFor(emu), now: NOW });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(ids.map((clientId) => ({ clientId, deleted: true })));
    expectExactlyGone(before, ids);
  });

  it.each([1, 8, 32])('token prune --concurrency %i revokes exactly the matched set', async (concurrency) => {
    const matched = Array.from({ length: 40 }, (_, i) => issue(`ci-${i}`));
    const kept = [issue('prod'), issue('ci-young', at(-60_000))];
    const before = live();
    const r = await runCli(
      ['token', 'prune', '--description', 'ci-*', '--older-than', '1h', '--yes', '--json', '--concurrency', String(concurrency)],
      {
        env: envFor(emu),
        now: NOW,
      },
    );
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as Array<{ clientId: string; deleted: boolean }>;
    expect(report.map((x) => x.clientId).sort()).toEqual([...matched].sort());
    expect(report.every((x) => x.deleted)).toBe(true);
    expectExactlyGone(before, matched);
    for (const id of kept) expect(live().has(id)).toBe(true);
  });

  it('token rotate replaces the token: the new one works, the old one is revoked', async () => {
    const old = emu.state.issueToken(emu.state.defaultOrg.id, ['RO User'], { description: 'svc', generatedOn: at(-DAY) }).token;
    const before = live();
    const r = await runCli(['token', 'rotate', clientIdOf(old), '--yes', '--json'], { env: envFor(emu), now: NOW });
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as { clientId: string; token: string; revoked: boolean };
    expect(doc.revoked).toBe(true);
    expect(works(doc.token)).toBe(true);
    expect(works(old)).toBe(false);
    expect([...live()].sort()).toEqual(
      [...before]
        .filter((id) => id !== clientIdOf(old))
        .concat(doc.clientId)
        .sort(),
    );
  });

  it('a 503 on the route that revokes is reported for that token (exit 8), never as "not found"', async () => {
    const ids = [issue('x-0'), issue('x-1'), issue('x-2')];
    // Whichever route revokes in this shape: both are made to fail for that one token.
    emu.state.injectFault({ method: 'DELETE', path: `/v2/clientIdSecrets/${ids[1]}`, status: 503, times: 10 });
    if (shape === 'docs') emu.state.injectFault({ method: 'DELETE', path: `/v2/tokens/${ids[1]}`, status: 503, times: 10 });
    const before = live();
    const r = await runCli(['token', 'prune', '--description', 'x-*', '--yes', '--json'], { env: envFor(emu), now: NOW });
    expect(r.code).toBe(8);
    const report = JSON.parse(r.stdout) as Array<{ clientId: string; deleted: boolean; reason?: string }>;
    expect(report.find((x) => x.clientId === ids[1])).toMatchObject({ deleted: false, reason: like.stringContaining('HTTP 503') });
    expectExactlyGone(before, [ids[0]!, ids[2]!]);
  });
});

describe('a create answer without "token"', () => {
  const CLIENT = 'NoTokenInAnswerXxxxxxxxx';

  it('is built from the client id and secret, checked, and delivered (docs-shaped server, answer trimmed)', async () => {
    emu.server.use(
      http.post('*/v2/tokens', async ({ request }) => {
        const issued = emu.state.mintToken(emu.state.defaultOrg.id, ((await request.json()) as { roles: string[] }).roles, '', null);
        return HttpResponse.json({ clientId: issued.clientId, secret: issued.secret, orgId: emu.state.defaultOrg.id, roles: [] });
      }),
    );
    const r = await runCli(['token', 'create', '--role', 'RO User'], { env: envFor(emu), now: NOW });
    expect(r.code).toBe(0);
    const token = r.stdout.trim();
    expect(token).toMatch(/^AstraCS:[A-Za-z]{24}:[0-9a-f]{64}$/);
    expect(works(token)).toBe(true);
    expect(r.stderr).toContain("the API's answer carried no token: it was built from the client id and secret");
  });

  it('whose built token is refused: the client id and secret are delivered, exit 8', async () => {
    emu.server.use(
      http.post('*/v2/tokens', () =>
        HttpResponse.json({ clientId: CLIENT, secret: 'the-secret', orgId: emu.state.defaultOrg.id, roles: [] }),
      ),
    );
    const plain = await runCli(['token', 'create', '--role', 'RO User'], { env: envFor(emu), now: NOW });
    expect(plain.code).toBe(8);
    expect(plain.stdout).toBe(`${CLIENT}\tthe-secret\n`);
    expect(plain.stderr).toMatch(
      new RegExp(
        `^error: token ${CLIENT} was created, but the API's answer carried no token and the one built from its client id and secret was not accepted \\(.*\\); the client id and secret were delivered instead \\(tab-separated\\); nothing else was changed`,
        'm',
      ),
    );
    expect(plain.stderr).toContain(`astra-token token delete ${CLIENT} --yes`);

    const json = await runCli(['token', 'create', '--role', 'RO User', '--json'], { env: envFor(emu), now: NOW });
    expect(json.code).toBe(8);
    expect(JSON.parse(json.stdout)).toMatchObject({ clientId: CLIENT, secret: 'the-secret', token: null });
    expect(JSON.parse(json.stderr.trim().split('\n').at(-1)!)).toMatchObject({ error: { code: 'PARTIAL' } });
  });

  it('on exec: a refused built token is revoked, the command never runs', async () => {
    let minted = '';
    emu.server.use(
      http.post('*/v2/tokens', async ({ request }) => {
        const issued = emu.state.mintToken(emu.state.defaultOrg.id, ((await request.json()) as { roles: string[] }).roles, '', null);
        minted = issued.clientId;
        // A secret that does not build the token the server knows: the check with the API fails.
        return HttpResponse.json({ clientId: issued.clientId, secret: 'not-the-secret', orgId: emu.state.defaultOrg.id, roles: [] });
      }),
    );
    const r = await runCli(['token', 'exec', '--role', 'RO User', '--', 'sh', '-c', 'echo ran'], {
      env: { ...envFor(emu), PATH: process.env.PATH ?? '/usr/bin:/bin' },
      now: NOW,
    });
    expect(minted).not.toBe('');
    expect(r.stdout).toBe('');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      `token ${minted} was created, but the API's answer carried no token and the one built from its client id and secret was not accepted`,
    );
    expect(r.stderr).toContain(`revoked token ${minted}`);
    expect(live().has(minted)).toBe(false);
  });

  it('on rotate: a refused built token keeps the old token (exit 8)', async () => {
    const old = emu.state.issueToken(emu.state.defaultOrg.id, ['RO User'], { generatedOn: at(-DAY) }).token;
    emu.server.use(
      http.post('*/v2/tokens', () =>
        HttpResponse.json({ clientId: CLIENT, secret: 'the-secret', orgId: emu.state.defaultOrg.id, roles: [] }),
      ),
    );
    const r = await runCli(['token', 'rotate', clientIdOf(old), '--yes'], { env: envFor(emu), now: NOW });
    expect(r.code).toBe(8);
    expect(r.stdout).toBe(`${CLIENT}\tthe-secret\n`);
    expect(works(old)).toBe(true);
  });
});

describe('a DELETE whose first answer was lost', () => {
  /** The real fetch, except that the first DELETE that revoked has its answer lost (a reset after the server acted). */
  function losingFirstDeleteAnswer(): (url: string, init: RequestInit) => Promise<Response> {
    let lost = false;
    return async (url, init) => {
      const res = await globalThis.fetch(url, init);
      if (init.method === 'DELETE' && res.ok && !lost) {
        lost = true;
        await res.arrayBuffer();
        throw new TypeError('fetch failed', { cause: Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }) });
      }
      return res;
    };
  }

  it.each(SHAPES)('and whose retry meets "no such token" succeeded (%s shape): exit 0, reported revoked', async (shape) => {
    emu.server.resetHandlers(...createHandlers(emu.state, { apiShape: shape }));
    const id = issue('lost answer');
    const r = await runCli(['token', 'delete', id, '--yes', '--json'], { env: envFor(emu), now: NOW, fetch: losingFirstDeleteAnswer() });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([{ clientId: id, deleted: true }]);
    expect(live().has(id)).toBe(false);
  });
});
