// Flags several verbs share, declared once so they are spelled (and explained) the same everywhere.
import type { Command } from 'commander';

/** `--wide` on list verbs: the full table (long dates, nothing shortened), like `kubectl -o wide`. */
export const WIDE_FLAG = ['--wide', 'on a terminal: full dates and cells, wider than the terminal if need be'] as const;

export function wideOption(command: Command): Command {
  return command.option(...WIDE_FLAG);
}

/** `-y, --yes` on every verb that asks before it changes something. */
export function yesOption(command: Command, description: string): Command {
  return command.option('-y, --yes', description);
}
