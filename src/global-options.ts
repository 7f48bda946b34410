// The contract's global options, declared once: main() builds the program on them, and their type (every verb
// receives them with its own options) is derived from this declaration rather than written out a second time.
import type { Command } from '@commander-js/extra-typings';
import { choiceOption, secondsUpTo } from './commands/values.js';

/** The known APIs `--env` picks (their URLs: src/config/credentials.ts). */
export const API_ENVIRONMENTS = ['prod', 'dev', 'test'] as const;

/** `--timeout` without the flag, in milliseconds. */
export const DEFAULT_TIMEOUT_MS = 30_000;

export function declareGlobalOptions(program: Command) {
  return program
    .option('-p, --profile <name>', 'use this saved org profile (env: ASTRA_PROFILE)')
    .option('--token-file <path>', 'read the Astra token from a file (- = stdin)')
    .option('--api-url <url>', 'DevOps API base URL (env: ASTRA_API_URL)')
    .addOption(choiceOption('--env <name>', 'pick a known API: prod, dev or test', API_ENVIRONMENTS))
    .option('--json', 'machine output: one JSON document on stdout')
    .option('--fields <names>', 'implies --json: keep these keys of each object (a,b,...)')
    .option('--jq <expr>', 'implies --json: filter the JSON with a jq expression')
    .option('--no-color', 'no ANSI colour (env: NO_COLOR)')
    .option('--no-input', 'never prompt; fail with exit 2 where a prompt would be needed')
    .option('-q, --quiet', 'no progress or success messages on stderr')
    .option('--debug', 'HTTP trace on stderr, secrets redacted (env: ASTRA_TOKEN_DEBUG=1)')
    .option(
      '--timeout <seconds>',
      'per-request deadline in seconds (default 30)',
      secondsUpTo(3600, {
        notNumber: 'is not a number of seconds: give seconds, more than 0 and at most 3600 (e.g. 30, 2.5)',
        outOfRange: 'is out of range: give seconds, more than 0 and at most 3600 (e.g. 30, 2.5)',
      }),
    );
}

/** The root command, with the global options declared: what each noun's register function builds on. */
export type Program = ReturnType<typeof declareGlobalOptions>;
export type GlobalOptions = ReturnType<Program['opts']>;

/**
 * What a global option is for. A verb declares the groups it uses (`usesGlobals`) and its help lists only those
 * (plus --no-color and --quiet, which every verb honours); a verb that declares nothing lists them all. The options
 * are still accepted everywhere: they may stand before the subcommand, where nobody knows the verb yet.
 */
export type GlobalGroup = 'credential' | 'request' | 'json' | 'input';

/** By commander's attribute name (`--token-file` is `tokenFile`, `--no-input` is `input`). */
const GROUP_OF: Record<string, GlobalGroup> = {
  profile: 'credential',
  tokenFile: 'credential',
  apiUrl: 'credential',
  env: 'credential',
  timeout: 'request',
  debug: 'request',
  json: 'json',
  fields: 'json',
  jq: 'json',
  input: 'input',
};

const declaredUses = new WeakMap<object, ReadonlySet<GlobalGroup>>();

/** Declares the global options that apply to `command` (see GlobalGroup); returns it, for chaining. */
export function usesGlobals<C extends object>(command: C, ...groups: GlobalGroup[]): C {
  declaredUses.set(command, new Set(groups));
  return command;
}

/** Whether a global option (of an ancestor) belongs in `command`'s help. `--version` only on the top level. */
export function globalApplies(command: object, option: { attributeName(): string }): boolean {
  const name = option.attributeName();
  if (name === 'version') return false;
  const group = GROUP_OF[name];
  const uses = declaredUses.get(command);
  return group === undefined || uses === undefined || uses.has(group);
}
