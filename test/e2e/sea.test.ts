// The single executable (`npm run build:sea`, dist/sea/astra-token) on a PATH with no node: its version, its own
// emulator, token list and token exec against the emulator (on every API shape, asserting the server's state), and
// the keychain binding loaded from beside it or, where the addon file is absent, the same fallback as a machine
// without the binding. Skipped with a reason where the executable was not built; CI builds it, and under CI a missing
// executable fails instead.
import { chmodSync, copyFileSync, existsSync, linkSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runBin, startEmulatorProcess } from '../helpers/bin.js';
import { withEmulatorServer } from '../helpers/emulator.js';
import { tempDir } from '../helpers/temp.js';
import type { ApiShape } from '../../src/emulator/route-kit.js';

const SEA = join(ROOT, 'dist', 'sea', 'astra-token');
const HAS_SEA = existsSync(SEA);
const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

// Under CI the tests run whether or not the executable is there: the first one then fails and says why.
const SKIP = !HAS_SEA && !process.env.CI;

describe.skipIf(SKIP)(`the single executable${SKIP ? ' (dist/sea/astra-token is missing: run `npm run build:sea`)' : ''}`, () => {
  it('was built (.ci/run runs npm run build:sea before the tests)', () => {
    expect(existsSync(SEA), `${SEA} is missing`).toBe(true);
  });

  /** An environment whose PATH holds no node (an empty directory): the executable must need none. */
  const noNode = (extra: Record<string, string | undefined> = {}) => {
    const path = tempDir('astra-sea-path-');
    expect(existsSync(join(path, 'node'))).toBe(false);
    return { PATH: path, ...extra };
  };

  it('prints its version with no node on PATH', async () => {
    const r = await runBin(['--version'], { command: SEA, env: noNode() });
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toBe(`${VERSION}\n`);
  });

  it('prints a completion script and answers its completion requests', async () => {
    const script = await runBin(['completion', 'bash'], { command: SEA, env: noNode() });
    expect(script.code).toBe(0);
    expect(script.stdout).toContain('astra-token __complete bash');
    const words = await runBin(['__complete', 'bash', '2', '--', 'astra-token', 'token', 'li'], { command: SEA, env: noNode() });
    expect(words).toMatchObject({ code: 0, stdout: 'list\n' });
  });

  it('runs its own emulator, and lists that emulator’s tokens', async () => {
    const emu = await startEmulatorProcess([], { command: SEA, env: noNode() });
    try {
      const list = await runBin(['token', 'list', '--json'], {
        command: SEA,
        env: noNode({ ASTRA_DB_APPLICATION_TOKEN: emu.token, ASTRA_API_URL: emu.url }),
      });
      expect(list.stderr).toBe('');
      expect(list.code).toBe(0);
      const [admin] = emu.token.split(':').slice(1);
      expect((JSON.parse(list.stdout) as Array<{ clientId: string }>).map((t) => t.clientId)).toEqual([admin]);
    } finally {
      expect((await emu.stop()).code).toBe(0);
    }
  });

  it.each<ApiShape>(['docs', 'spec', 'mixed'])(
    'lists tokens and runs token exec (a live token for the child, revoked after) on the %s API shape',
    async (apiShape) => {
      await withEmulatorServer(
        async ({ url, state, adminToken }) => {
          const env = noNode({ ASTRA_DB_APPLICATION_TOKEN: adminToken, ASTRA_API_URL: url });
          const list = await runBin(['token', 'list', '--json'], { command: SEA, env });
          expect(list.code).toBe(0);
          const listed = (JSON.parse(list.stdout) as Array<{ clientId: string }>).map((t) => t.clientId);
          expect(listed).toEqual(state.listTokens(state.defaultOrg.id).map((t) => t.clientId));

          // The child reports the client id of the token it was given, and whether the server holds it live then.
          const before = new Set(listed);
          const exec = await runBin(
            ['token', 'exec', '--role', 'R/W User', '--', '/bin/sh', '-c', 'id=${ASTRA_DB_APPLICATION_TOKEN#*:}; echo "${id%%:*}"'],
            { command: SEA, env },
          );
          expect(exec.stderr).toContain('revoked token');
          expect(exec.code).toBe(0);
          const childId = exec.stdout.trim();
          expect(childId).toMatch(/^[A-Za-z]{24}$/);
          expect(before.has(childId)).toBe(false);
          expect(exec.stderr).toContain(`created token ${childId}`);
          // Afterwards the server holds exactly the tokens it held before: the child's token is gone.
          expect(state.findToken(childId)).toBeUndefined();
          expect(new Set(state.listTokens(state.defaultOrg.id).map((t) => t.clientId))).toEqual(before);
        },
        { apiShape },
      );
    },
    60_000,
  );

  it('loads the keychain binding from beside it, and without the addon file falls back as a machine without the binding does', async () => {
    await withEmulatorServer(async ({ url, adminToken }) => {
      const add = (command: string, name: string, storage: string[]) =>
        runBin(['org', 'add', name, '--with-token', '--api-url', url, ...storage], {
          command,
          input: adminToken,
          // No D-Bus session: the Secret Service probe, which only runs once the binding has loaded, names that.
          env: noNode({
            ASTRA_TOKEN_CONFIG_DIR: tempDir('astra-sea-config-'),
            DBUS_SESSION_BUS_ADDRESS: undefined,
            XDG_RUNTIME_DIR: undefined,
          }),
        });
      expect(existsSync(join(ROOT, 'dist', 'sea', 'keyring.node'))).toBe(true);
      const beside = await add(SEA, 'k', ['--storage', 'keyring']);
      expect(beside.code).toBe(2);
      expect(beside.stderr).toContain('--storage keyring: no keychain is usable here: no D-Bus session bus');

      // The same executable (a hard link, whose execPath is its own path, unlike a symlink's) in a directory without
      // keyring.node.
      const alone = join(tempDir('astra-sea-alone-'), 'astra-token');
      try {
        linkSync(SEA, alone);
      } catch {
        // $TMPDIR on another file system: a copy does as well.
        copyFileSync(SEA, alone);
        chmodSync(alone, 0o755);
      }
      const forced = await add(alone, 'k', ['--storage', 'keyring']);
      expect(forced.code).toBe(2);
      expect(forced.stderr).toContain(
        '--storage keyring: no keychain is usable here: the keychain binding (@napi-rs/keyring) is not installed',
      );
      const file = await add(alone, 'f', []);
      expect(file.code).toBe(0);
      expect(file.stderr).toContain('warning: no keychain is usable here (the keychain binding (@napi-rs/keyring) is not installed');
    });
  }, 60_000);
});
