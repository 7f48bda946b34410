// The command tree. Registration modules import commander only; each verb's code is loaded when it runs, so
// `--help` and `--version` stay near bare-node start-up. Only the noun argv names is registered: the top-level
// help needs nothing but the nouns' names and summaries, which NOUNS keeps (a test holds it to the registration).
import { registerCompletion } from './completion/register.js';
import { registerDb } from './db/register.js';
import { registerEmulator } from './emulator/register.js';
import { registerOrg } from './org/register.js';
import { registerRole } from './role/register.js';
import { NOUN_SUMMARIES } from './nouns.js';
import { firstCommandWord } from './shortcuts.js';
import { registerStreaming } from './streaming/register.js';
import { registerToken } from './token/register.js';
import type { Program, VerbLoader } from './verb.js';

/** The nouns in help order: how the top-level help shows each (name and arguments), its summary, its registration. */
export const NOUNS: ReadonlyArray<{ term: string; summary: string; register: (program: Program, load: VerbLoader) => unknown }> = [
  { term: 'org', summary: NOUN_SUMMARIES.org, register: registerOrg },
  { term: 'token', summary: NOUN_SUMMARIES.token, register: registerToken },
  { term: 'role', summary: NOUN_SUMMARIES.role, register: registerRole },
  { term: 'db', summary: NOUN_SUMMARIES.db, register: registerDb },
  { term: 'streaming [options]', summary: NOUN_SUMMARIES.streaming, register: registerStreaming },
  {
    term: 'emulator [options]',
    summary: NOUN_SUMMARIES.emulator,
    register: registerEmulator,
  },
  { term: 'completion <shell>', summary: NOUN_SUMMARIES.completion, register: registerCompletion },
];

const nameOf = (term: string) => term.split(' ', 1)[0]!;

/**
 * Registers the noun `argv` names (`help <noun> ...` names one too), or, when it names none, only the nouns'
 * summaries for the top-level help. Anything else (no argv, `__complete`, an unknown word) gets the whole tree.
 * Shortcuts (`create` for `token create`) are expanded before: see expandShortcut.
 */
export function registerCommands(program: Program, load: VerbLoader, argv?: readonly string[]): void {
  let at = argv ? firstCommandWord(program, argv) : -1;
  if (argv && at >= 0 && argv[at] === 'help') at = at + 1 < argv.length ? at + 1 : -1;
  if (argv && at < 0) {
    // The summaries are never run: a word naming the noun would have registered it for real.
    for (const noun of NOUNS) program.command(noun.term).description(noun.summary);
    return;
  }
  const named = argv && NOUNS.find((noun) => nameOf(noun.term) === argv[at]);
  for (const noun of named ? [named] : NOUNS) noun.register(program, load);
}
