// `astra-token create ...` means `astra-token token create ...`: the verbs users of a tool named astra-token type
// first. One table; a new token verb becomes a shortcut with one line here.
import type { CommandUnknownOpts as Command } from '@commander-js/extra-typings';

export const TOKEN_SHORTCUTS: readonly string[] = ['list', 'create', 'delete', 'rotate', 'prune', 'inspect', 'exec', 'audit'];

/** The "Shortcuts" section of the top-level help. */
export function shortcutsHelp(): string {
  const width = Math.max(...TOKEN_SHORTCUTS.map((v) => v.length));
  return `Shortcuts (same flags and help as the token verb):\n${TOKEN_SHORTCUTS.map((v) => `  ${v.padEnd(width)}  = token ${v}`).join('\n')}`;
}

/**
 * Where the command words start in `words` (after the global options and their values), or -1 when there are none.
 * Options are read as commander reads them: `--opt=value`, `-pVALUE`, and combined short flags (`-qp NAME`: `-q`,
 * then `-p` taking the next word).
 */
export function firstCommandWord(program: Command, words: readonly string[]): number {
  const takesValue = (flag: string) => {
    const option = program.options.find((o) => o.long === flag || o.short === flag);
    return option !== undefined && (option.required || option.optional);
  };
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    if (word === '--') return i + 1 < words.length ? i + 1 : -1;
    if (!word.startsWith('-') || word === '-') return i;
    if (word.startsWith('--')) {
      if (!word.includes('=') && takesValue(word)) i++;
      continue;
    }
    // `-qp NAME`, `-pNAME`, `-p NAME`: short flags one by one until one takes a value (the rest of the word, or the next).
    for (let c = 1; c < word.length; c++) {
      if (!takesValue(`-${word[c]!}`)) continue;
      if (c === word.length - 1) i++;
      break;
    }
  }
  return -1;
}

/** argv with a shortcut expanded (`create` -> `token create`, `help create` -> `help token create`). */
export function expandShortcut(program: Command, argv: readonly string[]): string[] {
  const out = [...argv];
  let at = firstCommandWord(program, out);
  if (at < 0) return out;
  if (out[at] === 'help' && at + 1 < out.length) at += 1;
  if (TOKEN_SHORTCUTS.includes(out[at]!)) out.splice(at, 0, 'token');
  return out;
}
