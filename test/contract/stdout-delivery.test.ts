// Stdout is delivery only when the write succeeded. Through the BUILT bin with real descriptors: `> /dev/null` and
// `>&-` are refused before anything is created (exit 2); a reader that went away (EPIPE) keeps the old token and
// exits 8 with the line that revokes the lost one. In-process: the same rule with a stdout whose write fails.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable, Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/main.js';
import {
  BIN,
  HAS_BUILD,
  NO_BUILD_REASON,
  childEnv,
  runBin,
  startEmulatorProcess,
  type BinResult,
  type EmulatorProcess,
} from '../helpers/bin.js';
import { tempConfigDir } from '../helpers/cli.js';
import { useEmulator } from '../helpers/emulator.js';
import { envFor } from '../helpers/fixtures/token.js';
import { NOW, idOf, saveProfile, seed, works } from '../helpers/fixtures/rotate.js';

/** Runs the bin through sh so that stdout is exactly what `redirect` makes it (`> /dev/null`, `>&-`). */
function runRedirected(args: string[], redirect: string, env: Record<string, string>): Promise<BinResult> {
  const quoted = [process.execPath, BIN, ...args].map((w) => `'${w.replace(/'/g, `'\\''`)}'`).join(' ');
  return runShell(`exec ${quoted} ${redirect}`, env);
}

function runShell(script: string, env: Record<string, string>): Promise<BinResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('/bin/sh', ['-c', script], { env: childEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/** The bin with a stdout whose reader is gone before it writes (the read end is closed at once): EPIPE. */
function runReaderGone(args: string[], env: Record<string, string>): Promise<BinResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: childEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout: '', stderr });
    });
  });
}

interface Listed {
  clientId: string;
  description: string;
}

async function withEmulator(fn: (emu: EmulatorProcess, admin: Record<string, string>, dir: string) => Promise<void>): Promise<void> {
  const emu = await startEmulatorProcess();
  const dir = mkdtempSync(join(tmpdir(), 'stdout-delivery-'));
  try {
    await fn(emu, { ASTRA_TOKEN_CONFIG_DIR: dir, ASTRA_DB_APPLICATION_TOKEN: emu.token, ASTRA_API_URL: emu.url }, dir);
  } finally {
    await emu.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function createToken(admin: Record<string, string>, description: string): Promise<{ clientId: string; token: string }> {
  const r = await runBin(['token', 'create', '--role', 'RO User', '--description', description, '--json'], { env: admin });
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as { clientId: string; token: string };
}

async function tokensDescribed(admin: Record<string, string>, description: string): Promise<string[]> {
  const r = await runBin(['token', 'list', '--json'], { env: admin });
  return (JSON.parse(r.stdout) as Listed[]).filter((t) => t.description === description).map((t) => t.clientId);
}

describe.skipIf(!HAS_BUILD)(`stdout that nobody reads, through the built bin${HAS_BUILD ? '' : ` (${NO_BUILD_REASON})`}`, () => {
  it.each(['> /dev/null', '>&-'])(
    'token rotate %s: refused before anything is created, exit 2, the old token untouched',
    async (redirect) => {
      await withEmulator(async (_emu, admin) => {
        const old = await createToken(admin, 'svc');
        const r = await runRedirected(['token', 'rotate', old.clientId, '--yes'], redirect, admin);
        expect(r.code).toBe(2);
        expect(r.stderr).toBe(
          'error: the new token would go to standard output, which is /dev/null or closed: nobody could read it back; nothing was created; give --output-file <path> or --handoff <command>, or send standard output to a file or a pipe\n',
        );
        expect(await tokensDescribed(admin, 'svc')).toEqual([old.clientId]);
      });
    },
  );

  it('token create > /dev/null: refused the same way', async () => {
    await withEmulator(async (_emu, admin) => {
      const r = await runRedirected(['token', 'create', '--role', 'RO User', '--description', 'lost'], '> /dev/null', admin);
      expect(r.code).toBe(2);
      expect(await tokensDescribed(admin, 'lost')).toEqual([]);
    });
  });

  it('token rotate > /dev/null with --output-file is fine: the file is the delivery', async () => {
    await withEmulator(async (_emu, admin, dir) => {
      const old = await createToken(admin, 'svc');
      const file = join(dir, 'new-token');
      const r = await runRedirected(['token', 'rotate', old.clientId, '--yes', '--output-file', file], '> /dev/null', admin);
      expect(r.code).toBe(0);
      expect(await tokensDescribed(admin, 'svc')).toEqual([readFileSync(file, 'utf8').split(':')[1]]);
    });
  });

  it('token rotate | (reader gone): the old token is kept, the lost new one revoked by the tool, exit 8', async () => {
    await withEmulator(async (_emu, admin) => {
      const old = await createToken(admin, 'svc');
      const r = await runReaderGone(['token', 'rotate', old.clientId, '--yes'], admin);
      expect(r.code).toBe(8);
      expect(r.stderr).toMatch(
        new RegExp(
          `^error: token \\w{24} was created, but standard output is gone \\(EPIPE\\): whatever read it went away before the token was written, so it reached no one; it was revoked; the old token ${old.clientId} was kept and still works; then run the rotation again\n$`,
        ),
      );
      // The old token still works, and it is the only one left.
      const check = await runBin(['org', 'current'], { env: { ...admin, ASTRA_DB_APPLICATION_TOKEN: old.token } });
      expect(check.code).toBe(0);
      expect(await tokensDescribed(admin, 'svc')).toEqual([old.clientId]);
    });
  });

  it('token rotate --json | (reader gone): the same, exit 8', async () => {
    await withEmulator(async (_emu, admin) => {
      const old = await createToken(admin, 'svc');
      const r = await runReaderGone(['token', 'rotate', old.clientId, '--yes', '--json'], admin);
      expect(r.code).toBe(8);
      expect(JSON.parse(r.stderr)).toMatchObject({ error: { code: 'PARTIAL' } });
      expect((await tokensDescribed(admin, 'svc')).includes(old.clientId)).toBe(true);
    });
  });

  it('token create | (reader gone): the token nobody has is revoked, exit 8 saying so', async () => {
    await withEmulator(async (_emu, admin) => {
      const r = await runReaderGone(['token', 'create', '--role', 'RO User', '--description', 'lost'], admin);
      expect(r.code).toBe(8);
      expect(r.stderr).toMatch(
        /^error: token \w{24} was created, but standard output is gone \(EPIPE\).*so it reached no one; it was revoked; then run the same command again\n$/,
      );
      expect(await tokensDescribed(admin, 'lost')).toEqual([]);
    });
  });

  it('token rotate --output-file | (reader gone): the file holds it, so the rotation completes', async () => {
    await withEmulator(async (_emu, admin, dir) => {
      const old = await createToken(admin, 'svc');
      const file = join(dir, 'new-token');
      const r = await runReaderGone(['token', 'rotate', old.clientId, '--yes', '--output-file', file], admin);
      expect(r.code).toBe(0);
      expect(await tokensDescribed(admin, 'svc')).toEqual([readFileSync(file, 'utf8').split(':')[1]]);
    });
  });
});

// ---- in-process: a stdout whose write fails ----------------------------------------------------------------------

const emu = useEmulator({ state: { now: () => NOW } });

function brokenStdout(): Writable {
  return new Writable({
    write(_chunk, _enc, cb) {
      cb(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
    },
  });
}

async function runBroken(argv: string[], env: Record<string, string>, opts: { stdoutIsNull?: boolean } = {}) {
  const err = new PassThrough();
  let stderr = '';
  err.on('data', (c: Buffer) => (stderr += c.toString()));
  const out = opts.stdoutIsNull ? new PassThrough() : brokenStdout();
  out.on('error', () => undefined);
  const code = await main(argv, {
    streams: {
      out,
      err,
      in: Readable.from([]),
      stdoutIsTTY: false,
      stderrIsTTY: false,
      stdinIsTTY: false,
      stdoutIsNull: opts.stdoutIsNull,
    },
    env: { ASTRA_TOKEN_CONFIG_DIR: tempConfigDir(), ...env },
    now: () => NOW,
    fetch: (url, init) => globalThis.fetch(url, init),
    sleep: () => Promise.resolve(),
  });
  return { code, stderr };
}

describe('in-process: stdout that fails or goes nowhere', () => {
  it('rotate with a broken stdout and no other destination: old kept, the new one revoked, exit 8', async () => {
    const old = seed(emu);
    const r = await runBroken(['token', 'rotate', idOf(old), '--yes'], envFor(emu));
    expect(r.code).toBe(8);
    expect(works(emu, old)).toBe(true);
    expect(r.stderr).toMatch(
      /so it reached no one; it was revoked; the old token \w{24} was kept and still works; then run the rotation again\n$/,
    );
    const fresh = /token (\w{24}) was created/.exec(r.stderr)![1]!;
    expect(emu.state.findToken(fresh)).toBeUndefined();
  });

  it('rotate with a broken stdout but a saved profile holding the old token: the profile is the delivery, the rotation completes', async () => {
    const dir = tempConfigDir();
    const old = seed(emu);
    saveProfile(dir, emu, 'prod', old);
    const r = await runBroken(['token', 'rotate', idOf(old), '--yes'], { ASTRA_TOKEN_CONFIG_DIR: dir });
    expect(r.stderr).toContain('warning: standard output is gone (EPIPE)');
    expect(r.code).toBe(0);
    expect(works(emu, old)).toBe(false);
  });

  it('rotate to the null device with a saved profile holding the old token is allowed (the profile receives it)', async () => {
    const dir = tempConfigDir();
    const old = seed(emu);
    saveProfile(dir, emu, 'prod', old);
    const r = await runBroken(['token', 'rotate', idOf(old), '--yes'], { ASTRA_TOKEN_CONFIG_DIR: dir }, { stdoutIsNull: true });
    expect(r.code).toBe(0);
  });

  it('rotate to the null device otherwise: exit 2 before any request', async () => {
    const old = seed(emu);
    const r = await runBroken(['token', 'rotate', idOf(old), '--yes'], envFor(emu), { stdoutIsNull: true });
    expect(r.code).toBe(2);
    expect(emu.state.requests).toEqual([]);
  });
});
