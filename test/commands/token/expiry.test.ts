// Expiry limits: rotate refuses a new token that dies within the hour (the old one is revoked right after), create
// warns under 5 minutes, and an expiry past year 9999 (which the API cannot carry) is refused before any request.
import { describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';
import { useEmulator } from '../../helpers/emulator.js';
import { envFor } from '../../helpers/fixtures/token.js';
import { NOW, idOf, seed, works } from '../../helpers/fixtures/rotate.js';

const emu = useEmulator({ state: { now: () => NOW } });
const posts = () => emu.state.requests.filter((q) => q.method === 'POST');

describe('token rotate --expires', () => {
  it.each(['3s', '59m', 'PT30M', '2026-03-01T12:30:00Z'])('%s (under 1 hour) is refused before any request, exit 2', async (expires) => {
    const old = seed(emu);
    const r = await runCli(['token', 'rotate', idOf(old), '--yes', '--expires', expires], { env: envFor(emu), now: NOW });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      `error: --expires: '${expires}' is less than 1 hour away, and the old token is revoked right after; nothing was changed; pass --allow-short-expiry if that is really meant ('astra-token token exec' is made for short-lived tokens)\n`,
    );
    expect(emu.state.requests).toEqual([]);
    expect(works(emu, old)).toBe(true);
  });

  it('--allow-short-expiry lets a short expiry through', async () => {
    const old = seed(emu);
    const r = await runCli(['token', 'rotate', idOf(old), '--yes', '--expires', '10m', '--allow-short-expiry', '--json'], {
      env: envFor(emu),
      now: NOW,
    });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ expiresAt: new Date(NOW.getTime() + 600_000).toISOString(), revoked: true });
  });

  it('exactly 1 hour is accepted', async () => {
    const old = seed(emu);
    const r = await runCli(['token', 'rotate', idOf(old), '--yes', '--expires', '1h'], { env: envFor(emu), now: NOW });
    expect(r.code).toBe(0);
  });
});

describe('an expiry past year 9999', () => {
  it.each([
    ['token', 'create', '--role', 'RO User'],
    ['token', 'rotate', 'PLACEHOLDER', '--yes'],
  ])('%s %s: 999999w is refused before any request, exit 2', async (...argv) => {
    const old = seed(emu);
    const args = argv.map((a) => (a === 'PLACEHOLDER' ? idOf(old) : a));
    const r = await runCli([...args, '--expires', '999999w'], { env: envFor(emu), now: NOW });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      "error: --expires: '999999w' ends after the year 9999, which the API cannot store; give a nearer expiry, or leave --expires out for a token that never expires\n",
    );
    expect(emu.state.requests).toEqual([]);
  });

  it('the last instant of year 9999 is still sent, with a four-digit year', async () => {
    const r = await runCli(['token', 'create', '--role', 'RO User', '--expires', '9999-12-31T23:59:59Z', '--json'], {
      env: envFor(emu),
      now: NOW,
    });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ expiresAt: '9999-12-31T23:59:59.000Z' });
  });
});

describe('token create --expires under 5 minutes', () => {
  it('warns on stderr and still creates the token', async () => {
    const r = await runCli(['token', 'create', '--role', 'RO User', '--expires', '4m'], { env: envFor(emu), now: NOW });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(
      /^warning: --expires '4m': the token dies in under 5 minutes; 'astra-token token exec' creates a short-lived token and revokes it when the command ends\n/,
    );
    expect(posts()).toHaveLength(1);
  });

  it('says nothing at 5 minutes', async () => {
    const r = await runCli(['token', 'create', '--role', 'RO User', '--expires', '5m'], { env: envFor(emu), now: NOW });
    expect(r.code).toBe(0);
    expect(r.stderr).not.toContain('under 5 minutes');
  });
});
