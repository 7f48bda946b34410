// Scripting through the built bin against the loopback emulator in each API shape: --fields and --jq keep what a
// script asked for, a bad expression or field is refused before anything is created, and org current names the
// client id. Then the everyday surface a terminal sees: bare astra-token, did-you-mean, help at 80 columns in a pty.
import { describe, expect, it } from 'vitest';
import { API_SHAPES } from '../../src/emulator/handlers.js';
import { HAS_BUILD, NO_BUILD_REASON, runBin, runInPty } from '../helpers/bin.js';
import { withEmulatorServer, type LoopbackEmulator } from '../helpers/emulator.js';

const env = (emu: LoopbackEmulator) => ({ ASTRA_DB_APPLICATION_TOKEN: emu.adminToken, ASTRA_API_URL: emu.url });
const live = (emu: LoopbackEmulator) => emu.state.listTokens(emu.state.defaultOrg.id);
const liveIds = (emu: LoopbackEmulator) =>
  live(emu)
    .map((t) => t.clientId)
    .sort();
const seed = (emu: LoopbackEmulator, description: string, expiresAt: Date | null = null) =>
  emu.state.issueToken(emu.state.defaultOrg.id, ['RO User'], { description, expiresAt });

describe.skipIf(!HAS_BUILD)(`--fields and --jq through the built bin${HAS_BUILD ? '' : ` (${NO_BUILD_REASON})`}`, () => {
  describe.each(API_SHAPES.map((s) => [s]))('API shape %s', (apiShape) => {
    it('token list --fields keeps those keys of each token; --jq prints the client ids raw, one per line', async () => {
      await withEmulatorServer(
        async (emu) => {
          const later = new Date(Date.now() + 30 * 86_400_000);
          seed(emu, 'ci one', later);
          seed(emu, 'ci two');
          const fields = await runBin(['token', 'list', '--fields', 'clientId,expiresAt'], { env: env(emu) });
          expect(fields.code).toBe(0);
          const rows = JSON.parse(fields.stdout) as Array<Record<string, unknown>>;
          expect(rows.map((r) => Object.keys(r))).toEqual(rows.map(() => ['clientId', 'expiresAt']));
          expect(rows.map((r) => r.clientId).sort()).toEqual(liveIds(emu));
          expect(rows.filter((r) => r.expiresAt !== null).map((r) => r.expiresAt)).toEqual([later.toISOString()]);

          const jq = await runBin(['--jq', '.[].clientId', 'list'], { env: env(emu) });
          expect(jq.code).toBe(0);
          expect(jq.stdout.split('\n').filter(Boolean).sort()).toEqual(liveIds(emu));
          expect(jq.stdout.endsWith('\n')).toBe(true);

          const never = await runBin(['token', 'list', '--jq', '[.[] | select(.expiresAt == null)] | length'], { env: env(emu) });
          expect(never.stdout).toBe(`${live(emu).filter((t) => t.expiresAt === null).length}\n`);
        },
        { apiShape },
      );
    });

    it('token create --jq .clientId: the token nobody received is revoked again, exit 8; --jq .token prints it', async () => {
      await withEmulatorServer(
        async (emu) => {
          const before = liveIds(emu);
          const r = await runBin(['token', 'create', '--role', 'RO User', '--jq', '.clientId'], { env: env(emu) });
          expect(r).toMatchObject({ code: 8, stdout: '' });
          // The spec shape's answer holds no token: a line before says it was built from the client id and secret.
          const { error } = JSON.parse(r.stderr.trimEnd().split('\n').pop()!) as { error: { code: string; message: string } };
          expect(error.code).toBe('PARTIAL');
          expect(error.message).toMatch(/leaves the token out of standard output, so it reached no one; it was revoked$/);
          expect(liveIds(emu)).toEqual(before);

          const kept = await runBin(['token', 'create', '--role', 'RO User', '--jq', '.token'], { env: env(emu) });
          expect(kept.code).toBe(0);
          const created = kept.stdout.trim().split(':')[1]!;
          expect(kept.stdout).toMatch(new RegExp(`^AstraCS:${created}:[0-9a-f]+\n$`));
          expect(liveIds(emu)).toEqual([...before, created].sort());
          const role = emu.state.findRole(emu.state.defaultOrg.id, 'RO User')!;
          expect(emu.state.findToken(created)?.roles).toEqual([role.id]);
        },
        { apiShape },
      );
    });

    it('token rotate --fields without token is refused up front; --jq .clientId revokes the new token and keeps the old', async () => {
      await withEmulatorServer(
        async (emu) => {
          const old = seed(emu, 'ci job');
          const before = liveIds(emu);
          const refused = await runBin(['token', 'rotate', old.clientId, '--yes', '--fields', 'clientId,revoked'], { env: env(emu) });
          expect(refused).toMatchObject({ code: 2, stdout: '' });
          expect(refused.stderr).toMatch(/leaves out 'token', the new token's only copy: nobody would receive it; nothing was created/);
          expect(liveIds(emu)).toEqual(before);

          const r = await runBin(['token', 'rotate', old.clientId, '--yes', '--jq', '.clientId'], { env: env(emu) });
          expect(r).toMatchObject({ code: 8, stdout: '' });
          expect(r.stderr).toMatch(new RegExp(`it was revoked; the old token ${old.clientId} was kept and still works`));
          expect(liveIds(emu)).toEqual(before);
          expect(emu.state.findToken(old.clientId)?.description).toBe('ci job');
        },
        { apiShape },
      );
    });

    it('a bad jq expression or an unknown field is exit 2 with one JSON error line (both imply --json), nothing created', async () => {
      await withEmulatorServer(
        async (emu) => {
          const before = liveIds(emu);
          const syntax = await runBin(['token', 'create', '--role', 'RO User', '--jq', '.['], { env: env(emu) });
          expect(syntax).toMatchObject({ code: 2, stdout: '' });
          expect(syntax.stderr).toBe('{"error":{"code":"USAGE","message":"--jq: syntax error, unexpected end of file"}}\n');
          const field = await runBin(['token', 'list', '--fields', 'clientId,expires'], { env: env(emu) });
          expect(field).toMatchObject({ code: 2, stdout: '' });
          expect(JSON.parse(field.stderr)).toEqual({
            error: {
              code: 'USAGE',
              message: "--fields: unknown field 'expires'; available: clientId, roles, description, generatedOn, expiresAt, expired",
            },
          });
          const runtime = await runBin(['token', 'list', '--jq', '.[0].roles.name'], { env: env(emu) });
          expect(runtime).toMatchObject({ code: 2, stdout: '' });
          expect(JSON.parse(runtime.stderr)).toEqual({ error: { code: 'USAGE', message: '--jq: Cannot index array with string "name"' } });
          expect(liveIds(emu)).toEqual(before);
        },
        { apiShape },
      );
    });

    it('org current --json names the client id of the token in use', async () => {
      await withEmulatorServer(
        async (emu) => {
          const r = await runBin(['org', 'current', '--json'], { env: env(emu) });
          expect(r.code).toBe(0);
          expect(JSON.parse(r.stdout)).toMatchObject({
            source: 'env',
            clientId: emu.adminToken.split(':')[1],
            orgId: emu.state.defaultOrg.id,
          });
        },
        { apiShape },
      );
    });
  });
});

describe.skipIf(!HAS_BUILD)(`the surface a terminal sees, from the built bin${HAS_BUILD ? '' : ` (${NO_BUILD_REASON})`}`, () => {
  it('bare astra-token prints the help on stdout and exits 0', async () => {
    const r = await runBin([]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^Usage: astra-token /);
    expect(r.stdout).toMatch(/^Help topics \(astra-token help <topic>\):$/m);
  });

  it.each([
    ['lsit', 'list'],
    ['creat', 'create'],
    ['tokn', 'token'],
  ])('`astra-token %s` exits 2 and asks: did you mean %s?', async (typo, meant) => {
    const r = await runBin([typo]);
    expect(r).toMatchObject({ code: 2, stdout: '' });
    expect(r.stderr).toBe(`error: unknown command '${typo}' (Did you mean ${meant}?); see 'astra-token --help'\n`);
  });

  it.each([
    [['--help']],
    [['token', 'create', '--help']],
    [['token', 'audit', '--help']],
    [['completion', '--help']],
    [['help', 'exit-codes']],
    [['help', 'environment']],
    [['help', 'formats']],
  ])('%j fits a terminal 80 columns wide', async (args) => {
    const r = await runInPty(args, 80);
    expect(r.code).toBe(0);
    expect(r.output.split('\n').filter((line) => [...line].length > 80)).toEqual([]);
    expect(r.output.length).toBeGreaterThan(200);
  });

  it('help uses the width of a wider terminal: prose refilled to 120 columns', async () => {
    const r = await runInPty(['token', 'create', '--help'], 120);
    const lines = r.output.split('\n');
    expect(Math.max(...lines.map((l) => [...l].length))).toBeGreaterThan(80);
    expect(lines.filter((l) => [...l].length > 120)).toEqual([]);
  });

  it('the completion help shows the source form and what the install line needs', async () => {
    const r = await runBin(['completion', '--help']);
    expect(r.stdout).toContain('$ source <(astra-token completion bash)');
    expect(r.stdout).toMatch(/bash-completion package/);
  });
});
