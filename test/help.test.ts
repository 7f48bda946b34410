// Every noun and verb explains itself: a one-line summary and at least one example in its --help.
import type { CommandUnknownOpts } from '@commander-js/extra-typings';
import { describe, expect, it } from 'vitest';
import { NOUNS } from '../src/commands/index.js';
import { TOKEN_SHORTCUTS } from '../src/commands/shortcuts.js';
import { runCli } from './helpers/cli.js';
import { commandPaths, commandTree as program } from './helpers/tree.js';

function paths(): string[][] {
  return commandPaths().map((c) => c.path);
}

describe('registration follows argv', () => {
  /** What `--help` prints for this program: commander's part and the texts added after it (credentials, shortcuts). */
  const helpOf = (argv?: string[]) => {
    let text = '';
    program(argv, (s) => (text += s)).outputHelp();
    return text;
  };
  const nouns = (argv?: string[]) =>
    program(argv)
      .commands.map((c) => c.name())
      .filter((n) => n !== 'help');

  it('the top-level help from the noun summaries is the one the whole tree gives, shortcuts and global options included', () => {
    const full = helpOf();
    for (const part of ['streaming [options]', 'db ', 'help [command...]', 'Shortcuts', '  create   = token create', '--timeout <seconds>'])
      expect(full).toContain(part);
    for (const argv of [[], ['--help'], ['--json', '-p', 'prod', '--help'], ['help']]) {
      expect(program(argv).commands.every((c) => c.commands.length === 0)).toBe(true);
      expect(helpOf(argv)).toBe(full);
    }
    expect(NOUNS.map((n) => n.term.split(' ')[0])).toEqual(
      program()
        .createHelp()
        .visibleCommands(program())
        .map((c) => c.name())
        .filter((n) => n !== 'help'),
    );
  });

  it.each([
    [['token', 'list'], ['token']],
    [['--profile', 'org', 'role', 'list'], ['role']],
    [['--timeout=5', '-q', 'streaming', 'token', 'list'], ['streaming']],
    [
      ['completion', 'bash'],
      ['completion', '__complete'],
    ],
    [['db', 'list'], ['db']],
    [['help', 'token', 'list'], ['token']],
    [['-q', 'create', '--role', 'R/W User'], ['token']],
    [['help', 'exec'], ['token']],
  ])('%j registers only the noun it names', (argv, named) => {
    expect(nouns(argv)).toEqual(named);
  });

  it.each([[['__complete', 'bash', '1', '--', 'astra-token', '']], [['help', 'tokn']], [['tokn', 'list']]])(
    '%j registers the whole tree',
    (argv) => {
      expect(nouns(argv)).toEqual(nouns());
    },
  );

  it('completion sees every noun and verb, whatever argv named', async () => {
    const complete = async (words: string[]) =>
      (await runCli(['__complete', 'fish', String(words.length - 1), '--', ...words])).stdout.split('\n').filter(Boolean);
    const nouns = paths()
      .filter((p) => p.length === 1)
      .map((p) => p[0]!);
    expect(await complete(['astra-token', ''])).toEqual([...nouns, ...TOKEN_SHORTCUTS].sort());
    for (const noun of nouns) {
      const verbs = paths()
        .filter((p) => p.length === 2 && p[0] === noun)
        .map((p) => p[1]!);
      if (verbs.length) expect(await complete(['astra-token', noun, ''])).toEqual([...verbs].sort());
    }
  });
});

describe('shared flags', () => {
  it('are spelled the same on every verb (from src/commands/options.ts)', () => {
    const spelled = new Map<string, Set<string>>();
    const walk = (cmd: CommandUnknownOpts) => {
      for (const o of cmd.options)
        if (o.long) spelled.set(o.long, new Set([...(spelled.get(o.long) ?? []), o.flags.replace(/ [<[].*$/, '')]));
      for (const sub of cmd.commands) walk(sub);
    };
    walk(program());
    expect([...spelled.get('--yes')!]).toEqual(['-y, --yes']);
    for (const flag of ['--dry-run', '--force', '--output-file', '--wide']) expect([...spelled.get(flag)!]).toEqual([flag]);
  });
});

describe('--help of every command', () => {
  const all = paths();

  it('covers every noun', () => {
    expect(
      all
        .filter((p) => p.length === 1)
        .map((p) => p[0])
        .sort(),
    ).toEqual(['completion', 'db', 'emulator', 'org', 'role', 'streaming', 'token']);
  });

  it.each(all.map((p) => [p.join(' '), p]))('%s has a summary and an example', async (_name, path) => {
    const r = await runCli([...path, '--help']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const summary = r.stdout.split('\n')[2] ?? '';
    expect(summary.trim().length).toBeGreaterThan(10);
    expect(r.stdout).toMatch(/Examples?:\n\s+\$ astra-token /);
  });
});
