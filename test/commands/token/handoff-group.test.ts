// --handoff-timeout and Ctrl-C end the hand-over's whole process group, including a child that outlives the shell
// and keeps its stdio open (`sleep 20 & cat >/dev/null`); an interrupted rotation prints its `finish with:` line.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../../../src/main.js';
import { killEscapedAfterEach } from '../../helpers/bin.js';
import { runCli, tempConfigDir } from '../../helpers/cli.js';
import { useEmulator } from '../../helpers/emulator.js';
import { envFor } from '../../helpers/fixtures/token.js';
import { NOW, idOf, seed, works } from '../../helpers/fixtures/rotate.js';

const emu = useEmulator({ state: { now: () => NOW } });
// The background child writes its pid, then outlives the shell holding stdout and stderr.
const LINGERING = 'sleep 20 & echo $! > "$PIDFILE"; cat >/dev/null';

const made: string[] = [];
afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function scratch(): Record<string, string> {
  const dir = mkdtempSync(join(tmpdir(), 'handoff-group-'));
  made.push(dir);
  return { ...envFor(emu), PATH: process.env.PATH ?? '/usr/bin:/bin', PIDFILE: join(dir, 'pid') };
}

/** Is the process gone (or a zombie nobody reaped yet)? */
function goneNow(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.startsWith('Z');
  } catch {
    return true;
  }
}

/** Gone, allowing a loaded machine a moment to deliver the signal already sent (not a timing assert: 20 s is the bug). */
async function gone(pid: number): Promise<boolean> {
  for (let i = 0; i < 50 && !goneNow(pid); i++) await new Promise((resolve) => setTimeout(resolve, 100));
  return goneNow(pid);
}

describe('--handoff-timeout with a child that keeps the stdio open', () => {
  it('token create: stopped at the timeout, not 20 s later; the child is gone; exit 8', async () => {
    const env = scratch();
    const started = Date.now();
    const r = await runCli(['token', 'create', '--role', 'RO User', '--handoff', LINGERING, '--handoff-timeout', '2'], { env, now: NOW });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(r.code).toBe(8);
    expect(r.stderr).toContain('the hand-over command did not finish within 2s and was stopped');
    const pid = Number(readFileSync(env.PIDFILE!, 'utf8'));
    expect(await gone(pid)).toBe(true);
  });

  it('token rotate: the old token is kept and the finish line printed', async () => {
    const env = scratch();
    const old = seed(emu);
    const r = await runCli(['token', 'rotate', idOf(old), '--yes', '--handoff', LINGERING, '--handoff-timeout', '2'], { env, now: NOW });
    expect(r.code).toBe(8);
    expect(r.stderr).toMatch(/finish with: .*sh -c .*astra-token token delete/);
    expect(works(emu, old)).toBe(true);
    expect(await gone(Number(readFileSync(env.PIDFILE!, 'utf8')))).toBe(true);
  });
});

describe('--handoff-timeout with a child that left the group (setsid) and keeps the pipes', () => {
  // The escaped child writes its pid (it is killed after the test: no kill of ours reaches it), then holds the pipes.
  const ESCAPED = `(setsid sh -c 'echo $$ > "$PIDFILE"; exec sleep 20' &) ; cat >/dev/null`;
  const escaped = killEscapedAfterEach();

  it('token create: the wait ends at the timeout, not when the escaped child lets go; exit 8', async () => {
    const env = scratch();
    const started = Date.now();
    const r = await runCli(['token', 'create', '--role', 'RO User', '--handoff', ESCAPED, '--handoff-timeout', '2'], { env, now: NOW });
    escaped.push(Number(readFileSync(env.PIDFILE!, 'utf8')));
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(r.code).toBe(8);
    expect(r.stdout).toMatch(/^AstraCS:/);
    expect(r.stderr).toContain('the hand-over command did not finish within 2s and was stopped');
  });
});

describe('Ctrl-C during the hand-over', () => {
  it('token rotate: stops the whole group at once, keeps the old token, prints the finish line, exit 130', async () => {
    const env: Record<string, string> = { ...scratch(), ASTRA_TOKEN_CONFIG_DIR: tempConfigDir() };
    const old = seed(emu);
    const out = new PassThrough();
    const err = new PassThrough();
    const controller = new AbortController();
    let stderr = '';
    let stdout = '';
    out.on('data', (c: Buffer) => (stdout += c.toString()));
    err.on('data', (c: Buffer) => {
      stderr += c.toString();
      // Once the shell has started its lingering child.
      if (stderr.includes('handing the new token over')) setTimeout(() => controller.abort(), 300);
    });
    const started = Date.now();
    const code = await main(['token', 'rotate', idOf(old), '--yes', '--handoff', LINGERING], {
      streams: { out, err, in: Readable.from([]), stdoutIsTTY: false, stderrIsTTY: false, stdinIsTTY: false },
      env,
      now: () => NOW,
      fetch: (url, init) => globalThis.fetch(url, init),
      sleep: () => Promise.resolve(),
      signal: controller.signal,
    });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(code).toBe(130);
    expect(stdout).toMatch(/^AstraCS:/);
    expect(stderr).toMatch(
      /error: interrupted: the hand-over of token \w+ was stopped; the old token \w+ was kept; finish with: .*astra-token token delete/,
    );
    expect(works(emu, old)).toBe(true);
    expect(await gone(Number(readFileSync(env.PIDFILE!, 'utf8')))).toBe(true);
  });
});
