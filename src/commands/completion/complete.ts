// The answers behind the completion scripts: nouns, verbs and flags from the command tree itself, profile names
// from the local store, role names from the local cache. Never a network call; never an error on stdout.
import type { Command, Option } from 'commander';
import type { Context } from '../../context.js';
import { readRoleCache } from '../../config/role-cache.js';

type Source = (ctx: Context) => Promise<string[]>;

const profiles: Source = async (ctx) => {
  try {
    return (await ctx.config()).profiles.map((p) => p.name);
  } catch {
    return [];
  }
};
const roles: Source = async (ctx) => readRoleCache(ctx.configDir());

/** Option values worth completing, by long flag. */
const OPTION_VALUES: Record<string, Source> = {
  '--profile': profiles,
  '--role': roles,
  '--env': async () => ['prod', 'dev', 'test'],
  '--storage': async () => ['keyring', 'file'],
  '--to': async () => ['keyring', 'file'],
};

/** Positional arguments worth completing, by command path. */
const ARGUMENT_VALUES: Record<string, Source> = {
  'org switch': profiles,
  'org remove': profiles,
  'org storage': profiles,
  completion: async () => ['bash', 'zsh', 'fish'],
};

export async function complete(ctx: Context, shell: string, index: string, words: string[], _opts: unknown, command: Command): Promise<void> {
  const program = command.parent!;
  const at = Number(index);
  // words[0] is the program name; the word being completed is words[at] (may be missing: an empty word).
  const before = words.slice(1, at);
  const current = words[at] ?? '';

  let cmd = program;
  const path: string[] = [];
  let expectsValue: Option | undefined;
  for (const word of before) {
    if (expectsValue) {
      expectsValue = undefined;
      continue;
    }
    if (word.startsWith('-')) {
      const option = findOption(cmd, program, word);
      if (option && (option.required || option.optional) && !word.includes('=')) expectsValue = option;
      continue;
    }
    const sub = cmd.commands.find((c) => c.name() === word || c.aliases().includes(word));
    if (sub) {
      cmd = sub;
      path.push(sub.name());
    }
  }

  let candidates: string[];
  if (expectsValue) {
    const source = OPTION_VALUES[expectsValue.long ?? ''];
    candidates = source ? await source(ctx) : [];
  } else if (current.startsWith('-')) {
    candidates = [...visibleOptions(cmd), ...(cmd === program ? [] : visibleOptions(program))];
  } else if (cmd.commands.length > 0) {
    candidates = cmd.commands.filter((c) => !(c as unknown as { _hidden: boolean })._hidden && c.name() !== 'help').map((c) => c.name());
  } else {
    const source = ARGUMENT_VALUES[path.join(' ')];
    candidates = source ? await source(ctx) : [];
  }

  const matches = [...new Set(candidates)].filter((c) => c.startsWith(current)).sort();
  ctx.io.out.write(matches.map((m) => (shell === 'bash' ? bashEscape(m) : m)).join('\n') + (matches.length ? '\n' : ''));
}

function findOption(cmd: Command, program: Command, word: string): Option | undefined {
  const flag = word.split('=', 1)[0]!;
  for (let c: Command | null = cmd; c; c = c.parent) {
    const found = c.options.find((o) => o.long === flag || o.short === flag);
    if (found) return found;
  }
  return program.options.find((o) => o.long === flag || o.short === flag);
}

function visibleOptions(cmd: Command): string[] {
  return cmd.options.filter((o) => !o.hidden && o.long).map((o) => o.long!);
}

/** Bash inserts replies verbatim: spaces and slashes in role names must arrive escaped. */
function bashEscape(value: string): string {
  return value.replace(/([^A-Za-z0-9_\-.,:+@%=/])/g, '\\$1');
}
