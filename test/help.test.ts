// Every noun and verb explains itself: a one-line summary and at least one example in its --help.
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { registerCommands } from '../src/commands/index.js';
import { runCli } from './helpers/cli.js';

function paths(): string[][] {
  const program = new Command('astra-token');
  registerCommands(program, () => async () => undefined);
  const out: string[][] = [];
  const walk = (cmd: Command, prefix: string[]) => {
    for (const sub of cmd.commands) {
      if ((sub as unknown as { _hidden: boolean })._hidden) continue;
      const path = [...prefix, sub.name()];
      out.push(path);
      walk(sub, path);
    }
  };
  walk(program, []);
  return out;
}

describe('--help of every command', () => {
  const all = paths();

  it('covers every noun', () => {
    expect(all.filter((p) => p.length === 1).map((p) => p[0]).sort()).toEqual(['completion', 'db', 'emulator', 'org', 'role', 'streaming', 'token']);
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
