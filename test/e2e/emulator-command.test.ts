import { lstatSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { HAS_BUILD, NO_BUILD_REASON, runBin, startEmulatorProcess } from '../helpers/bin.js';
import { tempDir } from '../helpers/temp.js';

const get = (url: string, token: string) => fetch(url, { headers: { Authorization: `Bearer ${token}` } });

describe('astra-token emulator: bad input', () => {
  it.each([
    [['emulator', '--port', 'eighty'], /--port: 'eighty' is not a whole number/],
    [['emulator', '--port', '70000'], /--port: '70000'/],
    [['emulator', '--latency', '-5'], /--latency/],
    [['emulator', '--fail-rate', '1.5'], /--fail-rate: '1.5' is not a number from 0 to 1/],
    [['emulator', '--fail-rate', 'often'], /--fail-rate/],
  ])('%j exits 2 with one line', async (argv, message) => {
    const r = await runCli(argv);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});

describe.skipIf(!HAS_BUILD)(`astra-token emulator from the built bin${HAS_BUILD ? '' : ` (${NO_BUILD_REASON})`}`, () => {
  it('prints URL and admin token, serves the 16 built-in roles, makes working tokens, stops on SIGTERM with 0', async () => {
    const emu = await startEmulatorProcess();
    try {
      expect(emu.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(emu.token).toMatch(/^AstraCS:[A-Za-z]{24}:[0-9a-f]{64}$/);
      const roles = (await (await get(`${emu.url}/v2/organizations/roles`, emu.token)).json()) as Array<{ id: string; name: string }>;
      expect(roles).toHaveLength(16);
      const created = await fetch(`${emu.url}/v2/tokens`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${emu.token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ roles: [roles.find((r) => r.name === 'Organization Administrator')!.id] }),
      });
      expect(created.status).toBe(200);
      const { token } = (await created.json()) as { token: string };
      expect((await get(`${emu.url}/v2/currentOrg`, token)).status).toBe(200);

      // The CLI itself, against the emulator over loopback (undici's fetch, not msw).
      const listed = await runBin(['role', 'list', '--json'], { env: { ASTRA_DB_APPLICATION_TOKEN: token, ASTRA_API_URL: emu.url } });
      expect(listed.code).toBe(0);
      expect((JSON.parse(listed.stdout) as unknown[]).length).toBe(16);
    } finally {
      const stopped = await emu.stop();
      expect(stopped.code).toBe(0);
    }
  });

  it('--seed: a bad seed exits 2 naming the entry, as does a seed over an existing --state; a good one is served', async () => {
    const dir = tempDir('astra-emu-');
    const seed = join(dir, 'seed.json');
    writeFileSync(seed, JSON.stringify({ tokens: [{ roles: ['RO User'], description: 'aged', age: '90 days' }] }));
    const bad = await runBin(['emulator', '--port', '0', '--seed', seed]);
    expect(bad).toMatchObject({ code: 2, stdout: '' });
    expect(bad.stderr).toBe(`error: --seed: ${seed}: tokens[0].age: expected a duration such as 30d, 12h or P90D\n`);
    writeFileSync(seed, '{"tokens": [');
    const notJson = await runBin(['emulator', '--port', '0', '--seed', seed]);
    expect(notJson.code).toBe(2);
    expect(notJson.stderr).toMatch(new RegExp(`^error: --seed: ${seed} is not JSON: .+\\n$`));

    writeFileSync(seed, JSON.stringify({ tokens: [{ roles: ['RO User'], description: 'aged', age: '90d', expiresIn: '-1d' }] }));
    const statePath = join(dir, 'state.json');
    writeFileSync(statePath, '{}', { mode: 0o600 });
    const over = await runBin(['emulator', '--port', '0', '--seed', seed, '--state', statePath]);
    expect(over).toMatchObject({ code: 2, stdout: '' });
    expect(over.stderr).toBe(`error: --seed: ${statePath} already holds a state; remove it, or start without --seed\n`);

    const emu = await startEmulatorProcess(['--seed', seed]);
    try {
      const res = await get(`${emu.url}/v2/clientIdSecrets`, emu.token);
      const { clients } = (await res.json()) as { clients: Array<{ description: string; generatedOn: string; tokenExpiry: string }> };
      const aged = clients.find((c) => c.description === 'aged')!;
      expect(Date.parse(aged.tokenExpiry) - Date.parse(aged.generatedOn)).toBe(89 * 86_400_000);
    } finally {
      const stopped = await emu.stop();
      expect(stopped.code).toBe(0);
      expect(stopped.stderr).toContain(`seeded 0 roles and 1 token from ${seed}\n`);
    }
  });

  it('--state keeps tokens across a restart, in a 0600 file', async () => {
    const dir = tempDir('astra-emu-');
    const statePath = join(dir, 'state.json');
    const first = await startEmulatorProcess(['--state', statePath]);
    const created = await fetch(`${first.url}/v2/tokens`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${first.token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ roles: ['does-not-matter'], description: 'survives' }),
    });
    const { clientId } = (await created.json()) as { clientId: string };
    expect((await first.stop()).code).toBe(0);
    expect(statSync(statePath).mode & 0o777).toBe(0o600);

    const second = await startEmulatorProcess(['--state', statePath]);
    try {
      expect(second.token).toBe(first.token);
      const list = (await (await get(`${second.url}/v2/tokens`, second.token)).json()) as {
        clients: Array<{ clientId: string; description: string }>;
      };
      expect(list.clients.find((c) => c.clientId === clientId)?.description).toBe('survives');
    } finally {
      await second.stop();
    }
  });

  it('--state that is a symlink is refused at start, never followed (exit 1)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'astra-emu-state-'));
    try {
      const victim = join(dir, 'victim.json');
      writeFileSync(victim, '{}\n');
      symlinkSync(victim, join(dir, 'state.json'));
      const r = await runBin(['emulator', '--port', '0', '--state', join(dir, 'state.json')]);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(
        `cannot load emulator state from ${join(dir, 'state.json')}: it is a symbolic link, which is never followed`,
      );
      expect(readFileSync(victim, 'utf8')).toBe('{}\n');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('saving --state never writes through a planted temp-file symlink: a new private file is renamed into place', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'astra-emu-state-'));
    try {
      const statePath = join(dir, 'state.json');
      const victim = join(dir, 'victim.json');
      writeFileSync(victim, 'keep\n', { mode: 0o644 });
      const emu = await startEmulatorProcess(['--state', statePath]);
      // The temp name an earlier version used (predictable from the pid): a link planted there got the admin secret.
      symlinkSync(victim, `${statePath}.${emu.child.pid}.tmp`);
      expect((await emu.stop()).code).toBe(0);
      expect(readFileSync(victim, 'utf8')).toBe('keep\n');
      expect(lstatSync(statePath).isFile()).toBe(true);
      expect(statSync(statePath).mode & 0o777).toBe(0o600);
      expect(readFileSync(statePath, 'utf8')).toContain(emu.orgId);
      expect(
        readdirSync(dir)
          .filter((f) => !f.startsWith('state.json.'))
          .sort(),
      ).toEqual(['state.json', 'victim.json']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a stopped emulator: the hint, run as printed with its state file, brings back the profile’s tokens', async () => {
    const statePath = join(tempDir('astra-emu-'), 'state.json');
    const first = await startEmulatorProcess(['--state', statePath]);
    const env = { ASTRA_TOKEN_CONFIG_DIR: tempDir('astra-emu-config-') };
    const add = await runBin(['org', 'add', 'local', '--with-token', '--api-url', first.url], { env, input: first.token });
    expect(add.code, add.stderr).toBe(0);
    expect((await first.stop()).code).toBe(0);

    const refused = await runBin(['token', 'list', '--json'], { env });
    expect(refused.code).toBe(7);
    expect(refused.stdout).toBe('');
    const port = new URL(first.url).port;
    const hinted = /start the emulator there with: astra-token (emulator [^(]*?) \(/.exec(refused.stderr)?.[1];
    expect(hinted).toBe(`emulator --port ${port} --state <file>`);
    const args = hinted!.replace('<file>', statePath).split(' ').slice(1);
    const second = await startEmulatorProcess(args, { freePort: false });
    try {
      expect(second.url).toBe(first.url);
      const list = await runBin(['token', 'list', '--json'], { env });
      expect(list.code, list.stderr).toBe(0);
      expect((JSON.parse(list.stdout) as Array<{ description: string }>).map((t) => t.description)).toContain('emulator admin');
    } finally {
      await second.stop();
    }
  });

  it('--state without --port reuses the port of the last run', async () => {
    const statePath = join(tempDir('astra-emu-'), 'state.json');
    const first = await startEmulatorProcess(['--state', statePath]);
    expect((await first.stop()).code).toBe(0);
    const second = await startEmulatorProcess(['--state', statePath], { freePort: false });
    try {
      expect(second.url).toBe(first.url);
      expect((await get(`${second.url}/v2/currentOrg`, second.token)).status).toBe(200);
    } finally {
      await second.stop();
    }
  });
});
