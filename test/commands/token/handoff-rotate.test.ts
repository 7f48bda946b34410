// `token rotate --handoff`, `--handoff-env`, `--handoff-timeout` and `--format`, against the in-process emulator with
// real child processes (/bin/sh) as the hand-over commands.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempConfigDir } from '../../helpers/cli.js';
import { useEmulator } from '../../helpers/emulator.js';
import { envFor } from '../../helpers/fixtures/token.js';
import { NOW, finishCommand, idOf, profileToken, runPrinted, saveProfile, seed, works } from '../../helpers/fixtures/rotate.js';
import { tempDir } from '../../helpers/temp.js';

const emu = useEmulator({ state: { now: () => NOW } });

/** A scratch directory, and the environment a hand-over command sees its paths in. */
function scratch(): { dir: string; env: Record<string, string> } {
  const dir = tempDir('handoff-');
  return {
    dir,
    env: {
      ...envFor(emu),
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      OUT: join(dir, 'out'),
      MARK: join(dir, 'mark'),
      PIDFILE: join(dir, 'pid'),
    },
  };
}
const read = (path: string) => readFileSync(path, 'utf8');

/** Is the process gone (or only a zombie nobody reaped yet)? */
function gone(pid: number): boolean {
  try {
    return read(`/proc/${pid}/stat`).split(') ')[1]!.startsWith('Z');
  } catch {
    return true;
  }
}

describe('token rotate --handoff', () => {
  it('hands exactly the new token (one line, then EOF) to the command on stdin, then revokes the old one', async () => {
    const { env } = scratch();
    const old = seed(emu);
    const r = await runCli(['token', 'rotate', idOf(old), '--yes', '--handoff', 'cat > "$OUT"'], { env, now: NOW });
    expect(r.code).toBe(0);
    const fresh = r.stdout.trim();
    expect(read(env.OUT!)).toBe(`${fresh}\n`);
    expect(works(emu, old)).toBe(false);
    expect(works(emu, fresh)).toBe(true);
    // After delivery and before the revoke.
    const order = ['created token', 'handing the new token over to: cat > "$OUT"', 'the hand-over command succeeded', 'rotated '];
    const positions = order.map((s) => r.stderr.indexOf(s));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
  });

  it('runs after the profile holds the new token', async () => {
    const { env } = scratch();
    const cfg = tempConfigDir();
    const old = seed(emu);
    saveProfile(cfg, emu, 'ci', old);
    const r = await runCli(
      ['token', 'rotate', idOf(old), '--yes', '--handoff', 'cat >/dev/null; cat "$ASTRA_TOKEN_CONFIG_DIR/config.json" > "$OUT"'],
      {
        env: { ...env, ASTRA_DB_APPLICATION_TOKEN: '', ASTRA_TOKEN_CONFIG_DIR: cfg },
        now: NOW,
      },
    );
    expect(r.code).toBe(0);
    const seen = JSON.parse(read(env.OUT!)) as { profiles: Array<{ token: string }> };
    expect(seen.profiles[0]!.token).toBe(r.stdout.trim());
    expect(profileToken(cfg, 'ci')).toBe(r.stdout.trim());
  });

  it('a failing command keeps the old token, still delivers the new one, exits 8 and says how to finish', async () => {
    const { dir, env } = scratch();
    const file = join(dir, 'new-token');
    const old = seed(emu);
    // Fails the first time, succeeds when run again by hand.
    const command =
      'if [ -e "$MARK" ]; then cat > "$OUT"; else touch "$MARK"; echo "preparing" >&2; echo "vault: permission denied" >&2; exit 3; fi';
    const r = await runCli(['token', 'rotate', idOf(old), '--yes', '--output-file', file, '--handoff', command], { env, now: NOW });
    expect(r.code).toBe(8);
    const fresh = read(file).trim();
    expect(r.stdout).toBe(`${idOf(fresh)}\n`);
    expect(works(emu, old)).toBe(true);
    expect(works(emu, fresh)).toBe(true);
    // The child's own stderr came through as it ran, and the error line repeats its last lines.
    expect(r.stderr).toContain('preparing\nvault: permission denied\n');
    const errorLine = r.stderr.split('\n').find((l) => l.startsWith('error: '))!;
    expect(errorLine).toBe(
      `error: token ${idOf(fresh)} was created and delivered, but the hand-over command exited with status 3 ` +
        `(last lines of its stderr: "preparing" "vault: permission denied"); the old token ${idOf(old)} was kept; ` +
        `finish with: sh -c '${command.replace(/'/g, `'\\''`)}' < ${file} && astra-token token delete ${idOf(old)} --yes`,
    );

    const done = await runPrinted(finishCommand(r.stderr), env, dir);
    expect(done.map((d) => d.code)).toEqual([0, 0]);
    expect(read(env.OUT!)).toBe(`${fresh}\n`);
    expect(works(emu, old)).toBe(false);
  });

  it.each([['env'], ['export'], ['json']])(
    'with --output-file in the %s shape, finishing by hand still gives the command the bare token',
    async (shape) => {
      const { dir, env } = scratch();
      const file = join(dir, 'new-token');
      const old = seed(emu);
      const command = 'if [ -e "$MARK" ]; then cat > "$OUT"; else touch "$MARK"; exit 3; fi';
      const flags = shape === 'json' ? ['--json'] : ['--format', shape];
      const r = await runCli(['token', 'rotate', idOf(old), '--yes', '--output-file', file, '--handoff', command, ...flags], {
        env,
        now: NOW,
      });
      expect(r.code).toBe(8);
      const hint =
        shape === 'json'
          ? (JSON.parse(r.stderr.trim().split('\n').at(-1)!) as { error: { hint: string } }).error.hint.replace('finish with: ', '')
          : finishCommand(r.stderr);
      const done = await runPrinted(hint, env, dir);
      expect(done.map((d) => d.code)).toEqual([0, 0]);
      const fresh = read(env.OUT!);
      expect(fresh).toMatch(/^AstraCS:[A-Za-z]{24}:[0-9a-f]{64}\n$/);
      expect(works(emu, fresh.trim())).toBe(true);
      expect(works(emu, old)).toBe(false);
    },
  );

  it('a command that outlives --handoff-timeout is stopped with everything it started; the old token is kept', async () => {
    const { env } = scratch();
    const old = seed(emu);
    const r = await runCli(
      ['token', 'rotate', idOf(old), '--yes', '--handoff', 'sleep 30 & echo $! > "$PIDFILE"; wait', '--handoff-timeout', '1'],
      { env, now: NOW },
    );
    expect(r.code).toBe(8);
    expect(r.stderr).toMatch(
      /but the hand-over command did not finish within 1s and was stopped; the old token [A-Za-z]{24} was kept; finish with: /,
    );
    const sleeper = Number(read(env.PIDFILE!).trim());
    expect(gone(sleeper)).toBe(true);
    expect(works(emu, old)).toBe(true);
    expect(works(emu, r.stdout.trim())).toBe(true);
  });

  it('--handoff-env also puts the token in that variable', async () => {
    const { env } = scratch();
    const old = seed(emu);
    const r = await runCli(
      ['token', 'rotate', idOf(old), '--yes', '--handoff', 'printf %s "$NEW_ASTRA_TOKEN" > "$OUT"', '--handoff-env', 'NEW_ASTRA_TOKEN'],
      { env, now: NOW },
    );
    expect(r.code).toBe(0);
    expect(read(env.OUT!)).toBe(r.stdout.trim());
  });

  it("the token is never in the command's argv (nor in its environment without --handoff-env)", async () => {
    const { dir, env } = scratch();
    const old = seed(emu);
    const command =
      'cat > "$OUT"; printf "%s\\n" "$0" "$@" > "$OUT.args"; tr "\\000" "\\n" < /proc/$$/cmdline > "$OUT.cmdline"; env > "$OUT.env"';
    const r = await runCli(['token', 'rotate', idOf(old), '--yes', '--handoff', command], { env, now: NOW });
    expect(r.code).toBe(0);
    const fresh = r.stdout.trim();
    expect(read(env.OUT!)).toBe(`${fresh}\n`);
    expect(read(join(dir, 'out.args'))).toBe('/bin/sh\n');
    expect(read(join(dir, 'out.cmdline'))).toBe(`/bin/sh\n-c\n${command}\n`);
    expect(read(join(dir, 'out.env'))).not.toContain(fresh);
    expect(read(join(dir, 'out.env'))).not.toContain(fresh.split(':')[2]);
  });

  it('--json stays one valid document while the command prints to its stdout', async () => {
    const { env } = scratch();
    const old = seed(emu);
    const r = await runCli(
      ['token', 'rotate', idOf(old), '--yes', '--json', '--handoff', 'echo "{ not json"; echo "child says hi"; cat > /dev/null'],
      { env, now: NOW },
    );
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as { token: string; revoked: boolean };
    expect(doc.revoked).toBe(true);
    expect(r.stderr).toContain('{ not json\nchild says hi\n');
  });

  it('--json on a failed hand-over: stdout is one document with "revoked": false', async () => {
    const { env } = scratch();
    const old = seed(emu);
    const r = await runCli(['token', 'rotate', idOf(old), '--yes', '--json', '--handoff', 'echo out; exit 1'], { env, now: NOW });
    expect(r.code).toBe(8);
    expect(JSON.parse(r.stdout)).toMatchObject({ replaced: idOf(old), revoked: false });
    const error = JSON.parse(r.stderr.trim().split('\n').at(-1)!) as { error: { code: string; message: string } };
    expect(error.error).toMatchObject({ code: 'PARTIAL' });
    expect(error.error.message).toContain('the hand-over command exited with status 1;');
  });

  it('with --keep-old the hand-over still runs and nothing is revoked', async () => {
    const { env } = scratch();
    const old = seed(emu);
    const r = await runCli(['token', 'rotate', idOf(old), '--keep-old', '--handoff', 'cat > "$OUT"'], { env, now: NOW });
    expect(r.code).toBe(0);
    expect(read(env.OUT!)).toBe(r.stdout);
    expect(works(emu, old)).toBe(true);
  });

  it('does not run when an earlier step failed; the finish line then includes it', async () => {
    const { dir, env } = scratch();
    const file = join(dir, 'new-token');
    const old = seed(emu);
    emu.state.injectFault({ method: 'GET', path: '/v2/currentOrg', status: 503, times: 4 });
    const r = await runCli(
      ['token', 'rotate', idOf(old), '--yes', '--output-file', file, '--handoff', 'cat > "$OUT"', '--handoff-env', 'T'],
      { env, now: NOW },
    );
    expect(r.code).toBe(8);
    expect(existsSync(env.OUT!)).toBe(false);
    const finish = finishCommand(r.stderr);
    expect(finish).toBe(`T="$(cat ${file})" sh -c 'cat > "$OUT"' < ${file} && astra-token token delete ${idOf(old)} --yes`);
    const done = await runPrinted(finish, env, dir);
    expect(done.map((d) => d.code)).toEqual([0, 0]);
    expect(read(env.OUT!)).toBe(read(file));
    expect(works(emu, old)).toBe(false);
  });

  describe('flag checks, before any request', () => {
    it.each([
      [['--handoff-env', 'X'], '--handoff-env needs --handoff <command>'],
      [['--handoff-timeout', '5'], '--handoff-timeout needs --handoff <command>'],
      [['--handoff', ''], '--handoff: the command must not be empty'],
      [
        ['--handoff', 'cat', '--handoff-env', '1TOKEN'],
        "--handoff-env: '1TOKEN' is not an environment variable name (letters, digits and _, not starting with a digit)",
      ],
      [
        ['--handoff', 'cat', '--handoff-env', 'A-B'],
        "--handoff-env: 'A-B' is not an environment variable name (letters, digits and _, not starting with a digit)",
      ],
      [['--handoff', 'cat', '--handoff-timeout', '0'], "--handoff-timeout: '0' is not a number of seconds between 0 and 86400"],
      [['--handoff', 'cat', '--handoff-timeout', 'soon'], "--handoff-timeout: 'soon' is not a number of seconds between 0 and 86400"],
      [['--format', 'yaml'], "--format: 'yaml' is not one of env, export"],
      [['--format', 'env', '--json'], '--format env and --json both choose the output; give one of them'],
    ])('%j', async (flags, message) => {
      const { env } = scratch();
      const old = seed(emu);
      const r = await runCli(['token', 'rotate', idOf(old), '--yes', ...flags], { env, now: NOW });
      const json = flags.includes('--json');
      expect({ code: r.code, stdout: r.stdout }).toEqual({ code: 2, stdout: '' });
      expect(r.stderr).toBe(json ? `${JSON.stringify({ error: { code: 'USAGE', message } })}\n` : `error: ${message}\n`);
      expect(emu.state.requests).toEqual([]);
    });
  });
});

describe('token rotate --format', () => {
  it('env prints NAME=<token> on stdout', async () => {
    const old = seed(emu);
    const r = await runCli(['token', 'rotate', idOf(old), '--yes', '--format', 'env'], { env: envFor(emu), now: NOW });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^ASTRA_DB_APPLICATION_TOKEN=AstraCS:[A-Za-z]{24}:[0-9a-f]{64}\n$/);
    expect(works(emu, r.stdout.trim().split('=')[1]!)).toBe(true);
  });

  it('export prints a line for eval', async () => {
    const old = seed(emu);
    const r = await runCli(['token', 'rotate', idOf(old), '--yes', '--format', 'export'], { env: envFor(emu), now: NOW });
    expect(r.stdout).toMatch(/^export ASTRA_DB_APPLICATION_TOKEN=AstraCS:[A-Za-z]{24}:[0-9a-f]{64}\n$/);
  });

  it('with --output-file the same line goes to the 0600 file and stdout gets the client id', async () => {
    const { dir } = scratch();
    const file = join(dir, '.env');
    const old = seed(emu);
    const r = await runCli(['token', 'rotate', idOf(old), '--yes', '--format', 'env', '--output-file', file], {
      env: envFor(emu),
      now: NOW,
    });
    expect(r.code).toBe(0);
    const line = read(file);
    expect(line).toMatch(/^ASTRA_DB_APPLICATION_TOKEN=AstraCS:[A-Za-z]{24}:[0-9a-f]{64}\n$/);
    expect(r.stdout).toBe(`${idOf(line.trim().split('=')[1]!)}\n`);
  });
});
