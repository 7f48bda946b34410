// Commands printed for the user to run (the step that finishes an interrupted rotation): quoted for a POSIX shell
// and carrying the global options this invocation was given, so that they run against the same org and API.
import type { Context } from '../../context.js';

/** Quotes one word for sh: left bare when it is plainly safe, single-quoted otherwise. */
export function shellQuote(word: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

export interface CliCommandOptions {
  /** Run with this token file instead of the credential options of this invocation. */
  tokenFile?: string;
}

/** The global options of this run that choose the credential and the API (argv words, after `astra-token`). */
export function globalArgs(ctx: Context, opts: CliCommandOptions = {}): string[] {
  const { globals } = ctx;
  const words: string[] = [];
  if (opts.tokenFile !== undefined) words.push('--token-file', opts.tokenFile);
  else {
    if (globals.tokenFile !== undefined) words.push('--token-file', globals.tokenFile);
    if (globals.profile !== undefined) words.push('--profile', globals.profile);
  }
  if (globals.apiUrl !== undefined) words.push('--api-url', globals.apiUrl);
  if (globals.env !== undefined) words.push('--env', globals.env);
  return words;
}

/** `astra-token <argv>`, quoted for a POSIX shell. */
export const shellLine = (argv: readonly string[]): string => ['astra-token', ...argv].map(shellQuote).join(' ');

/** `astra-token <global options of this run> <args>`, quoted. */
export function cliCommand(ctx: Context, args: readonly string[], opts: CliCommandOptions = {}): string {
  return shellLine([...globalArgs(ctx, opts), ...args]);
}
