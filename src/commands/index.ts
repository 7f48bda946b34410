// The command tree. Registration modules import commander only; each verb's code is loaded when it runs, so
// `--help` and `--version` stay near bare-node start-up. Only the noun argv names is registered: the top-level
// help needs nothing but the nouns' names and summaries, which NOUNS keeps (a test holds it to the registration).
import { registerCompletion, SUMMARY as COMPLETION_SUMMARY } from './completion/register.js';
import { registerDb, SUMMARY as DB_SUMMARY } from './db/register.js';
import { registerEmulator, SUMMARY as EMULATOR_SUMMARY } from './emulator/register.js';
import { registerOrg, SUMMARY as ORG_SUMMARY } from './org/register.js';
import { registerRole, SUMMARY as ROLE_SUMMARY } from './role/register.js';
import { firstCommandWord } from './shortcuts.js';
import { registerStreaming, SUMMARY as STREAMING_SUMMARY } from './streaming/register.js';
import { registerToken, SUMMARY as TOKEN_SUMMARY } from './token/register.js';
import type { Program, VerbLoader } from './verb.js';
import { jsonFieldsHelp } from '../output/json-fields.js';
import type { CommandUnknownOpts } from '@commander-js/extra-typings';

/** The nouns in help order: how the top-level help shows each (name and arguments), its summary, its registration. */
export const NOUNS: ReadonlyArray<{ term: string; summary: string; register: (program: Program, load: VerbLoader) => unknown }> = [
  { term: 'org', summary: ORG_SUMMARY, register: registerOrg },
  { term: 'token', summary: TOKEN_SUMMARY, register: registerToken },
  { term: 'role', summary: ROLE_SUMMARY, register: registerRole },
  { term: 'db', summary: DB_SUMMARY, register: registerDb },
  { term: 'streaming [options]', summary: STREAMING_SUMMARY, register: registerStreaming },
  {
    term: 'emulator [options]',
    summary: EMULATOR_SUMMARY,
    register: registerEmulator,
  },
  { term: 'completion <shell>', summary: COMPLETION_SUMMARY, register: registerCompletion },
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
  addJsonFieldsHelp(program, []);
}

/** Each verb's --help lists the fields of its JSON document (what --fields and --jq can name). */
function addJsonFieldsHelp(command: CommandUnknownOpts, path: readonly string[]): void {
  for (const sub of command.commands) {
    const words = [...path, sub.name()];
    const help = jsonFieldsHelp(words.join(' '));
    if (help !== undefined) sub.addHelpText('after', help);
    addJsonFieldsHelp(sub, words);
  }
}
