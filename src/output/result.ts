// What a verb's result puts on stdout in each output mode. A verb says what it has (the JSON value, the line a person
// or a script reads, or how it prints itself); the choice by --json / terminal / pipe is made here, not in the verb.
import type { IO } from '../io.js';
import type { ByMode, OutputMode } from './render.js';

type Out = { io: IO; output: OutputMode };

export interface Result {
  /** With --json: this value, as two-space JSON (one line with `jsonLine`). Left out: nothing on stdout. */
  json?: unknown;
  jsonLine?: boolean;
  /** Without --json: this line on stdout. */
  line?: string;
  /** Without --json: the result prints itself (a table, a report, stderr lines); by mode when a pipe reads it differently. */
  print?: (() => void) | ByMode<() => void>;
}

/** The exact stdout text of a result that has a JSON value or a line (what a file given the same result holds). */
export function resultText(ctx: Pick<Out, 'output'>, result: Pick<Result, 'json' | 'jsonLine' | 'line'>): string | undefined {
  if (ctx.output === 'json') {
    if (result.json === undefined) return undefined;
    return (result.jsonLine ? JSON.stringify(result.json) : JSON.stringify(result.json, null, 2)) + '\n';
  }
  return result.line === undefined ? undefined : result.line + '\n';
}

/** Prints a result in the mode of this invocation. */
export function renderResult(ctx: Out, result: Result): void {
  const { print } = result;
  if (ctx.output !== 'json' && print) return typeof print === 'function' ? print() : ctx.output === 'plain' ? print.plain() : print.tty();
  const text = resultText(ctx, result);
  if (text !== undefined) ctx.io.out.write(text);
}

/** An absent value in a record: a dim `-` on a terminal, empty piped. */
export function absentValue(ctx: { io: IO }): ByMode<string> {
  return { plain: '', tty: ctx.io.color.dim('-') };
}
