// Journeys: `token exec` finishes its job whatever happens to its own output or signals, through the built bin against
// the loopback emulator on every API shape. Each asserts the server's state afterwards: the run's token is gone.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, BIN_SH, HAS_BUILD, NO_BUILD_REASON, childEnv, runShell } from '../helpers/bin.js';
import { withEmulatorServer, type LoopbackEmulator } from '../helpers/emulator.js';
import { leftovers, recordRevoked } from '../helpers/fixtures/exec.js';
import { tempDir } from '../helpers/temp.js';

const SHAPES = ['docs', 'spec', 'mixed'] as const;

const envFor = (emu: LoopbackEmulator) => ({ ASTRA_DB_APPLICATION_TOKEN: emu.adminToken, ASTRA_API_URL: emu.url });

/** Waits (bounded) until `ready()` holds; the bound is a hang guard, not a timing assert. */
async function until(ready: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (ready()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`gave up waiting for ${what}`);
}

/** Starts the bin with piped stdio; `stderrReader: false` closes our end of its stderr at once (a reader gone). */
function startBin(args: string[], env: Record<string, string>) {
  const child = spawn(process.execPath, [BIN, ...args], { env: childEnv(env), stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  child.stdin.end();
  const ended = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return {
    child,
    ended,
    get stdout() {
      return stdout;
    },
    get stderr() {
      return stderr;
    },
  };
}

describe.skipIf(!HAS_BUILD)(`token exec journeys${HAS_BUILD ? '' : ` (${NO_BUILD_REASON})`}`, () => {
  describe.each(SHAPES)('API shape %s', (apiShape) => {
    it('2>&1 | true: the reader of our output is gone, yet the command runs to its end and its token is revoked', async () => {
      await withEmulatorServer(
        async (emu) => {
          const dir = tempDir();
          const revoked = recordRevoked(emu.state);
          const mark = join(dir, 'done');
          const code = join(dir, 'code');
          const r = await runShell(
            `{ ${BIN_SH} token exec --role 'RO User' -- sh -c 'sleep 0.5; echo finished > "$MARK"'; echo $? > "$CODE"; } 2>&1 | true`,
            { env: { ...envFor(emu), MARK: mark, CODE: code } },
          );
          expect(r.code).toBe(0);
          expect(readFileSync(mark, 'utf8')).toBe('finished\n');
          expect(readFileSync(code, 'utf8')).toBe('0\n');
          expect(revoked).toHaveLength(1);
          expect(leftovers(emu.state)).toEqual([]);
        },
        { apiShape },
      );
    });

    it("2>/dev/full: no line can be written, yet the exit code is the command's and the token is revoked", async () => {
      await withEmulatorServer(
        async (emu) => {
          const revoked = recordRevoked(emu.state);
          const r = await runShell(`${BIN_SH} token exec --role 'RO User' -- sh -c 'exit 3' 2>/dev/full`, { env: envFor(emu) });
          expect(r.code).toBe(3);
          expect(revoked).toHaveLength(1);
          expect(leftovers(emu.state)).toEqual([]);
        },
        { apiShape },
      );
    });

    it('SIGQUIT is forwarded to the command like SIGTERM; the token is revoked after it ends', async () => {
      await withEmulatorServer(
        async (emu) => {
          const revoked = recordRevoked(emu.state);
          const run = startBin(
            ['token', 'exec', '--role', 'RO User', '--', 'sh', '-c', 'trap "exit 3" QUIT; echo ready; while :; do sleep 0.1; done'],
            envFor(emu),
          );
          await until(() => run.stdout.includes('ready'), 'the command to start');
          run.child.kill('SIGQUIT');
          expect(await run.ended).toBe(3);
          expect(revoked).toHaveLength(1);
          expect(leftovers(emu.state)).toEqual([]);
        },
        { apiShape },
      );
    });

    it('SIGHUP with our stderr gone, during a revoke the API makes us retry: the revoke still completes', async () => {
      await withEmulatorServer(
        async (emu) => {
          const revoked = recordRevoked(emu.state);
          emu.state.injectFault({ method: 'DELETE', path: '/v2/tokens/*', status: 503, times: 2, retryAfter: 1 });
          const run = startBin(['token', 'exec', '--role', 'RO User', '--', 'sh', '-c', 'echo ended'], envFor(emu));
          await until(() => emu.state.requests.some((q) => q.method === 'DELETE'), 'the first revoke attempt');
          run.child.stderr.destroy();
          run.child.kill('SIGHUP');
          expect(await run.ended).toBe(0);
          expect(revoked).toHaveLength(1);
          const deletes = emu.state.requests.filter((q) => q.method === 'DELETE').map((q) => q.status);
          expect(deletes.slice(0, 2)).toEqual([503, 503]);
          expect(deletes.at(-1)).toBeLessThan(300);
          expect(leftovers(emu.state)).toEqual([]);
        },
        { apiShape },
      );
    });

    it('a create answer lost on the way back: the token is found by its description and revoked; exit 7, nothing run', async () => {
      await withEmulatorServer(
        async (emu) => {
          const dir = tempDir();
          const revoked = recordRevoked(emu.state);
          emu.state.injectFault({ method: 'POST', path: '/v2/tokens', status: 0, afterEffect: true });
          const mark = join(dir, 'ran');
          const r = await runShell(`${BIN_SH} token exec --role 'RO User' -- sh -c 'touch "$MARK"'`, {
            env: { ...envFor(emu), MARK: mark },
          });
          expect(r.code).toBe(7);
          expect(r.stderr).toMatch(
            /the answer to the token create was lost .*; token [A-Za-z]{24}, made by this run, was found and revoked/,
          );
          expect(existsSync(mark)).toBe(false);
          expect(revoked).toHaveLength(1);
          expect(revoked[0]!.description).toMatch(/^astra-token exec: sh \(.+, run [0-9a-f]{8}\)$/);
          expect(leftovers(emu.state)).toEqual([]);
        },
        { apiShape },
      );
    });

    it('SIGTERM while the create is in flight: the create is stopped, the token it made is found and revoked; exit 130', async () => {
      await withEmulatorServer(
        async (emu) => {
          const revoked = recordRevoked(emu.state);
          // The token is made at once, its answer comes only after the interrupted request's grace.
          emu.state.injectFault({ method: 'POST', path: '/v2/tokens', status: 201, afterEffect: true, delayMs: 10_000 });
          const run = startBin(['token', 'exec', '--role', 'RO User', '--', 'sh', '-c', 'echo ran'], envFor(emu));
          await until(() => leftovers(emu.state).length === 1, 'the token to be made');
          run.child.kill('SIGTERM');
          expect(await run.ended).toBe(130);
          expect(run.stdout).toBe('');
          expect(run.stderr).toMatch(
            /interrupted while the token was being created; the command was not run; token [A-Za-z]{24}, made by this run, was found and revoked/,
          );
          expect(revoked).toHaveLength(1);
          expect(leftovers(emu.state)).toEqual([]);
        },
        { apiShape },
      );
    });
  });
});
