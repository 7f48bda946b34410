// A create whose answer was lost (502/504/timeout after the request was sent) never says "no token was created": it
// says one may exist, looks once, names what it finds as possibly this run's with the exact revoke line, and exits 7.
import { delay, http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';
import { useEmulator } from '../../helpers/emulator.js';
import { DAY, NOW, at, envFor, roleId } from '../../helpers/fixtures/token.js';
import { idOf, seed, works } from '../../helpers/fixtures/rotate.js';

const emu = useEmulator({ state: { now: () => NOW } });

/** The API makes the token, then the answer is lost: a gateway status, or no answer in time. */
function loseAnswer(how: number | 'timeout'): string[] {
  const made: string[] = [];
  emu.server.use(
    http.post('*/v2/tokens', async ({ request }) => {
      const body = (await request.json()) as { roles: string[]; description?: string };
      made.push(emu.state.mintToken(emu.state.defaultOrg.id, body.roles, body.description ?? '', null, NOW).clientId);
      if (how === 'timeout') await delay(3000);
      return new HttpResponse('bad gateway', { status: how === 'timeout' ? 200 : how });
    }),
  );
  return made;
}

describe('token create whose answer was lost', () => {
  it.each([502, 504, 'timeout'] as const)('%s: names the token possibly made by this run with its revoke line, exit 7', async (how) => {
    // Decoys: same roles and description but an hour old; just made but another description.
    const org = emu.state.defaultOrg.id;
    emu.state.issueToken(org, ['RO User'], { description: 'nightly', generatedOn: at(-DAY / 24) });
    emu.state.issueToken(org, ['RO User'], { description: 'other', generatedOn: NOW });
    const made = loseAnswer(how);
    const r = await runCli(['--timeout', '0.5', 'token', 'create', '--role', 'RO User', '--description', 'nightly'], {
      env: envFor(emu),
      now: NOW,
    });
    expect(r.code).toBe(7);
    expect(r.stdout).toBe('');
    expect(r.stderr).not.toContain('no token was created');
    expect(made).toHaveLength(1);
    expect(r.stderr).toMatch(
      /^error: the answer to the token create was lost \(.+\), so a token may have been created without reaching you; /,
    );
    expect(r.stderr).toContain(
      `token ${made[0]} is possibly this run's (same roles and description, just made): revoke with: astra-token token delete ${made[0]} --yes; run the same command again\n`,
    );
  });

  it('--json: one error line, code UNAVAILABLE, the revoke line in the hint', async () => {
    const made = loseAnswer(504);
    const r = await runCli(['token', 'create', '--role', 'RO User', '--json'], { env: envFor(emu), now: NOW });
    expect(r.code).toBe(7);
    const { error } = JSON.parse(r.stderr) as { error: { code: string; status: number; hint: string } };
    expect(error).toMatchObject({ code: 'UNAVAILABLE', status: 504 });
    expect(error.hint).toContain(`revoke with: astra-token token delete ${made[0]} --yes`);
  });

  it('none found: still says one may exist, and to look again', async () => {
    emu.server.use(http.post('*/v2/tokens', () => new HttpResponse(null, { status: 502 })));
    const r = await runCli(['token', 'create', '--role', 'RO User'], { env: envFor(emu), now: NOW });
    expect(r.code).toBe(7);
    expect(r.stderr).toContain('a token may have been created without reaching you');
    expect(r.stderr).toContain(
      "none with these roles and description made since 2026-03-01T11:55:00.000Z is listed yet; check 'astra-token token list' again in a moment",
    );
  });

  it('an error the API itself gave (503, 400) still says no token was created', async () => {
    emu.server.use(http.post('*/v2/tokens', () => new HttpResponse(null, { status: 503 })));
    const r = await runCli(['token', 'create', '--role', 'RO User'], { env: envFor(emu), now: NOW });
    expect(r.code).toBe(7);
    expect(r.stderr).toContain('no token was created');
  });

  it('token rotate: the old token is kept, the lost one named, exit 7', async () => {
    const old = seed(emu, ['RO User'], 'svc');
    const made = loseAnswer(504);
    const r = await runCli(['token', 'rotate', idOf(old), '--yes'], { env: envFor(emu), now: NOW });
    expect(r.code).toBe(7);
    expect(r.stderr).toContain(`token ${made[0]} is possibly this run's`);
    expect(r.stderr).toContain(`${idOf(old)} still works`);
    expect(works(emu, old)).toBe(true);
    expect(emu.state.listTokens(emu.state.defaultOrg.id).find((t) => t.clientId === made[0])!.roles).toEqual([
      roleId(emu.state, 'RO User'),
    ]);
  });
});
