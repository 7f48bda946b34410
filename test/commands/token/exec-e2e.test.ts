// `token exec` through the built bin against the loopback emulator: the real process edge (signals, inherited
// stdio, exit codes), and a command that is itself `astra-token`, talking to the same API with the token it was given.
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, HAS_BUILD, NO_BUILD_REASON, childEnv, runBin, type BinResult } from '../../helpers/bin.js';
import { withEmulatorServer } from '../../helpers/emulator.js';
import { leftovers, recordRevoked } from '../../helpers/fixtures/exec.js';

const TOKEN = /^AstraCS:[A-Za-z]{24}:[0-9a-f]{64}$/;

describe.skipIf(!HAS_BUILD)(`token exec through the built bin${HAS_BUILD ? '' : ` (${NO_BUILD_REASON})`}`, () => {
  // A directory holding an `astra-token` on PATH, as an installed copy would be.
  let binDir: string;
  beforeAll(() => {
    binDir = mkdtempSync(join(tmpdir(), 'astra-token-exec-'));
    const shim = join(binDir, 'astra-token');
    writeFileSync(shim, `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} "$@"\n`);
    chmodSync(shim, 0o755);
  });
  afterAll(() => rmSync(binDir, { recursive: true, force: true }));

  const envFor = (url: string, adminToken: string) => ({
    ASTRA_DB_APPLICATION_TOKEN: adminToken,
    ASTRA_API_URL: url,
    PATH: `${binDir}${delimiter}${process.env.PATH ?? '/usr/bin:/bin'}`,
  });

  it('the command gets a working token with exactly the roles asked for; afterwards token list no longer shows it', async () => {
    await withEmulatorServer(async ({ url, adminToken, state }) => {
      const env = envFor(url, adminToken);
      const revoked = recordRevoked(state);
      const r = await runBin(
        [
          'token',
          'exec',
          '--role',
          'RO User',
          '--ttl',
          '15m',
          '--',
          'sh',
          '-c',
          'astra-token token inspect --check && astra-token org current --json',
        ],
        { env },
      );
      expect(r.stderr).toMatch(/^created token ([A-Za-z]{24}) \(roles: RO User; expires \S+Z\); running sh\n/);
      expect(r.code).toBe(0);
      const clientId = /created token ([A-Za-z]{24})/.exec(r.stderr)![1]!;
      expect(r.stdout).toMatch(new RegExp(`Client ID\\s+${clientId}\\n`));
      expect(r.stdout).toMatch(/Live\s+yes\n/);
      const current = JSON.parse(r.stdout.slice(r.stdout.indexOf('{'))) as { source: string; apiUrl: string; orgId: string };
      expect(current).toMatchObject({ apiUrl: url, orgId: state.defaultOrg.id });
      expect(current.source).toMatch(/ASTRA_DB_APPLICATION_TOKEN|env/);
      expect(r.stderr).toContain(`revoked token ${clientId}\n`);

      expect(revoked).toHaveLength(1);
      expect(revoked[0]).toMatchObject({ clientId, roles: [state.defaultOrg.roles.find((x) => x.name === 'RO User')!.id] });
      const ttl = revoked[0]!.expiresAt!.getTime() - revoked[0]!.generatedOn.getTime();
      expect(Math.round(ttl / 60_000)).toBe(15);

      const list = await runBin(['token', 'list', '--json'], { env });
      expect(list.code).toBe(0);
      expect((JSON.parse(list.stdout) as Array<{ clientId: string }>).map((t) => t.clientId)).not.toContain(clientId);
    });
  });

  it("the token is in no process's argv (/proc/<pid>/cmdline of the command and of astra-token), and stdin reaches the command", async () => {
    await withEmulatorServer(async ({ url, adminToken }) => {
      const script = [
        'printf "%s\\n" "$ASTRA_DB_APPLICATION_TOKEN"',
        'tr "\\000" " " < /proc/$$/cmdline; echo',
        'tr "\\000" " " < /proc/$PPID/cmdline; echo',
        'cat',
      ].join('; ');
      const r = await runBin(['token', 'exec', '--role', 'RO User', '--', 'sh', '-c', script], {
        env: envFor(url, adminToken),
        input: 'line one\nline two\n',
      });
      expect(r.code).toBe(0);
      const [token, own, parent, ...rest] = r.stdout.split('\n');
      expect(token).toMatch(TOKEN);
      expect(own).toContain('sh -c printf');
      expect(parent).toContain('token exec --role RO User -- sh -c');
      expect(own).not.toContain(token);
      expect(parent).not.toContain(token);
      expect(rest.join('\n')).toBe('line one\nline two\n');
      expect(r.stderr).not.toContain(token);
    });
  });

  it('exit codes pass through (3, and 128 + signal when a signal ended the command); the token is revoked each time', async () => {
    await withEmulatorServer(async ({ url, adminToken, state }) => {
      const env = envFor(url, adminToken);
      const three = await runBin(['token', 'exec', '--role', 'RO User', '--', 'sh', '-c', 'exit 3'], { env });
      expect(three.code).toBe(3);
      const killed = await runBin(['token', 'exec', '--role', 'RO User', '--', 'sh', '-c', 'kill -TERM $$'], { env });
      expect(killed.code).toBe(143);
      expect(killed.stderr).toContain('revoked token');
      const missing = await runBin(['token', 'exec', '--role', 'RO User', '--', 'no-such-command-here'], { env });
      expect(missing.code).toBe(127);
      expect(leftovers(state)).toEqual([]);
    });
  });

  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const)('%s sent to astra-token reaches the command (stdin is no terminal); it ends, the token is revoked', async (signal, code) => {
    await withEmulatorServer(async ({ url, adminToken, state }) => {
      const r = await runAndSignal(
        ['token', 'exec', '--role', 'RO User', '--', 'sh', '-c', 'echo ready; exec sleep 30'],
        envFor(url, adminToken),
        signal,
      );
      expect(r.stdout).toBe('ready\n');
      expect(r.code).toBe(code);
      expect(r.stderr).toMatch(/revoked token [A-Za-z]{24}\n$/);
      expect(leftovers(state)).toEqual([]);
    });
  });

  it("a revoke that fails: exit 8, with the client id, the command's exit code and the delete command", async () => {
    await withEmulatorServer(async ({ url, adminToken, state }) => {
      state.injectFault({ method: 'DELETE', path: '/v2/**', status: 500, times: 20 });
      const r = await runBin(['token', 'exec', '--role', 'RO User', '--', 'true'], { env: envFor(url, adminToken), timeoutMs: 40_000 });
      expect(r.code).toBe(8);
      const [left] = leftovers(state);
      expect(left).toBeDefined();
      expect(r.stderr).toContain(`error: the command ended with exit code 0, but token ${left!.clientId} could not be revoked`);
      expect(r.stderr).toContain(`revoke it with: astra-token token delete ${left!.clientId} --yes --if-exists\n`);
    });
  }, 60_000);
});

/** Runs the bin, sends `signal` once the command has printed its first line, and waits for the end. */
function runAndSignal(args: string[], env: Record<string, string>, signal: NodeJS.Signals): Promise<BinResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: childEnv(env), stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let sent = false;
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString();
      if (!sent && stdout.includes('\n')) {
        sent = true;
        child.kill(signal);
      }
    });
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.on('error', reject);
    child.on('close', (code, sig) => {
      clearTimeout(timer);
      resolve({ code, signal: sig, stdout, stderr });
    });
    child.stdin.end();
  });
}
