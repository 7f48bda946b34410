// Ctrl-C. The first one aborts the invocation's signal: whatever the command waits for (a request, stdin, a
// prompt) stops, the command exits 130 with one line on stderr, and nothing is half-written. The built bin is sent a
// real SIGINT; in-process runs abort the signal main() was given.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync, mkdirSync, chmodSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { PassThrough, type Readable } from 'node:stream';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../src/main.js';
import { BIN, HAS_BUILD, NO_BUILD_REASON, childEnv } from '../helpers/bin.js';
import { tempConfigDir } from '../helpers/cli.js';
import { startRawTokenApi } from '../helpers/raw-token-api.js';
import { like } from '../helpers/typed.js';

const TOKEN = `AstraCS:${'Q'.repeat(24)}:${'ab'.repeat(32)}`;
const OTHER = `AstraCS:${'R'.repeat(24)}:${'cd'.repeat(32)}`;

/** A config dir with one saved profile, written byte for byte so that "unchanged" can be checked exactly. */
function savedConfig(apiUrl: string): { dir: string; path: string; bytes: string } {
  const dir = tempConfigDir();
  mkdirSync(dir, { recursive: true });
  chmodSync(dir, 0o700);
  const path = join(dir, 'config.json');
  const bytes = JSON.stringify(
    { version: 1, current: 'prod', profiles: [{ name: 'prod', token: TOKEN, apiUrl, updatedAt: '2026-01-01T00:00:00.000Z' }] },
    null,
    2,
  );
  writeFileSync(path, bytes, { mode: 0o600 });
  return { dir, path, bytes };
}

// ---- in-process --------------------------------------------------------------------------------------------------

/** main() with a stdin that stays open (a person who has not typed yet), aborted once `abortWhen` says so. */
async function runInterrupted(argv: string[], opts: { env: Record<string, string>; tty: boolean; abortWhen: (stderr: string) => boolean }) {
  const out = new PassThrough();
  const err = new PassThrough();
  const input = new PassThrough();
  const controller = new AbortController();
  let stdout = '';
  let stderr = '';
  out.on('data', (c: Buffer) => (stdout += c.toString()));
  err.on('data', (c: Buffer) => {
    stderr += c.toString();
    if (!controller.signal.aborted && opts.abortWhen(stderr)) controller.abort();
  });
  if (opts.abortWhen('')) setImmediate(() => controller.abort());
  const code = await main(argv, {
    streams: { out, err, in: input, stdoutIsTTY: opts.tty, stderrIsTTY: opts.tty, stdinIsTTY: opts.tty, columns: 100 },
    env: opts.env,
    signal: controller.signal,
    sleep: () => Promise.resolve(),
  });
  return { code, stdout, stderr };
}

describe('Ctrl-C in-process', () => {
  it('at a confirmation prompt: exit 130 (not 2), one line, the profile is still there', async () => {
    const cfg = savedConfig('https://api.astra.datastax.com');
    const r = await runInterrupted(['org', 'remove', 'prod'], {
      env: { ASTRA_TOKEN_CONFIG_DIR: cfg.dir },
      tty: true,
      abortWhen: (s) => s.includes('[y/N/revoke]'),
    });
    expect(r.code).toBe(130);
    expect(r.stdout).toBe('');
    // eslint-disable-next-line no-control-regex -- ANSI escape sequences start with the control character ESC
    const lines = r.stderr.replace(/\u001b\[[0-9;]*[A-Za-z]/g, '').split('\n');
    expect(lines.at(-2)).toBe('error: interrupted at the prompt; nothing was changed');
    expect(lines.at(-1)).toBe('');
    expect(readFileSync(cfg.path, 'utf8')).toBe(cfg.bytes);
  });

  it('while `org add --with-token` waits for stdin: exit 130, config untouched; --json gives one JSON line', async () => {
    const cfg = savedConfig('https://api.astra.datastax.com');
    for (const json of [false, true]) {
      const r = await runInterrupted(['org', 'add', 'ci', '--with-token', ...(json ? ['--json'] : [])], {
        env: { ASTRA_TOKEN_CONFIG_DIR: cfg.dir },
        tty: false,
        abortWhen: () => true,
      });
      expect(r.code).toBe(130);
      expect(r.stdout).toBe('');
      expect(r.stderr).toBe(
        json
          ? '{"error":{"code":"INTERRUPTED","message":"interrupted while reading standard input; nothing was changed"}}\n'
          : 'error: interrupted while reading standard input; nothing was changed\n',
      );
      expect(readFileSync(cfg.path, 'utf8')).toBe(cfg.bytes);
    }
  });

  it('while a hidden token prompt waits: exit 130', async () => {
    const cfg = savedConfig('https://api.astra.datastax.com');
    const r = await runInterrupted(['org', 'add', 'ci'], {
      env: { ASTRA_TOKEN_CONFIG_DIR: cfg.dir },
      tty: true,
      abortWhen: (s) => /token/i.test(s),
    });
    expect(r.code).toBe(130);
    expect(r.stdout).toBe('');
    // eslint-disable-next-line no-control-regex -- ANSI escape sequences start with the control character ESC
    expect(r.stderr.replace(/\u001b\[[0-9;]*[A-Za-z]/g, '')).toMatch(/\nerror: interrupted at the prompt; nothing was changed\n$/);
    expect(readFileSync(cfg.path, 'utf8')).toBe(cfg.bytes);
  });
});

// ---- the built bin, a real SIGINT ---------------------------------------------------------------------------------

// Loaded into the child with --import: tells the test on fd 3 when the CLI has installed its SIGINT handler, so that
// the signal is never sent before (when it would simply kill the process).
const PRELOAD = join(tempConfigDir(), 'sigint-ready.mjs');
writeFileSync(
  PRELOAD,
  `import { writeSync } from 'node:fs';
const on = process.on.bind(process);
process.on = (event, listener) => {
  const result = on(event, listener);
  if (event === 'SIGINT') writeSync(3, 'ready\\n');
  return result;
};
`,
);

async function until(what: string, check: () => boolean): Promise<void> {
  for (let i = 0; i < 1000; i++) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`gave up waiting for ${what}`);
}

interface Child {
  child: ChildProcess;
  /** Resolves once the CLI catches SIGINT. */
  ready: Promise<void>;
  done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
}

/** The bin with stdin left open (nothing is ever typed). */
function spawnBin(args: string[], env: Record<string, string>): Child {
  const child = spawn(process.execPath, ['--import', PRELOAD, BIN, ...args], {
    env: childEnv(env),
    stdio: ['pipe', 'pipe', 'pipe', 'pipe'],
  });
  const ready = new Promise<void>((resolve) => (child.stdio[3] as Readable).once('data', () => resolve()));
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((resolve) =>
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    }),
  );
  return { child, ready, done };
}

describe.skipIf(!process.platform.startsWith('linux') || !HAS_BUILD)(
  `SIGINT to the built bin${HAS_BUILD ? '' : ` (${NO_BUILD_REASON})`}${process.platform.startsWith('linux') ? '' : ' (Linux only: it reads /proc)'}`,
  () => {
    // An API that takes every request and never answers: the command is caught mid-request.
    let server: Server;
    let url = '';
    let received: string[] = [];
    beforeAll(async () => {
      server = createServer((req) => void received.push(`${req.method} ${req.url}`));
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    beforeEach(() => {
      received = [];
    });
    afterAll(async () => {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    });

    it('during `org add --with-token` while stdin stays open: exit 130, one line, config byte-identical', async () => {
      const cfg = savedConfig(url);
      const { child, ready, done } = spawnBin(['org', 'add', 'ci', '--with-token'], {
        ASTRA_TOKEN_CONFIG_DIR: cfg.dir,
        ASTRA_API_URL: url,
      });
      await ready;
      child.kill('SIGINT');
      expect(await done).toEqual({
        code: 130,
        signal: null,
        stdout: '',
        stderr: 'error: interrupted while reading standard input; nothing was changed\n',
      });
      expect(readFileSync(cfg.path, 'utf8')).toBe(cfg.bytes);
      expect(received).toEqual([]);
    });

    it('during `org add` validating the token: exit 130, nothing saved', async () => {
      const cfg = savedConfig(url);
      const { child, done } = spawnBin(['org', 'add', 'ci', '--with-token', '--api-url', url], { ASTRA_TOKEN_CONFIG_DIR: cfg.dir });
      child.stdin!.end(`${OTHER}\n`);
      await until('the validation request', () => received.length > 0);
      child.kill('SIGINT');
      const r = await done;
      expect(r).toEqual({ code: 130, signal: null, stdout: '', stderr: 'error: interrupted during GET /v2/currentOrg\n' });
      expect(readFileSync(cfg.path, 'utf8')).toBe(cfg.bytes);
    });

    it('during a request of `token list --json` (profile credential): one JSON line, exit 130', async () => {
      const cfg = savedConfig(url);
      const { child, done } = spawnBin(['token', 'list', '--json'], { ASTRA_TOKEN_CONFIG_DIR: cfg.dir });
      await until('the requests', () => received.length > 0);
      child.kill('SIGINT');
      const r = await done;
      expect(r.code).toBe(130);
      expect(r.stdout).toBe('');
      expect(JSON.parse(r.stderr)).toMatchObject({
        error: { code: 'INTERRUPTED', message: like.stringMatching(/^interrupted during GET \//) },
      });
      expect(r.stderr.split('\n')).toHaveLength(2);
      expect(readFileSync(cfg.path, 'utf8')).toBe(cfg.bytes);
    });

    it('a POST cut short says a token may exist unseen and how to find it', async () => {
      const cfg = savedConfig(url);
      const roles = createServer((req, res) => {
        received.push(`${req.method} ${req.url}`);
        if (req.method === 'GET') {
          res.writeHead(200, { 'Content-Type': 'application/json' }).end(
            JSON.stringify([
              {
                id: '4d0b2ea4-7a9c-4a7e-a1f4-1f0a5f7f2d31',
                name: 'RO User',
                policy: { description: '', resources: [], actions: ['org-read'], effect: 'allow' },
              },
            ]),
          );
        }
      });
      await new Promise<void>((r) => roles.listen(0, '127.0.0.1', r));
      const rolesUrl = `http://127.0.0.1:${(roles.address() as AddressInfo).port}`;
      try {
        const { child, done } = spawnBin(['token', 'create', '--role', 'RO User', '--api-url', rolesUrl], {
          ASTRA_TOKEN_CONFIG_DIR: cfg.dir,
        });
        await until('the POST', () => received.some((q) => q.startsWith('POST ')));
        child.kill('SIGINT');
        const r = await done;
        expect(r).toEqual({
          code: 130,
          signal: null,
          stdout: '',
          stderr:
            "error: interrupted during POST /v2/tokens; a new token may have been created without reaching you: if 'astra-token token list' shows one you never received, revoke it; run the same command again\n",
        });
      } finally {
        roles.closeAllConnections();
        await new Promise((r) => roles.close(r));
      }
    });
  },
);

describe.skipIf(!HAS_BUILD)(`the first Ctrl-C lets in-flight work finish${HAS_BUILD ? '' : ` (${NO_BUILD_REASON})`}`, () => {
  // Loading the profile store loads conf, whose atomic writer hooks every signal and re-sends the first Ctrl-C
  // (when-exit): the CLI must not take that echo for a second Ctrl-C and exit before the in-flight revokes answer.
  it('token prune with a profile credential: the revoke on the wire completes and is reported', async () => {
    const ids = ['AaaaaaaaaaaaaaaaaaaaaaaA', 'BbbbbbbbbbbbbbbbbbbbbbbB', 'CcccccccccccccccccccccccC'];
    const held: (() => void)[] = [];
    const api = await startRawTokenApi(ids, (res) => void held.push(() => res.writeHead(204).end()));
    const { url: apiUrl, seen } = api;
    try {
      const cfg = savedConfig(apiUrl);
      const { child, ready, done } = spawnBin(['token', 'prune', '--expired', '--yes', '--concurrency', '1', '--json'], {
        ASTRA_TOKEN_CONFIG_DIR: cfg.dir,
      });
      await ready;
      await until('the first revoke', () => held.length === 1);
      child.kill('SIGINT');
      // Room for an echoed signal to arrive (and, were it taken for a second Ctrl-C, to end the process).
      await new Promise((r) => setTimeout(r, 300));
      held.shift()!();
      const r = await done;
      expect(r.signal).toBeNull();
      expect(r.code).toBe(130);
      const report = JSON.parse(r.stdout) as { clientId: string; deleted: boolean }[];
      expect(report.map((x) => [x.clientId, x.deleted])).toEqual([
        [ids[0], true],
        [ids[1], false],
        [ids[2], false],
      ]);
      expect(JSON.parse(r.stderr)).toMatchObject({ error: { code: 'INTERRUPTED' } });
      expect(seen.filter((q) => q.startsWith('DELETE'))).toEqual([`DELETE /v2/tokens/${ids[0]}`]);
    } finally {
      await api.close();
    }
  });
});
