// Flags that several verbs share, declared once so that every verb spells them the same way (`-y, --yes`
// everywhere). Each verb still says in its own words what the flag does there.
import { Option } from '@commander-js/extra-typings';
import type { Context } from '../context.js';
import type { ListOutput } from '../output/render.js';

export const yesOption = (description = 'do not ask for confirmation') => new Option('-y, --yes', description);

export const dryRunOption = (description = 'show what would be done and change nothing') => new Option('--dry-run', description);

export const forceOption = (description: string) => new Option('--force', description);

export const outputFileOption = (description = 'write the token to this new file (mode 0600) instead of stdout') =>
  new Option('--output-file <path>', description);

/** `--wide` on list verbs: the full table (long dates, nothing shortened), like `kubectl -o wide`. */
export const wideOption = () => new Option('--wide', 'on a terminal: full dates and cells, wider than the terminal if need be');

/**
 * What a list verb renders with: its context's output, and `--wide` read from the verb's own options under the name
 * the declaration gives it (options without it, e.g. after a rename, do not compile).
 */
export function listOutput<O extends { wide?: true }>(
  ctx: Pick<Context, 'io' | 'output'>,
  options: O & ('wide' extends keyof O ? unknown : { wide: true }),
): ListOutput {
  return { io: ctx.io, output: ctx.output, wide: options.wide === true };
}

/** Commands whose stdout is not a JSON document (it belongs to a child process, or holds a script). */
const withoutJson = new WeakSet<object>();

/** Marks a verb that prints no JSON: `--fields` and `--jq` are refused there. */
export function noJsonOutput<C extends object>(command: C): C {
  withoutJson.add(command);
  return command;
}

export const hasJsonOutput = (command: object): boolean => !withoutJson.has(command);
