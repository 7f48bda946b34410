// Every noun and verb explains itself: a one-line summary and at least one example in its --help.
import { Command } from '@commander-js/extra-typings';
import { describe, expect, it } from 'vitest';
import { NOUNS, registerCommands } from '../src/commands/index.js';
import type { VerbLoader } from '../src/commands/verb.js';
import { declareGlobalOptions } from '../src/global-options.js';
import { runCli } from './helpers/cli.js';

/** The program as main() builds it for this argv (the whole tree without one), with verbs that do nothing. */
function program(argv?: string[]) {
  const root = declareGlobalOptions(new Command('astra-token'));
  registerCommands(root, (() => async () => undefined) as unknown as VerbLoader, argv);
  return root;
}

function paths(): string[][] {
  const out: string[][] = [];
  const walk = (cmd: Command<unknown[], Record<string, unknown>, Record<string, unknown>>, prefix: string[]) => {
    for (const sub of cmd.createHelp().visibleCommands(cmd)) {
      if (sub.name() === 'help') continue;
      const path = [...prefix, sub.name()];
      out.push(path);
      walk(sub, path);
    }
  };
  walk(program(), []);
  return out;
}

describe('registration follows argv', () => {
  it('the top-level help from the noun summaries is the one the whole tree gives', () => {
    const full = program().helpInformation();
    expect(full).toContain('streaming [options]');
    for (const argv of [[], ['--help'], ['--json', '-p', 'prod', '--help']]) {
      const summaries = program(argv);
      expect(summaries.commands.every((c) => c.commands.length === 0)).toBe(true);
      expect(summaries.helpInformation()).toBe(full);
    }
    expect(NOUNS.map((n) => n.term.split(' ')[0])).toEqual(program().createHelp().visibleCommands(program()).map((c) => c.name()).filter((n) => n !== 'help'));
  });

  it.each([
    [['token', 'list'], ['token']],
    [['--profile', 'org', 'role', 'list'], ['role']],
    [['--timeout=5', '-q', 'streaming', 'token', 'list'], ['streaming']],
    [['completion', 'bash'], ['completion', '__complete']],
  ])('%j registers only the noun it names', (argv, nouns) => {
    expect(program(argv).commands.map((c) => c.name())).toEqual(nouns);
  });

  it.each([[['__complete', 'bash', '1', '--', 'astra-token', '']], [['help', 'token']], [['tokn', 'list']]])('%j registers the whole tree', (argv) => {
    expect(program(argv).commands.map((c) => c.name())).toEqual(program().commands.map((c) => c.name()));
  });

  it('completion sees every noun and verb, whatever argv named', async () => {
    const complete = async (words: string[]) =>
      (await runCli(['__complete', 'fish', String(words.length - 1), '--', ...words])).stdout.split('\n').filter(Boolean);
    const nouns = paths().filter((p) => p.length === 1).map((p) => p[0]!);
    expect(await complete(['astra-token', ''])).toEqual([...nouns].sort());
    for (const noun of nouns) {
      const verbs = paths().filter((p) => p.length === 2 && p[0] === noun).map((p) => p[1]!);
      if (verbs.length) expect(await complete(['astra-token', noun, ''])).toEqual([...verbs].sort());
    }
  });
});

describe('shared flags', () => {
  it('are spelled the same on every verb (from src/commands/options.ts)', () => {
    const spelled = new Map<string, Set<string>>();
    const walk = (cmd: Command<unknown[], Record<string, unknown>, Record<string, unknown>>) => {
      for (const o of cmd.options) if (o.long) spelled.set(o.long, new Set([...(spelled.get(o.long) ?? []), o.flags.replace(/ [<[].*$/, '')]));
      for (const sub of cmd.commands) walk(sub);
    };
    walk(program());
    expect([...spelled.get('--yes')!]).toEqual(['-y, --yes']);
    for (const flag of ['--dry-run', '--force', '--output-file']) expect([...spelled.get(flag)!]).toEqual([flag]);
  });
});

describe('--help of every command', () => {
  const all = paths();

  it('covers every noun', () => {
    expect(all.filter((p) => p.length === 1).map((p) => p[0]).sort()).toEqual(['completion', 'emulator', 'org', 'role', 'streaming', 'token']);
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
