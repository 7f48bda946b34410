import { spawnSync } from 'node:child_process';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeDbCache, writeRoleCache } from '../../../src/config/role-cache.js';
import { BIN, HAS_BUILD, NO_BUILD_REASON, childEnv } from '../../helpers/bin.js';
import { cachePlaces, runCli, tempConfigDir } from '../../helpers/cli.js';
import { tempDir } from '../../helpers/temp.js';
import { TEST_ORG, configWithOrg } from '../../helpers/fixtures/org.js';
import type { CommandUnknownOpts } from '@commander-js/extra-typings';
import { createProgram } from '../../../src/main.js';
import type { VerbLoader } from '../../../src/commands/verb.js';

describe('completion scripts', () => {
  it.each(['bash', 'zsh', 'fish'])('prints a %s script that calls back __complete', async (shell) => {
    const r = await runCli(['completion', shell]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('astra-token __complete');
    expect(r.stderr).toBe('');
  });

  it('refuses an unknown shell with exit 2', async () => {
    const r = await runCli(['completion', 'powershell']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("error: completion: 'powershell' is not one of bash, zsh, fish\n");
  });
});

describe('__complete (offline answers)', () => {
  const complete = (words: string[], env: Record<string, string> = {}) =>
    runCli(['__complete', 'fish', String(words.length - 1), '--', ...words], { env });

  it('completes nouns, verbs and flags', async () => {
    expect((await complete(['astra-token', 'to'])).stdout).toBe('token\n');
    expect((await complete(['astra-token', 'org', ''])).stdout.split('\n')).toEqual(expect.arrayContaining(['add', 'list', 'switch']));
    expect((await complete(['astra-token', 'emulator', '--fa'])).stdout).toBe('--fail-rate\n');
    // Global options are offered on every verb.
    expect((await complete(['astra-token', 'role', 'list', '--js'])).stdout).toBe('--json\n');
  });

  it('completes role names from the local cache and --env values', async () => {
    const dir = configWithOrg(tempConfigDir());
    writeRoleCache(cachePlaces(dir), TEST_ORG, ['Database Administrator', 'R/W User', 'RO User']);
    const r = await complete(['astra-token', 'token', 'list', '--role', 'R'], { ASTRA_TOKEN_CONFIG_DIR: dir });
    expect(r.stdout).toBe('R/W User\nRO User\n');
    expect((await complete(['astra-token', '--env', 'd'])).stdout).toBe('dev\n');
  });

  it.each(['bash', 'zsh', 'fish'])(
    '%s: a role or database name with a line break, a control or a bidi character is no candidate (never two forged ones)',
    async (shell) => {
      const dir = configWithOrg(tempConfigDir());
      writeRoleCache(cachePlaces(dir), TEST_ORG, [
        'R/W User',
        'R\nOrganization Administrator',
        'R\u001b[2Jx',
        'R\u202eresU OR',
        'R\u2028x',
      ]);
      writeDbCache(cachePlaces(dir), TEST_ORG, ['orders', 'o\nrders admin']);
      const env = { ASTRA_TOKEN_CONFIG_DIR: dir };
      const role = await runCli(['__complete', shell, '4', '--', 'astra-token', 'token', 'list', '--role', 'R'], { env });
      expect(role.stdout).toBe(shell === 'bash' ? 'R/W\\ User\n' : 'R/W User\n');
      const db = await runCli(['__complete', shell, '4', '--', 'astra-token', 'token', 'create', '--db', 'o'], { env });
      expect(db.stdout).toBe('orders\n');
    },
  );
});

describe('__complete: positional arguments', () => {
  const complete = (words: string[], env: Record<string, string> = {}) =>
    runCli(['__complete', 'fish', String(words.length - 1), '--', ...words], { env });

  it('completes a profile name only where the verb takes one, not for extra arguments', async () => {
    const dir = tempConfigDir();
    const profiles = ['local', 'prod'].map((name) => ({
      name,
      token: 'x',
      apiUrl: 'https://api.astra.datastax.com',
      updatedAt: '2026-01-01T00:00:00Z',
    }));
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ version: 1, current: 'prod', profiles }), { mode: 0o600 });
    const env = { ASTRA_TOKEN_CONFIG_DIR: dir };
    for (const verb of ['switch', 'remove', 'storage']) {
      expect((await complete(['astra-token', 'org', verb, ''], env)).stdout).toBe('local\nprod\n');
      expect((await complete(['astra-token', 'org', verb, 'local', ''], env)).stdout).toBe('');
      expect((await complete(['astra-token', 'org', verb, 'local', 'local', ''], env)).stdout).toBe('');
    }
    // Options and their values do not count as arguments.
    expect((await complete(['astra-token', 'org', 'remove', '--yes', ''], env)).stdout).toBe('local\nprod\n');
    expect((await complete(['astra-token', '--profile', 'prod', 'org', 'switch', ''], env)).stdout).toBe('local\nprod\n');
    expect((await complete(['astra-token', 'org', 'storage', '--to', 'file', ''], env)).stdout).toBe('local\nprod\n');
  });

  it('completes --opt=value written as one word (zsh, fish) and split at = (bash)', async () => {
    const dir = configWithOrg(tempConfigDir());
    writeRoleCache(cachePlaces(dir), TEST_ORG, ['R/W User', 'RO User']);
    const env = { ASTRA_TOKEN_CONFIG_DIR: dir };
    expect((await complete(['astra-token', 'token', 'list', '--role=R/'], env)).stdout).toBe('--role=R/W User\n');
    const bash = (words: string[]) => runCli(['__complete', 'bash', String(words.length - 1), '--', ...words], { env });
    expect((await bash(['astra-token', 'token', 'list', '--role', '=', 'R/W\\ U'])).stdout).toBe('R/W\\ User\n');
    expect((await bash(['astra-token', 'token', 'list', '--role', '=', '"R/W U'])).stdout).toBe('"R/W User"\n');
    expect((await bash(['astra-token', 'token', 'list', '--role', '='])).stdout).toBe('=R/W\\ User\n=RO\\ User\n');
  });
});

describe.skipIf(!HAS_BUILD)(`bash completion in a real bash${HAS_BUILD ? '' : ` (${NO_BUILD_REASON})`}`, () => {
  it('fills COMPREPLY for partial command lines, escaping role names with spaces', async () => {
    const shim = tempDir('astra-shim-');
    writeFileSync(join(shim, 'astra-token'), `#!/bin/sh\nexec "${process.execPath}" "${BIN}" "$@"\n`);
    chmodSync(join(shim, 'astra-token'), 0o755);
    const config = configWithOrg(tempConfigDir());
    writeRoleCache(cachePlaces(config), TEST_ORG, ['Database Administrator', 'Billing Admin']);
    const script = (await runCli(['completion', 'bash'])).stdout;
    const probe = (line: string) => {
      const words = line.split(' ');
      const r = spawnSync(
        'bash',
        [
          '-c',
          `${script}\nCOMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}; _astra_token; printf '%s\\n' "\${COMPREPLY[@]}"`,
        ],
        { env: childEnv({ PATH: `${shim}:${process.env.PATH}`, ASTRA_TOKEN_CONFIG_DIR: config }), encoding: 'utf8' },
      );
      return r.stdout.trim().split('\n');
    };
    expect(probe('astra-token rol')).toEqual(['role']);
    expect(probe('astra-token token create --role Data')).toEqual(['Database\\ Administrator']);
    expect(probe('astra-token completion z')).toEqual(['zsh']);
  });
});

describe('__complete: fixed values come from the option being completed', () => {
  const values = async (words: string[]) =>
    (await runCli(['__complete', 'bash', String(words.length - 1), '--', ...words])).stdout.split('\n').filter(Boolean);

  it.each([
    [
      ['astra-token', 'token', 'audit', '--format', ''],
      ['csv', 'md', 'table'],
    ],
    [
      ['astra-token', 'token', 'create', '--format', ''],
      ['env', 'export'],
    ],
    [
      ['astra-token', 'create', '--format', ''],
      ['env', 'export'],
    ],
    [
      ['astra-token', 'token', 'rotate', 'AbCdEfGhIjKlMnOpQrStUvWx', '--format', ''],
      ['env', 'export'],
    ],
    [
      ['astra-token', 'token', 'audit', '--fail-on', ''],
      ['high', 'low', 'medium', 'never'],
    ],
    [
      ['astra-token', 'token', 'audit', '--format', '=', ''],
      ['csv', 'md', 'table'],
    ],
    [
      ['astra-token', 'org', 'storage', 'prod', '--to', ''],
      ['file', 'keyring'],
    ],
    [
      ['astra-token', 'org', 'add', 'prod', '--storage', ''],
      ['file', 'keyring'],
    ],
    [
      ['astra-token', 'emulator', '--api-shape', ''],
      ['docs', 'mixed', 'spec'],
    ],
    [
      ['astra-token', '--env', ''],
      ['dev', 'prod', 'test'],
    ],
    [
      ['astra-token', 'completion', ''],
      ['bash', 'fish', 'zsh'],
    ],
  ])('%j offers exactly %j', async (words, expected) => {
    expect(await values(words)).toEqual(expected);
  });

  it('every option with choices in the tree is completed with exactly its choices, wherever it is', async () => {
    const noLoad = (() => () => Promise.resolve()) as unknown as VerbLoader;
    const { program } = createProgram({ streams: {} as never, env: {} }, noLoad);
    const seen: string[] = [];
    const walk = async (cmd: CommandUnknownOpts, words: string[]) => {
      for (const option of cmd.options.filter((o) => o.argChoices)) {
        // A verb's positional arguments first, so that the option is completed where a user would type it.
        const args = cmd.registeredArguments.filter((a) => a.required).map(() => 'x');
        seen.push([...words, option.long].join(' '));
        expect(await values(['astra-token', ...words, ...args, option.long!, ''])).toEqual([...option.argChoices!].sort());
      }
      for (const sub of cmd.commands.filter((c) => c.name() !== '__complete' && c.name() !== 'help'))
        await walk(sub, [...words, sub.name()]);
    };
    await walk(program, []);
    expect(seen).toEqual(expect.arrayContaining(['token audit --format', 'token create --format', '--env']));
  }, 120_000);
});
