// One odd token never breaks a whole command. The emulator holds a token whose expiry the API itself stored past
// year 9999 (it lists as `+021192-...`) and, through msw, one whose dates are words: every command keeps working for
// every token, the raw value is shown as sent, and its JSON `expired` is null.
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { useEmulator } from '../helpers/emulator.js';
import { DAY, NOW, at, envFor } from '../helpers/fixtures/token.js';
import { idOf, works } from '../helpers/fixtures/rotate.js';

const emu = useEmulator({ state: { now: () => NOW } });
const FAR = '+021192-03-31T00:00:00.000Z';

/** An ordinary expired token, an ordinary live one, and the odd one. */
function seedTokens() {
  const org = emu.state.defaultOrg.id;
  const expired = emu.state.issueToken(org, ['RO User'], { description: 'old', expiresAt: at(-DAY), generatedOn: at(-30 * DAY) }).token;
  const live = emu.state.issueToken(org, ['RO User'], { description: 'live', expiresAt: at(30 * DAY), generatedOn: at(-2 * DAY) }).token;
  const odd = emu.state.issueToken(org, ['R/W User'], { description: 'odd', expiresAt: new Date(FAR), generatedOn: at(-3 * DAY) }).token;
  return { expired, live, odd };
}

type Listed = { clientId: string; expiresAt: string | null; generatedOn: string | null; expired: boolean | null };
const listed = async () => JSON.parse((await runCli(['token', 'list', '--json'], { env: envFor(emu), now: NOW })).stdout) as Listed[];

describe('a token whose expiry cannot be read', () => {
  it('token list --json: raw value, expired null; the others as usual', async () => {
    const t = seedTokens();
    const r = await runCli(['token', 'list', '--json'], { env: envFor(emu), now: NOW });
    expect(r.code).toBe(0);
    const byId = new Map((JSON.parse(r.stdout) as Listed[]).map((x) => [x.clientId, x]));
    expect(byId.get(idOf(t.odd))).toMatchObject({ expiresAt: FAR, expired: null, generatedOn: at(-3 * DAY).toISOString() });
    expect(byId.get(idOf(t.expired))).toMatchObject({ expired: true });
    expect(byId.get(idOf(t.live))).toMatchObject({ expired: false });
  });

  it('token list piped and on a TTY: the raw value, marked unreadable on a TTY', async () => {
    const t = seedTokens();
    const piped = await runCli(['token', 'list'], { env: envFor(emu), now: NOW });
    expect(piped.code).toBe(0);
    expect(piped.stdout).toContain(`${idOf(t.odd)}\tR/W User\todd\t${at(-3 * DAY).toISOString()}\t${FAR}\n`);
    const tty = await runCli(['token', 'list', '--no-color'], { env: envFor(emu), now: NOW, tty: true, columns: 200 });
    expect(tty.code).toBe(0);
    expect(tty.stdout).toMatch(new RegExp(`${idOf(t.odd)}.*\\${FAR} \\(unreadable\\).*unknown`));
  });

  it('filters skip it: --expired and --expiring-within neither match nor fail', async () => {
    const t = seedTokens();
    const expired = await runCli(['token', 'list', '--expired', '--json'], { env: envFor(emu), now: NOW });
    expect(expired.code).toBe(0);
    expect((JSON.parse(expired.stdout) as Listed[]).map((x) => x.clientId)).toEqual([idOf(t.expired)]);
    const soon = await runCli(['token', 'list', '--expiring-within', '60d', '--json'], { env: envFor(emu), now: NOW });
    expect(soon.code).toBe(0);
    expect((JSON.parse(soon.stdout) as Listed[]).map((x) => x.clientId)).toEqual([idOf(t.live)]);
  });

  it('token delete works for it and for the others', async () => {
    const t = seedTokens();
    const r = await runCli(['token', 'delete', idOf(t.odd), idOf(t.live), '--yes', '--json'], { env: envFor(emu), now: NOW });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([
      { clientId: idOf(t.odd), deleted: true },
      { clientId: idOf(t.live), deleted: true },
    ]);
    expect(works(emu, t.odd)).toBe(false);
  });

  it('token prune --expired revokes the expired token and leaves it alone', async () => {
    const t = seedTokens();
    const r = await runCli(['token', 'prune', '--expired', '--yes', '--json'], { env: envFor(emu), now: NOW });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([{ clientId: idOf(t.expired), deleted: true }]);
    expect(works(emu, t.odd)).toBe(true);
  });

  it('token rotate refuses to guess its lifetime (exit 2, nothing changed) and works with --expires', async () => {
    const t = seedTokens();
    const env = envFor(emu);
    const before = emu.state.listTokens(emu.state.defaultOrg.id).length;
    const refused = await runCli(['token', 'rotate', idOf(t.odd), '--yes', '--json'], { env, now: NOW });
    expect(refused.code).toBe(2);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toContain('its lifetime cannot be told from the dates the API sent');
    expect(emu.state.listTokens(emu.state.defaultOrg.id)).toHaveLength(before);
    expect(works(emu, t.odd)).toBe(true);
    for (const [token, extra] of [
      [t.odd, ['--expires', '30d']],
      [t.live, []],
    ] as const) {
      const r = await runCli(['token', 'rotate', idOf(token), '--yes', '--json', ...extra], { env, now: NOW });
      expect(r.code).toBe(0);
      expect(JSON.parse(r.stdout)).toMatchObject({ replaced: idOf(token), revoked: true });
    }
  });

  it('token inspect --check on it: live, the raw expiry shown', async () => {
    seedTokens();
    // It may read the org's tokens, its own among them.
    const odd = emu.state.issueToken(emu.state.defaultOrg.id, ['Organization Administrator'], {
      expiresAt: new Date(FAR),
      generatedOn: at(-DAY),
    }).token;
    const r = await runCli(['token', 'inspect', '--check', '--json'], { env: envFor(emu, odd), now: NOW });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ check: { live: true, expiresAt: FAR } });
    const tty = await runCli(['token', 'inspect', '--check', '--no-color'], { env: envFor(emu, odd), now: NOW, tty: true });
    expect(tty.code).toBe(0);
    expect(tty.stdout).toContain(`${FAR} (unreadable)`);
  });
});

describe('dates that are words (msw)', () => {
  it('list, prune --older-than and delete keep working; the words are shown as sent', async () => {
    const t = seedTokens();
    emu.server.use(
      http.get('*/v2/tokens', ({ request }) => {
        const auth = request.headers.get('authorization');
        if (!auth) return new HttpResponse(null, { status: 401 });
        return HttpResponse.json({
          clients: [
            { clientId: idOf(t.odd), roles: [], generatedOn: 'yesterday', tokenExpiry: 'soon', description: 'odd' },
            {
              clientId: idOf(t.expired),
              roles: [],
              generatedOn: at(-30 * DAY).toISOString(),
              tokenExpiry: at(-DAY).toISOString(),
              description: 'old',
            },
          ],
        });
      }),
    );
    const list = await listed();
    expect(list.find((x) => x.clientId === idOf(t.odd))).toEqual({
      clientId: idOf(t.odd),
      roles: [],
      description: 'odd',
      generatedOn: 'yesterday',
      expiresAt: 'soon',
      expired: null,
    });
    const prune = await runCli(['token', 'prune', '--older-than', '7d', '--yes', '--json'], { env: envFor(emu), now: NOW });
    expect(prune.code).toBe(0);
    expect(JSON.parse(prune.stdout)).toEqual([{ clientId: idOf(t.expired), deleted: true }]);
    const del = await runCli(['token', 'delete', idOf(t.odd), '--yes'], { env: envFor(emu), now: NOW });
    expect(del.code).toBe(0);
  });
});
