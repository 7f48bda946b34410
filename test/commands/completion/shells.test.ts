// Completion run by the real shells: bash and zsh in a pseudo-terminal (`script`), the completion typed with TAB
// and the line then run; fish through `complete -C`. The line is run by a stand-in `astra-token` that prints its
// arguments, so the test sees exactly the words the shell built. Values with spaces (almost every built-in role
// name) must arrive as one argument, with or without an opened quote.
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeDbCache, writeRoleCache } from '../../../src/config/role-cache.js';
import { BIN, HAS_BUILD, NO_BUILD_REASON } from '../../helpers/bin.js';
import { cachePlaces, runCli } from '../../helpers/cli.js';
import { tempDir } from '../../helpers/temp.js';
import { TEST_ORG, configWithOrg } from '../../helpers/fixtures/org.js';

const has = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;

interface Sandbox {
  dir: string;
  env: NodeJS.ProcessEnv;
  script: (shell: string) => string;
}

async function sandbox(): Promise<Sandbox> {
  const dir = tempDir('astra-token-complete-');
  const bin = join(dir, 'bin');
  mkdirSync(bin);
  // Completion requests go to the real CLI; anything else prints its arguments, one per line.
  writeFileSync(
    join(bin, 'astra-token'),
    `#!/bin/sh\nif [ "$1" = __complete ]; then exec "${process.execPath}" "${BIN}" "$@"; fi\nprintf 'ARG<%s>\\n' "$@"\n`,
  );
  chmodSync(join(bin, 'astra-token'), 0o755);
  const config = join(dir, 'config');
  mkdirSync(config, { mode: 0o700 });
  writeRoleCache(cachePlaces(config), TEST_ORG, ['Database Administrator', 'R/W User', 'RO User']);
  writeDbCache(cachePlaces(config), TEST_ORG, ['orders prod', 'inventory']);
  configWithOrg(config, TEST_ORG, ['prod', 'staging team']);
  for (const shell of ['bash', 'zsh', 'fish']) writeFileSync(join(dir, `c.${shell}`), (await runCli(['completion', shell])).stdout);
  const env = {
    ...process.env,
    PATH: `${bin}:${process.env.PATH}`,
    ASTRA_TOKEN_CONFIG_DIR: config,
    HOME: dir,
    TERM: 'dumb',
    PS1: '$ ',
    NO_COLOR: '1',
  };
  return { dir, env, script: (shell) => join(dir, `c.${shell}`) };
}

/** Types `line`, then TAB, waits until `expect` shows on the screen, presses Enter; returns the arguments it ran with. */
function typeAndComplete(box: Sandbox, shell: 'bash' | 'zsh', line: string, shows: string): Promise<string[]> {
  const command = shell === 'bash' ? 'bash --norc --noprofile -i' : 'zsh -f -i';
  const setup = shell === 'zsh' ? `autoload -U compinit; compinit -u; source ${box.script('zsh')}` : `source ${box.script('bash')}`;
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-qfec', command, '/dev/null'], { env: box.env, cwd: box.dir });
    let screen = '';
    let stage = 0;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${shell} did not finish; screen: ${JSON.stringify(screen)}`));
    }, 30_000);
    child.stdout.on('data', (c: Buffer) => {
      screen += c.toString();
      if (stage === 0 && /READY\r?\n/.test(screen.replace(/echo READY/g, ''))) {
        stage = 1;
        screen = '';
        child.stdin.write(`${line}\t`);
      } else if (stage === 1 && screen.includes(shows)) {
        stage = 2;
        child.stdin.write('\nexit\n');
      }
    });
    child.on('close', () => {
      clearTimeout(timer);
      resolve(
        screen
          .split(/\r?\n/)
          .filter((l) => l.startsWith('ARG<'))
          .map((l) => l.slice(4, -1)),
      );
    });
    child.stdin.write(`${setup}; echo READY\n`);
  });
}

const CASES: Array<[line: string, shows: string, args: string[]]> = [
  ['astra-token token create --role R/W', 'User', ['token', 'create', '--role', 'R/W User']],
  ['astra-token token create --role "R/W ', 'User', ['token', 'create', '--role', 'R/W User']],
  ["astra-token create --role 'R/W ", 'User', ['create', '--role', 'R/W User']],
  ['astra-token create --db ord', 'prod', ['create', '--db', 'orders prod']],
  ['astra-token org switch sta', 'team', ['org', 'switch', 'staging team']],
  ['astra-token token create --role=R/W\\ U', 'User', ['token', 'create', '--role=R/W User']],
  ['astra-token token create --role="R/W U', 'User', ['token', 'create', '--role=R/W User']],
  ['astra-token create --role=RO', 'User', ['create', '--role=RO User']],
  ['astra-token token audit --format m', 'md', ['token', 'audit', '--format', 'md']],
];

describe.skipIf(!HAS_BUILD || !has('script'))(
  `completion in real shells${HAS_BUILD ? '' : ` (${NO_BUILD_REASON})`}${has('script') ? '' : ' (needs script(1), from util-linux)'}`,
  () => {
    for (const shell of ['bash', 'zsh'] as const) {
      describe.skipIf(!has(shell))(`${shell}${has(shell) ? '' : ` (needs ${shell}; .ci/run installs it)`}`, () => {
        it.each(CASES)(
          `%s<TAB> -> one argument`,
          async (line, shows, args) => {
            const box = await sandbox();
            expect(await typeAndComplete(box, shell, line, shows)).toEqual(args);
          },
          90_000,
        );
      });
    }

    it('bash does not fall back to file names where none are wanted', async () => {
      const box = await sandbox();
      const r = spawnSync('bash', ['--norc', '-c', `source ${box.script('bash')}; complete -p astra-token`], {
        env: box.env,
        encoding: 'utf8',
      });
      expect(r.stdout.trim()).toBe('complete -F _astra_token astra-token');
    });

    describe.skipIf(!has('fish'))(`fish (complete -C)${has('fish') ? '' : ' (needs fish; .ci/run installs it)'}`, () => {
      const fish = (box: Sandbox, line: string) => {
        const r = spawnSync(
          'fish',
          ['--no-config', '-c', `source ${box.script('fish')}; complete -C${JSON.stringify(line).replace(/\$/g, '\\$')}`],
          {
            env: box.env,
            cwd: box.dir,
            encoding: 'utf8',
          },
        );
        return r.stdout
          .split('\n')
          .filter(Boolean)
          .map((l) => l.split('\t')[0]!);
      };

      it.each(CASES)('%s<TAB>', async (line, _shows, args) => {
        expect(fish(await sandbox(), line)).toEqual([args.at(-1)]);
      });

      it('lists each profile once, no file names after a verb without files, and the streaming flags', async () => {
        const box = await sandbox();
        writeFileSync(join(box.dir, 'some-file.txt'), '');
        expect(fish(box, 'astra-token org switch ')).toEqual(['prod', 'staging team']);
        expect(fish(box, 'astra-token role list ')).toEqual([]);
        expect(fish(box, 'astra-token streaming token list --')).toEqual(
          expect.arrayContaining(['--streaming-api-url', '--tenant', '--cluster']),
        );
        expect(fish(box, 'astra-token ')).toEqual(
          expect.arrayContaining(['token', 'list', 'create', 'delete', 'rotate', 'prune', 'inspect', 'exec', 'audit']),
        );
        expect(fish(box, 'astra-token token create --output-file some')).toEqual(['some-file.txt']);
      });
    });
  },
);
