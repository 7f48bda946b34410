// The package as users get it: `npm pack`, then a global install into a temporary prefix, then the installed bin.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { childEnv, HAS_BUILD, NO_BUILD_REASON, ROOT, runBin } from '../helpers/bin.js';
import { withEmulatorServer } from '../helpers/emulator.js';
import { tempDir } from '../helpers/temp.js';

const npm = (args: string[], cwd: string) =>
  execFileSync('npm', args, {
    cwd,
    encoding: 'utf8',
    env: childEnv({ npm_config_update_notifier: 'false' }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });

describe.skipIf(!HAS_BUILD)(`npm pack and a global install${HAS_BUILD ? '' : ` (${NO_BUILD_REASON})`}`, () => {
  it('ships only what runs, installs with no dependency but the optional keychain binding, and works without it', async () => {
    const work = tempDir('astra-pack-');
    // --ignore-scripts: the bundle is already built, and rebuilding dist/ here would race other tests.
    const packed = JSON.parse(npm(['pack', '--json', '--ignore-scripts', '--pack-destination', work], ROOT)) as Array<{
      filename: string;
      files: Array<{ path: string }>;
    }>;
    const files = packed[0]!.files.map((f) => f.path);
    expect(files).toContain('bin/astra-token.js');
    expect(files).toContain('dist/cli.js');
    expect(files).toContain('README.md');
    expect(files).toContain('LICENSE');
    expect(files.filter((f) => /^(src|test|bench|scripts)\/|\.map$|\.ts$/.test(f))).toEqual([]);

    const prefix = join(work, 'prefix');
    npm(['install', '--global', '--offline', '--no-audit', '--no-fund', '--prefix', prefix, join(work, packed[0]!.filename)], work);
    const installed = join(prefix, 'lib', 'node_modules', 'astra-token');
    // The one dependency is the optional keychain binding (native, so not bundled).
    const deps = existsSync(join(installed, 'node_modules'))
      ? readdirSync(join(installed, 'node_modules')).filter((d) => !d.startsWith('.'))
      : [];
    expect(deps.filter((d) => d !== '@napi-rs')).toEqual([]);
    const bin = join(prefix, 'bin', 'astra-token');

    const version = await runBin(['--version'], { command: bin });
    expect(version.code).toBe(0);
    expect(version.stdout.trim()).toBe((JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version);

    await withEmulatorServer(async (emu) => {
      const list = await runBin(['token', 'list', '--json'], {
        command: bin,
        env: { ASTRA_DB_APPLICATION_TOKEN: emu.adminToken, ASTRA_API_URL: emu.url, ASTRA_TOKEN_CONFIG_DIR: join(work, 'config') },
      });
      expect(list.stderr).toBe('');
      expect(list.code).toBe(0);
      expect((JSON.parse(list.stdout) as unknown[]).length).toBeGreaterThanOrEqual(1);

      // Where the binding is absent (an install without optional dependencies), profiles live in the file.
      rmSync(join(installed, 'node_modules'), { recursive: true, force: true });
      const configDir = join(work, 'config-no-binding');
      const noBinding = (args: string[]) =>
        runBin(args, { command: bin, input: emu.adminToken, env: { ASTRA_TOKEN_CONFIG_DIR: configDir } });
      const forced = await noBinding(['org', 'add', 'k', '--with-token', '--api-url', emu.url, '--storage', 'keyring']);
      expect(forced.code).toBe(2);
      expect(forced.stderr).toContain(
        '--storage keyring: no keychain is usable here: the keychain binding (@napi-rs/keyring) is not installed',
      );
      const add = await noBinding(['org', 'add', 'f', '--with-token', '--api-url', emu.url]);
      expect(add.code).toBe(0);
      expect(add.stderr).toContain('warning: no keychain is usable here (the keychain binding (@napi-rs/keyring) is not installed');
      const viaProfile = await noBinding(['token', 'list', '--json']);
      expect(viaProfile.code).toBe(0);
      expect(JSON.parse((await noBinding(['org', 'list', '--json'])).stdout)).toEqual([
        expect.objectContaining({ name: 'f', storage: 'file' }),
      ]);
    });
  }, 120_000);
});
