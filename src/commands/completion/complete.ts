// The answers behind the completion scripts: nouns, verbs and flags from the command tree itself, profile names
// from the local store, role and database names from local caches. Never a network call; never an error on stdout.
import type { CommandUnknownOpts as Command, Option } from '@commander-js/extra-typings';
import type { Context } from '../../context.js';
import { nameCacheKey, readDbCache, readRoleCache } from '../../config/role-cache.js';
import { isSafeName } from '../../domain/role-name.js';
import { TOKEN_SHORTCUTS, expandShortcut } from '../shortcuts.js';
import type { OptionsOf } from '../verb.js';
import type { CompletionVerbs } from './register.js';

/** `profile`: the one the line being typed names (`--profile x`), if any. */
type Source = (ctx: Context, line: { profile?: string }) => string[] | Promise<string[]>;

/** The reply that asks the shell script to complete file names instead (for flags that take a path). */
export const FILES = '__files__';

const profiles: Source = async (ctx) => {
  try {
    return (await ctx.config()).profiles.map((p) => p.name);
  } catch {
    return [];
  }
};
/** The cache key of the profile the completed command would use: --profile on the line, ASTRA_PROFILE, the current. */
async function orgOfLine(ctx: Context, line: { profile?: string }): Promise<string | undefined> {
  try {
    const config = await ctx.config();
    const name = line.profile ?? (ctx.env.ASTRA_PROFILE || undefined) ?? config.current;
    return nameCacheKey(config.profiles.find((p) => p.name === name));
  } catch {
    return undefined;
  }
}
const roles: Source = async (ctx, line) => readRoleCache(ctx.cacheDir(), await orgOfLine(ctx, line));
const databases: Source = async (ctx, line) => readDbCache(ctx.cacheDir(), await orgOfLine(ctx, line));
const files: Source = () => [FILES];

/**
 * Option values that come from outside the command tree (saved profiles, cached names, files), by long flag. A fixed
 * list of values is the option's own (`.choices()` in its declaration), read from the command being completed.
 */
const OPTION_VALUES: Record<string, Source> = {
  '--profile': profiles,
  '--role': roles,
  '--db': databases,
  '--token-file': files,
  '--output-file': files,
  '--state': files,
};

/** Positional arguments that name a saved profile, by command path (fixed lists are the argument's own choices). */
const ARGUMENT_VALUES: Record<string, Source> = {
  'org switch': profiles,
  'org remove': profiles,
  'org storage': profiles,
};

export async function complete(
  ctx: Context,
  shell: string,
  index: string,
  words: string[],
  _opts: OptionsOf<CompletionVerbs['complete']>,
  command: CompletionVerbs['complete'],
): Promise<void> {
  const program = command.parent!;
  const at = Number(index);
  // words[0] is the program name; the word being completed is words[at] (may be missing: an empty word).
  const before = expandShortcut(program, words.slice(1, at));
  const typed = words[at] ?? '';
  const unquoted = unquote(typed);
  const current = unquoted.text;
  let quote = unquoted.quote;

  let cmd = program;
  const path: string[] = [];
  let expectsValue: Option | undefined;
  // Positional arguments given to the command so far: a verb that takes one gets no more completions after it.
  let positionals = 0;
  const line: { profile?: string } = {};
  for (const word of before) {
    if (expectsValue) {
      // bash splits `--role=value` at the `=` (COMP_WORDBREAKS): `--role`, `=`, `value`; the value is still to come.
      if (word === '=') continue;
      if (expectsValue.long === '--profile') line.profile = unquote(word).text;
      expectsValue = undefined;
      continue;
    }
    if (word.startsWith('--profile=')) line.profile = unquote(word.slice('--profile='.length)).text;
    if (word.startsWith('-')) {
      const option = findOption(cmd, word);
      if (option && (option.required || option.optional) && !word.includes('=')) expectsValue = option;
      continue;
    }
    const sub = cmd.commands.find((c) => c.name() === word || c.aliases().includes(word));
    if (sub) {
      cmd = sub;
      path.push(sub.name());
      positionals = 0;
    } else {
      positionals++;
    }
  }

  // `--role=R/W` as one word (zsh, fish): complete the value, and answer with the whole word.
  let prefix = '';
  let value = current;
  const inline = !expectsValue && /^--[^=]+=/.exec(current);
  if (inline) {
    const option = findOption(cmd, inline[0].slice(0, -1));
    if (option && (option.required || option.optional) && typed.startsWith(inline[0])) {
      expectsValue = option;
      prefix = inline[0];
      ({ quote, text: value } = unquote(typed.slice(prefix.length)));
    }
  }
  // bash's `--role=<TAB>`: the word being completed is the `=` itself, which the answer replaces.
  if (expectsValue && current === '=' && before.at(-1)?.startsWith('--') && quote === '') {
    prefix = '=';
    value = '';
  }

  let candidates: string[];
  if (expectsValue) {
    const source = OPTION_VALUES[expectsValue.long ?? ''];
    candidates = expectsValue.argChoices ?? (source ? await source(ctx, line) : []);
  } else if (current.startsWith('-')) {
    candidates = ancestry(cmd).flatMap(visibleOptions);
  } else if (cmd.commands.length > 0) {
    candidates = cmd
      .createHelp()
      .visibleCommands(cmd)
      .filter((c) => c.name() !== 'help')
      .map((c) => c.name());
    if (cmd === program) candidates.push(...TOKEN_SHORTCUTS);
  } else {
    const takes = cmd.registeredArguments.some((a) => a.variadic) ? Infinity : cmd.registeredArguments.length;
    const source = positionals < takes ? ARGUMENT_VALUES[path.join(' ')] : undefined;
    const argument = cmd.registeredArguments[Math.min(positionals, cmd.registeredArguments.length - 1)];
    candidates = positionals < takes && argument?.argChoices ? argument.argChoices : source ? await source(ctx, line) : [];
  }

  if (candidates.includes(FILES)) {
    ctx.io.out.write(`${FILES}\n`);
    return;
  }
  // One candidate a line: a name with a line break would be read as two (one of them forged), and control or bidi
  // characters would reach the terminal as they are. Such a name is left out; it can still be typed.
  const matches = [...new Set(candidates)].filter((c) => c.startsWith(value) && isSafeName(c)).sort();
  const reply = (m: string) => (shell === 'bash' ? prefix + bashWord(m, quote) : prefix + m);
  ctx.io.out.write(matches.map(reply).join('\n') + (matches.length ? '\n' : ''));
}

/** The command and every command above it: their options all apply (global ones, `streaming --streaming-api-url`). */
function ancestry(cmd: Command): Command[] {
  const chain: Command[] = [];
  for (let c: Command | null = cmd; c; c = c.parent) chain.push(c);
  return chain;
}

function findOption(cmd: Command, word: string): Option | undefined {
  const flag = word.split('=', 1)[0]!;
  for (const c of ancestry(cmd)) {
    const found = c.options.find((o) => o.long === flag || o.short === flag);
    if (found) return found;
  }
  return undefined;
}

function visibleOptions(cmd: Command): string[] {
  return cmd.options.filter((o) => !o.hidden && o.long).map((o) => o.long!);
}

/**
 * The word being completed as the shell handed it over: an opened quote (`"R/W `) or backslash escapes (`R/W\ U`)
 * are the user's quoting, not part of the value.
 */
function unquote(word: string): { quote: '"' | "'" | ''; text: string } {
  const first = word[0];
  if (first === '"' || first === "'") {
    const body = word.slice(1);
    const closed = body.endsWith(first) ? body.slice(0, -1) : body;
    return { quote: first, text: first === '"' ? closed.replace(/\\(["\\$`])/g, '$1') : closed };
  }
  return { quote: '', text: word.replace(/\\(.)/g, '$1') };
}

/**
 * Bash inserts replies verbatim in place of the word: inside an opened quote, the value closed by the same quote;
 * otherwise spaces and other specials escaped with a backslash.
 */
function bashWord(value: string, quote: '"' | "'" | ''): string {
  if (quote === "'") return `'${value.replace(/'/g, `'\\''`)}'`;
  if (quote === '"') return `"${value.replace(/(["\\$`])/g, '\\$1')}"`;
  return value.replace(/([^A-Za-z0-9_\-.,:+@%=/])/g, '\\$1');
}
