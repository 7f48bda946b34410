import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };

describe('program', () => {
  it('prints the version of package.json', async () => {
    for (const flag of ['--version', '-V']) {
      const r = await runCli([flag]);
      expect(r.code).toBe(0);
      expect(r.stdout).toBe(`${pkg.version}\n`);
      expect(r.stderr).toBe('');
    }
  });

  it('lists the nouns org, token and role in --help, on stdout, exit 0', async () => {
    const r = await runCli(['--help']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('Usage: astra-token [options] [command]');
    const commands = r.stdout.slice(r.stdout.indexOf('\nCommands:\n'));
    for (const noun of ['org', 'token', 'role']) expect(commands).toMatch(new RegExp(`^  ${noun} {2,}\\S`, 'm'));
    for (const flag of [
      '--json',
      '--profile',
      '--token-file',
      '--api-url',
      '--env',
      '--no-color',
      '--no-input',
      '--quiet',
      '--debug',
      '--timeout',
    ]) {
      expect(r.stdout).toContain(flag);
    }
    expect(r.stdout).toContain('Examples:');
  });

  it('-h is --help', async () => {
    const long = await runCli(['--help']);
    const short = await runCli(['-h']);
    expect(short).toEqual(long);
  });

  it('no command at all shows the help on stdout and exits 0 (the help was asked for)', async () => {
    const r = await runCli([]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('Usage: astra-token [options] [command]');
    expect(r.stdout).toBe((await runCli(['--help'])).stdout);
  });

  it('refuses an unknown command with exit 2 and one line on stderr (piped)', async () => {
    const r = await runCli(['frobnicate']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe("error: unknown command 'frobnicate'; see 'astra-token --help'\n");
  });

  it('keeps the "did you mean" suggestion on the same single line', async () => {
    const r = await runCli(['tokn']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe("error: unknown command 'tokn' (Did you mean token?); see 'astra-token --help'\n");
  });

  it('on a TTY the one line may be coloured, but says the same', async () => {
    const r = await runCli(['frobnicate'], { tty: true });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    // eslint-disable-next-line no-control-regex -- ANSI escape sequences start with the control character ESC
    const plain = r.stderr.replace(/\u001b\[[0-9;]*m/g, '');
    expect(plain).toBe("error: unknown command 'frobnicate'; see 'astra-token --help'\n");
  });

  it('an unknown option is a usage error too', async () => {
    const r = await runCli(['--bogus']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe("error: unknown option '--bogus'; see 'astra-token --help'\n");
  });

  it('reports a usage error as one JSON object on stderr with --json, stdout empty', async () => {
    const r = await runCli(['frobnicate', '--json']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.endsWith('\n')).toBe(true);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(JSON.parse(r.stderr)).toEqual({
      error: { code: 'USAGE', message: "unknown command 'frobnicate'; see 'astra-token --help'" },
    });
  });

  it('--json before the command works the same', async () => {
    const r = await runCli(['--json', 'frobnicate'], { tty: true });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(JSON.parse(r.stderr)).toEqual({
      error: { code: 'USAGE', message: "unknown command 'frobnicate'; see 'astra-token --help'" },
    });
  });

  it('refuses a token-looking argument anywhere on the command line', async () => {
    const r = await runCli(['org', 'add', 'x', '--token', `AstraCS:${'a'.repeat(24)}:${'0'.repeat(64)}`]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('--token-file');
    expect(r.stderr).not.toContain('0'.repeat(64));
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});
