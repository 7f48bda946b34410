// Each verb's help lists the global options; `help <noun> <verb>` is that verb's help.
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

describe('help', () => {
  it.each([
    ['token', 'list'],
    ['role', 'create'],
    ['org', 'add'],
    ['streaming', 'token', 'delete'],
  ])('%s %s --help lists the global options', async (...path) => {
    const r = await runCli([...path, '--help']);
    expect(r.code).toBe(0);
    const global = r.stdout.split(/^Global Options:$/m)[1] ?? '';
    for (const flag of [
      '--json',
      '-p, --profile <name>',
      '--token-file <path>',
      '--no-input',
      '-q, --quiet',
      '--debug',
      '--timeout <seconds>',
    ]) {
      expect(global).toContain(flag);
    }
  });

  it('`help token list` prints the help of token list', async () => {
    const viaHelp = await runCli(['help', 'token', 'list']);
    const viaFlag = await runCli(['token', 'list', '--help']);
    expect(viaHelp.code).toBe(0);
    expect(viaHelp.stdout).toContain('Usage: astra-token token list');
    expect(viaHelp.stdout).toBe(viaFlag.stdout);
  });

  it('`help` alone prints the top-level help; `token help list` still works', async () => {
    expect((await runCli(['help'])).stdout).toBe((await runCli(['--help'])).stdout);
    const r = await runCli(['token', 'help', 'list']);
    expect(r.stdout).toContain('Usage: astra-token token list');
  });

  it('`help` with an unknown command exits 2 naming it', async () => {
    const r = await runCli(['help', 'token', 'lisst']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe("error: help: 'token lisst' is not a command (Did you mean list?); see 'astra-token --help'\n");
  });
});
