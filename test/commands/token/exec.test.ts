// `token exec` in-process against the emulator: the child is a real process (sh), its streams piped to the test's
// doubles, and the signals the process edge would trap are sent by the test.
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import type { TrappedSignal } from '../../../src/context.js';
import { runCli, type RunOptions } from '../../helpers/cli.js';
import { useEmulator } from '../../helpers/emulator.js';
import { NOW, addCustomRole, envFor, roleId } from '../../helpers/fixtures/token.js';
import { leftovers, recordRevoked } from '../../helpers/fixtures/exec.js';

const emu = useEmulator({ state: { now: () => NOW } });
const MINUTE = 60_000;

const env = (extra: Record<string, string> = {}) => ({ ...envFor(emu), PATH: process.env.PATH ?? '/usr/bin:/bin', ...extra });
const exec = (args: string[], opts: RunOptions = {}) => runCli(['token', 'exec', ...args], { now: NOW, env: env(), ...opts });
/** Tokens other than the emulator's admin token. */
const others = () => leftovers(emu.state);
const sent = (method: string, path: RegExp) => emu.state.requests.filter((q) => q.method === method && path.test(q.path));

/** A stand-in for the process edge: the test sends the signals, as a terminal or `kill` would. */
function signals() {
  let handler: ((signal: TrappedSignal) => void) | undefined;
  let trapped = 0;
  return {
    trapSignals: (h: (signal: TrappedSignal) => void) => {
      handler = h;
      trapped += 1;
      return () => {
        handler = undefined;
      };
    },
    send(signal: TrappedSignal) {
      if (!handler) throw new Error('no signal trap installed');
      handler(signal);
    },
    get active() {
      return handler !== undefined;
    },
    get trapped() {
      return trapped;
    },
  };
}

const SHOW_ENV =
  'printf "token=%s\\nurl=%s\\nprofile=%s\\nother=%s\\n" "${ASTRA_DB_APPLICATION_TOKEN-unset}" "$ASTRA_API_URL" "${ASTRA_PROFILE-unset}" "${MY_TOKEN-unset}"';
const shown = (stdout: string) =>
  Object.fromEntries(
    stdout
      .trim()
      .split('\n')
      .map((l) => l.split(/=(.*)/s).slice(0, 2)),
  ) as Record<string, string>;

describe('token exec: the token the command gets', () => {
  it("runs the command with a new token holding exactly the roles asked for, in place of the caller's credential, then revokes it", async () => {
    const revoked = recordRevoked(emu.state);
    const r = await exec(['--role', 'RO User', '--role', 'r/w user', '--', 'sh', '-c', SHOW_ENV], { env: env({ ASTRA_PROFILE: 'mine' }) });
    expect(r.code).toBe(0);
    const seen = shown(r.stdout);
    expect(seen.token).toMatch(/^AstraCS:[A-Za-z]{24}:[0-9a-f]{64}$/);
    expect(seen.token).not.toBe(emu.adminToken);
    expect(seen).toMatchObject({ url: emu.baseUrl, profile: 'unset', other: 'unset' });

    const clientId = seen.token!.split(':')[1]!;
    expect(revoked.map((t) => t.clientId)).toEqual([clientId]);
    expect(revoked[0]!.roles.sort()).toEqual([roleId(emu.state, 'RO User'), roleId(emu.state, 'R/W User')].sort());
    expect(others()).toEqual([]);
    // The secret is the command's alone: not in our messages.
    expect(r.stderr).not.toContain(seen.token);
    expect(r.stderr).toContain(`created token ${clientId} (roles: RO User, R/W User; expires 2026-03-01T13:00:00Z); running sh`);
    expect(r.stderr).toContain(`revoked token ${clientId}`);
  });

  it('--ttl sets the expiry the API records (default 1h); the description says where a leftover came from', async () => {
    const revoked = recordRevoked(emu.state);
    expect((await exec(['--role', 'RO User', '--ttl', '15m', '--', 'true'], { env: env({ USER: 'ada' }) })).code).toBe(0);
    expect((await exec(['--role', 'RO User', '--', '/bin/true'])).code).toBe(0);
    expect((await exec(['--role', 'RO User', '--ttl', 'PT2H', '--description', 'nightly fix', '--', 'true'])).code).toBe(0);
    expect(revoked.map((t) => t.expiresAt?.getTime())).toEqual([
      NOW.getTime() + 15 * MINUTE,
      NOW.getTime() + 60 * MINUTE,
      NOW.getTime() + 120 * MINUTE,
    ]);
    expect(revoked[0]!.description).toMatch(/^astra-token exec: true \(ada@[^,\s]+, 2026-03-01T12:00:00Z, run [0-9a-f]{8}\)$/);
    expect(revoked[1]!.description).toMatch(/^astra-token exec: true \(.+@.+, 2026-03-01T12:00:00Z, run [0-9a-f]{8}\)$/);
    expect(revoked[2]!.description).toBe('nightly fix');
  });

  it('--env-name carries the token in another variable; ASTRA_DB_APPLICATION_TOKEN is then unset in the command', async () => {
    const r = await exec(['--role', 'RO User', '--env-name', 'MY_TOKEN', '--', 'sh', '-c', SHOW_ENV]);
    expect(r.code).toBe(0);
    const seen = shown(r.stdout);
    expect(seen.token).toBe('unset');
    expect(seen.other).toMatch(/^AstraCS:[A-Za-z]{24}:[0-9a-f]{64}$/);
  });

  it('--db uses the database-scoped role token create --db uses (made once, then reused)', async () => {
    const revoked = recordRevoked(emu.state);
    expect((await exec(['--db', 'orders', '--keyspace', 'sales', '--', 'true'])).code).toBe(0);
    expect((await exec(['--db', 'orders', '--keyspace', 'sales', '--', 'true'])).code).toBe(0);
    const role = emu.state.defaultOrg.roles.filter((x) => x.name === 'orders Database Administrator (keyspace sales)');
    expect(role).toHaveLength(1);
    expect(revoked.map((t) => t.roles)).toEqual([[role[0]!.id], [role[0]!.id]]);
    expect(sent('POST', /^\/v2\/organizations\/roles$/)).toHaveLength(1);
  });

  it('stdin reaches the command', async () => {
    const r = await exec(['--role', 'RO User', '--', 'cat'], { stdin: 'INSERT plan;\n' });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('INSERT plan;\n');
  });

  it('a role name with colour codes or a line break is shown with them made visible', async () => {
    const hostile = addCustomRole(emu.state, 'ops\u001b[8m hidden\nerror: forged');
    const r = await exec(['--role', hostile, '--', 'true']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('(roles: ops\\x1b[8m hidden\\nerror: forged; expires');
    expect(r.stderr).not.toContain('\u001b');
  });

  it("on a terminal its success lines carry a ✓, as every other verb's do", async () => {
    const r = await exec(['--role', 'RO User', '--', 'true'], { tty: true, env: env({ NO_COLOR: '1' }) });
    expect(r.code).toBe(0);
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^✓ created token [A-Za-z]{24} \(roles: RO User; expires .+\); running true$/);
    expect(lines.at(-1)).toMatch(/^✓ revoked token [A-Za-z]{24}$/);
    expect(others()).toEqual([]);
  });

  it('-q leaves stderr to the command', async () => {
    const r = await exec(['-q', '--role', 'RO User', '--', 'sh', '-c', 'echo to-stderr >&2']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('to-stderr\n');
    expect(others()).toEqual([]);
  });
});

describe('token exec: exit codes and the revoke', () => {
  it("passes the command's exit code through, and revokes the token", async () => {
    const r = await exec(['--role', 'RO User', '--', 'sh', '-c', 'exit 3']);
    expect(r.code).toBe(3);
    expect(others()).toEqual([]);
    expect(sent('DELETE', /^\/v2\/tokens\//)).toHaveLength(1);
  });

  it('128 + the signal number when a signal ended the command, and the token is revoked', async () => {
    const r = await exec(['--role', 'RO User', '--', 'sh', '-c', 'kill -KILL $$']);
    expect(r.code).toBe(137);
    expect(others()).toEqual([]);
  });

  it("a revoke that fails: exit 8, naming the token, the command's exit code and the delete command to run", async () => {
    emu.state.injectFault({ method: 'DELETE', path: '/v2/**', status: 503, times: 10 });
    const r = await exec(['--role', 'RO User', '--', 'sh', '-c', 'exit 4']);
    expect(r.code).toBe(8);
    const [left] = others();
    expect(left).toBeDefined();
    expect(r.stderr).toContain(`error: the command ended with exit code 4, but token ${left!.clientId} could not be revoked:`);
    expect(r.stderr).toContain(
      `(it expires at 2026-03-01T13:00:00Z); revoke it with: astra-token token delete ${left!.clientId} --yes --if-exists\n`,
    );
  });

  it('a token that is already gone (the command revoked it) counts as revoked', async () => {
    emu.server.use(
      http.delete('*/v2/tokens/:id', ({ params }) => {
        emu.state.revokeToken(String(params.id));
        return new HttpResponse('{"errors":[{"ID":404,"message":"not found"}]}', { status: 404 });
      }),
    );
    const r = await exec(['-q', '--role', 'RO User', '--', 'true']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(others()).toEqual([]);
  });
});

describe('token exec: refused before anything runs', () => {
  const nothingHappened = (r: { stdout: string }) => {
    expect(r.stdout).toBe('');
    expect(others()).toEqual([]);
    expect(sent('POST', /^\/v2\/tokens$/)).toEqual([]);
  };

  it.each([
    [['--json', '--role', 'RO User', '--', 'echo', 'ran'], /--json cannot be used with token exec: stdout belongs to the command/],
    [['--role', 'RO User', 'echo', 'ran'], /put the command after --/],
    [['--role', 'RO User', 'echo', '--', 'ran'], /put the command after --/],
    [['--', 'echo', 'ran'], /--role or --db is required/],
    [['--role', 'RO User', '--ttl', 'soon', '--', 'echo', 'ran'], /--ttl: 'soon' is not a duration/],
    [['--role', 'RO User', '--ttl', '0m', '--', 'echo', 'ran'], /--ttl: '0m' must be longer than zero/],
    [['--role', 'RO User', '--ttl', '999999w', '--', 'echo', 'ran'], /--ttl: '999999w' ends after the year 9999/],
    [['--role', 'RO User', '--env-name', '1X', '--', 'echo', 'ran'], /--env-name: '1X' is not an environment variable name/],
    [['--role', 'RO User', '--env-name', 'ASTRA_API_URL', '--', 'echo', 'ran'], /--env-name: ASTRA_API_URL is where/],
    [['--role', 'RO User', '--keyspace', 'sales', '--', 'echo', 'ran'], /--keyspace/],
  ])('%j: exit 2', async (args, message) => {
    const r = await exec(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    nothingHappened(r);
  });

  it('exit 127 when the command is not found, 126 when it cannot be run, before a token is made', async () => {
    const missing = await exec(['--role', 'RO User', '--', 'no-such-command-here', 'x']);
    expect(missing.code).toBe(127);
    expect(missing.stderr).toBe('error: no-such-command-here: command not found; check the name and PATH\n');
    nothingHappened(missing);
    const dir = await exec(['--role', 'RO User', '--', '/tmp']);
    expect(dir.code).toBe(126);
    expect(dir.stderr).toContain('/tmp: a directory');
    nothingHappened(dir);
    const scratch = mkdtempSync(join(tmpdir(), 'astra-token-exec-'));
    try {
      const script = join(scratch, 'plan.sh');
      writeFileSync(script, '#!/bin/sh\necho ran\n', { mode: 0o644 });
      const plain = await exec(['--role', 'RO User', '--', script]);
      expect(plain.code).toBe(126);
      expect(plain.stderr).toContain(`${script}: not executable`);
      nothingHappened(plain);
      chmodSync(script, 0o755);
      expect(await exec(['--role', 'RO User', '--', script])).toMatchObject({ code: 0, stdout: 'ran\n' });
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });

  it('a credential that may not create tokens: exit 4 and the command never runs', async () => {
    // It may read roles and tokens (so everything up to the create works), not write tokens.
    const org = emu.state.defaultOrg;
    org.roles.push({
      id: emu.state.uuid(),
      name: 'token reader',
      policy: { description: '', resources: [`drn:astra:org:${org.id}`], actions: ['org-role-read', 'org-token-read'], effect: 'allow' },
      last_update_datetime: NOW.toISOString(),
      last_update_userid: 'test',
      builtIn: false,
    });
    const ro = emu.state.issueToken(org.id, ['token reader']);
    const r = await exec(['--role', 'RO User', '--', 'echo', 'ran'], { env: env({ ASTRA_DB_APPLICATION_TOKEN: ro.token }) });
    expect(r.code).toBe(4);
    expect(r.stdout).toBe('');
    expect(others().map((t) => t.clientId)).toEqual([ro.clientId]);
    expect(sent('POST', /^\/v2\/tokens$/).map((q) => q.status)).toEqual([403]);
  });

  it('a --ttl the API refuses: its message, and the command never runs', async () => {
    emu.state.injectFault({
      method: 'POST',
      path: '/v2/tokens',
      status: 400,
      body: 'token expiry exceeds the maximum the organization allows',
      contentType: 'text/plain',
    });
    const r = await exec(['--role', 'RO User', '--ttl', '9999d', '--', 'echo', 'ran']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('token expiry exceeds the maximum the organization allows');
    expect(r.stdout).toBe('');
  });
});

describe('token exec: signals', () => {
  /** Runs a command that says "ready" and then sleeps; `act` gets the signals once it has said so. */
  async function whileRunning(act: (s: ReturnType<typeof signals>) => void, opts: RunOptions = {}, script = 'echo ready; sleep 2; exit 7') {
    const s = signals();
    const r = await exec(['--role', 'RO User', '--', 'sh', '-c', script], {
      trapSignals: s.trapSignals,
      onStdout: (chunk) => {
        if (chunk.includes('ready')) act(s);
      },
      ...opts,
    });
    return { ...r, s };
  }

  it.each([
    ['SIGTERM', 143],
    ['SIGHUP', 129],
    ['SIGINT', 130],
  ] as const)('%s is forwarded to the command (stdin not a terminal); the token is revoked after it ends', async (signal, code) => {
    const r = await whileRunning((s) => s.send(signal), {}, 'echo ready; exec sleep 5');
    expect(r.code).toBe(code);
    expect(others()).toEqual([]);
    expect(r.s.active).toBe(false);
  });

  it('a Ctrl-C at a terminal already reached the command: it is not sent a second time', async () => {
    const r = await whileRunning((s) => s.send('SIGINT'), { stdinTTY: true });
    expect(r.code).toBe(7);
    expect(others()).toEqual([]);
  });

  it('a further Ctrl-C during the revoke stops waiting: exit 130 with the delete command to run', async () => {
    const s = signals();
    emu.server.use(
      http.delete('*/v2/tokens/:id', () => {
        s.send('SIGINT');
        return new Promise<never>(() => undefined);
      }),
    );
    const r = await exec(['--role', 'RO User', '--', 'sh', '-c', 'exit 0'], { trapSignals: s.trapSignals });
    expect(r.code).toBe(130);
    const [left] = others();
    expect(r.stderr).toContain(
      `error: interrupted while revoking token ${left!.clientId} (the command ended with exit code 0); it may still be live until 2026-03-01T13:00:00Z; revoke it with: astra-token token delete ${left!.clientId} --yes --if-exists\n`,
    );
  });

  it("the terminal's Ctrl-C that ended the command, seen only during the revoke, does not cancel it", async () => {
    const s = signals();
    emu.server.use(
      http.delete('*/v2/tokens/:id', ({ params }) => {
        s.send('SIGINT');
        emu.state.revokeToken(String(params.id));
        return new HttpResponse(null, { status: 204 });
      }),
    );
    const r = await exec(['--role', 'RO User', '--', 'sh', '-c', 'exit 130'], { trapSignals: s.trapSignals, stdinTTY: true });
    expect(r.code).toBe(130);
    expect(r.stderr).not.toContain('interrupted');
    expect(others()).toEqual([]);
  });

  it('SIGTERM during the revoke does not cancel it', async () => {
    const s = signals();
    emu.server.use(
      http.delete('*/v2/tokens/:id', ({ params }) => {
        s.send('SIGTERM');
        s.send('SIGHUP');
        emu.state.revokeToken(String(params.id));
        return new HttpResponse(null, { status: 204 });
      }),
    );
    const r = await exec(['--role', 'RO User', '--', 'true'], { trapSignals: s.trapSignals });
    expect(r.code).toBe(0);
    expect(others()).toEqual([]);
  });

  it('the signals are trapped only once the token exists, and released at the end', async () => {
    const s = signals();
    const r = await exec(['--role', 'RO User', '--', 'no-such-command-here'], { trapSignals: s.trapSignals });
    expect(r.code).toBe(127);
    expect(s.trapped).toBe(0);
    const ok = await exec(['--role', 'RO User', '--', 'true'], { trapSignals: s.trapSignals });
    expect(ok.code).toBe(0);
    expect(s.trapped).toBe(1);
    expect(s.active).toBe(false);
  });
});

describe('token exec: errors go through the one classifier', () => {
  it('a create answer without its token whose check meets a network failure: exit 7 (not 1), the token revoked', async () => {
    const revoked = recordRevoked(emu.state);
    emu.server.use(
      http.post('*/v2/tokens', async ({ request }) => {
        const body = (await request.json()) as { roles: string[]; description?: string };
        const made = emu.state.mintToken(emu.state.defaultOrg.id, body.roles, body.description ?? '', null, NOW);
        return HttpResponse.json({ clientId: made.clientId, secret: made.secret, roles: body.roles, orgId: emu.state.defaultOrg.id });
      }),
      http.get('*/v2/currentOrg', () => HttpResponse.error()),
    );
    const r = await exec(['--role', 'RO User', '--', 'sh', '-c', 'echo ran']);
    expect(r.code).toBe(7);
    expect(r.stdout).toBe('');
    expect(revoked).toHaveLength(1);
    expect(others()).toEqual([]);
  });

  it('a signal while the create is in flight stops the run: exit 130, nothing run, the token made is found and revoked', async () => {
    const s = signals();
    const revoked = recordRevoked(emu.state);
    let made = false;
    emu.server.use(
      http.post('*/v2/tokens', async ({ request }) => {
        const body = (await request.json()) as { roles: string[]; description?: string };
        emu.state.mintToken(emu.state.defaultOrg.id, body.roles, body.description ?? '', null, NOW);
        made = true;
        // Never answers: the stopped request gives up after its grace.
        await new Promise((resolve) => request.signal.addEventListener('abort', resolve, { once: true }));
        return HttpResponse.error();
      }),
    );
    const run = exec(['--role', 'RO User', '--', 'sh', '-c', 'echo ran'], { trapSignals: s.trapSignals });
    for (let i = 0; i < 200 && !made; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    s.send('SIGTERM');
    const r = await run;
    expect(r.code).toBe(130);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/made by this run, was found and revoked/);
    expect(revoked).toHaveLength(1);
    expect(others()).toEqual([]);
  });
});

describe('token exec and org remove: bad input is refused before any request', () => {
  it.each([
    [['token', 'exec', '--share-config', '--role', 'RO User', 'echo']],
    [['token', 'exec', '--share-config', '--', 'echo']],
    [['org', 'remove', 'nope', '--revoke', '--yes']],
  ])('%j', async (argv) => {
    const r = await runCli(argv, { now: NOW, env: env() });
    expect(r.code === 2 || r.code === 5).toBe(true);
    expect(r.stderr.split('\n').filter(Boolean)).toHaveLength(1);
    expect(emu.state.requests).toEqual([]);
  });
});
