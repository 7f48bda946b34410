// Each verb's help lists the global options that apply to it; `help <noun> <verb>` is that verb's help.
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

describe('help', () => {
  const globalsOf = async (path: string[]) => {
    const r = await runCli([...path, '--help']);
    expect(r.code).toBe(0);
    const section = r.stdout.split(/^Global Options:$/m)[1]?.split(/\n\n/)[0] ?? '';
    return section
      .split('\n')
      .map((line) => /^ {2}((?:-\w, )?--?[\w-]+(?: <[\w-]+>)?)/.exec(line)?.[1])
      .filter((flag): flag is string => flag !== undefined);
  };
  const API = ['-p, --profile <name>', '--token-file <path>', '--api-url <url>', '--env <name>'];
  const REQUEST = ['--debug', '--timeout <seconds>'];
  const JSON_OUT = ['--json', '--fields <names>', '--jq <expr>'];

  it.each([
    ['token', 'delete'],
    ['role', 'delete'],
    ['org', 'add'],
    ['streaming', 'token', 'delete'],
  ])('%s %s --help (a verb that may ask) lists every global option but --version', async (...path) => {
    const flags = await globalsOf(path);
    expect(flags).toEqual(expect.arrayContaining([...API, ...JSON_OUT, '--no-input', '-q, --quiet', '--no-color', ...REQUEST]));
    expect(flags).not.toContain('-V, --version');
  });

  it('a verb lists only the global options that apply to it', async () => {
    const sorted = async (...path: string[]) => (await globalsOf(path)).sort();
    // Never asks: no --no-input.
    expect(await sorted('token', 'list')).toEqual([...API, ...JSON_OUT, '--no-color', '-q, --quiet', ...REQUEST].sort());
    // stdout is the command's: no --json.
    expect(await sorted('token', 'exec')).toEqual([...API, '--no-color', '-q, --quiet', ...REQUEST].sort());
    // Serves the API itself: no credential, no request options, nothing to ask.
    expect(await sorted('emulator')).toEqual([...JSON_OUT, '--no-color', '-q, --quiet'].sort());
    expect(await sorted('completion')).toEqual(['--no-color', '-q, --quiet'].sort());
    // Saved profiles only.
    expect(await sorted('org', 'list')).toEqual([...JSON_OUT, '--no-color', '-q, --quiet'].sort());
    // --revoke uses the profile's own credential and API.
    expect(await sorted('org', 'remove')).toEqual([...JSON_OUT, '--no-color', '--no-input', '-q, --quiet', ...REQUEST].sort());
  });

  it('the options a help leaves out are still accepted where they are given (before the subcommand too)', async () => {
    const before = await runCli(['--timeout', '5', '--no-input', 'completion', 'bash']);
    const after = await runCli(['completion', 'bash', '--timeout', '5', '--no-input']);
    expect([before.code, after.code]).toEqual([0, 0]);
    expect(after.stdout).toBe(before.stdout);
    expect(before.stdout).toContain('astra-token');
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
