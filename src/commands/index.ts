// The command tree. Registration modules import commander only; each verb's code is loaded when it runs, so
// `--help` and `--version` stay near bare-node start-up. Only the noun argv names is registered: the top-level
// help needs nothing but the nouns' names and summaries, which NOUNS keeps (a test holds it to the registration).
import { registerCompletion } from './completion/register.js';
import { registerEmulator } from './emulator/register.js';
import { registerOrg } from './org/register.js';
import { registerRole } from './role/register.js';
import { registerStreaming } from './streaming/register.js';
import { registerToken } from './token/register.js';
import type { Program, VerbLoader } from './verb.js';

/** The nouns in help order: how the top-level help shows each (name and arguments), its summary, its registration. */
export const NOUNS: ReadonlyArray<{ term: string; summary: string; register: (program: Program, load: VerbLoader) => unknown }> = [
  { term: 'org', summary: 'save, list and switch org credentials (profiles)', register: registerOrg },
  { term: 'token', summary: 'list, create, rotate, revoke and inspect application tokens', register: registerToken },
  { term: 'role', summary: 'list, inspect, create, update and delete the roles of the org', register: registerRole },
  { term: 'streaming [options]', summary: 'manage the Astra Streaming (Pulsar) tokens of a tenant', register: registerStreaming },
  {
    term: 'emulator [options]',
    summary: 'serve a local, stateful Astra DevOps API emulator (for trying the tool and testing scripts offline)',
    register: registerEmulator,
  },
  { term: 'completion <shell>', summary: 'print a shell completion script (bash, zsh or fish)', register: registerCompletion },
];

const nameOf = (term: string) => term.split(' ', 1)[0]!;

/**
 * Registers the noun `argv` names, or, when it names none, only the nouns' summaries for the top-level help.
 * Anything else (no argv, `help`, `__complete`, an unknown word) gets the whole tree.
 */
export function registerCommands(program: Program, load: VerbLoader, argv?: readonly string[]): void {
  const word = argv && firstCommandWord(program, argv);
  if (argv && word === undefined) {
    // The summaries are never run: a word naming the noun would have registered it for real.
    for (const noun of NOUNS) program.command(noun.term).description(noun.summary);
    return;
  }
  const named = NOUNS.find((noun) => nameOf(noun.term) === word);
  for (const noun of named ? [named] : NOUNS) noun.register(program, load);
}

/** The first word of argv that is neither a global option nor the value of one. */
function firstCommandWord(program: Program, argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i]!;
    if (word === '--') return argv[i + 1];
    if (!word.startsWith('-') || word === '-') return word;
    const option = program.options.find((o) => o.long === word || o.short === word);
    if (option?.required || option?.optional) i++;
  }
  return undefined;
}
