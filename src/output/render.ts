// The one renderer: commands hand it records and column definitions and it prints a TTY table, tab-separated rows
// (piped: no header, no colour, no truncation) or JSON. Commands never format strings of their own for lists.
import type TableType from 'cli-table3';
import type { IO } from '../io.js';
import { terminalSafe, terminalSafeRecord } from '../text/terminal.js';
import { wrapText } from '../text/wrap.js';

export { wrapText };

/**
 * Between the items of a list inside one piped cell (a token's role names): the ASCII unit separator, U+001F. Role
 * names may hold any printable character (`,`, `;`, `|`, spaces), but never a control character, and a cell can
 * hold neither a tab (the column separator) nor a line break (the row separator): this is the one separator a name
 * can never contain that keeps the row format. Split with `awk -F'\x1f'`, `tr '\037' '\n'` or `IFS=$'\x1f'`.
 */
export const PIPED_LIST_SEPARATOR = '\x1f';

/** A list as one piped cell: each item made safe on its own, then joined with PIPED_LIST_SEPARATOR. */
export function plainList(items: readonly string[]): string {
  return items.map((item) => terminalSafe(item)).join(PIPED_LIST_SEPARATOR);
}

let Table: typeof TableType | undefined;

/**
 * cli-table3 takes ~9 ms to load and only a terminal needs it: main() loads it before a verb runs when stdout is a
 * TTY, so JSON and piped output never pay for it.
 */
export async function loadTableRenderer(): Promise<void> {
  Table ??= (await import('cli-table3')).default;
}

export interface Column<T> {
  header: string;
  /** The exact value for piped output (ISO-8601 UTC times, nothing truncated). */
  plain: (row: T) => string;
  /** The cell on a TTY (local times, colour); defaults to `plain`. Also the cell with --wide. */
  tty?: (row: T) => string;
  /** A narrower TTY cell (`2026-12-31`, `in 30d`) used unless --wide; defaults to `tty`. */
  compact?: (row: T) => string;
  /**
   * May be shortened with an ellipsis so the table fits the terminal: `'id'` columns first (a role's or database's
   * 36-character id, which a prefix still tells apart), then `true` ones (descriptions, role lists), `'last'` ones
   * (names, what a flag like `--role` takes) only when that was not enough. `'wrap'`: never shortened, its text
   * wraps onto more lines instead (an audit finding); it gives up width along with the `true` columns.
   */
  flexible?: Flexible;
  /** Only in a terminal's table (a coloured status that repeats what the piped columns already carry). */
  ttyOnly?: boolean;
  /** `plain` is a list (role names), joined with PIPED_LIST_SEPARATOR by the piped output; a cell otherwise. */
  plainList?: (row: T) => readonly string[];
  /** First in a terminal's table (the NAME a person reads and types), wherever it stands in the piped columns. */
  ttyFirst?: boolean;
}

export type Flexible = boolean | 'last' | 'id' | 'wrap';

export type OutputMode = 'json' | 'table' | 'plain';

/** What a renderer needs of a command's context; `wide`: full cells, nothing shortened (`--wide`). */
export type ListOutput = { io: IO; output: OutputMode; wide?: boolean };
type Out = ListOutput;

const PIPED_ROWS_PER_WRITE = 1000;

/** Prints a list: JSON gets `json` (a top-level array), the other modes get the columns. */
export function renderList<T>(ctx: Out, records: readonly T[], columns: readonly Column<T>[], json: unknown, empty?: string): void {
  if (ctx.output === 'json') return writeJson(ctx.io, json);
  // The data is made safe before the columns format (and colour) it; JSON above keeps exact values.
  const rows = records.map((r) => terminalSafeRecord(r));
  if (rows.length === 0) {
    if (empty && ctx.io.isStderrTTY) ctx.io.info(empty);
    return;
  }
  if (ctx.output === 'plain') {
    const piped = columns.filter((c) => !c.ttyOnly);
    // One write per block of rows, not per row: 10 000 tokens are 10 000 rows.
    const lines: string[] = [];
    for (const row of rows) {
      lines.push(piped.map((c) => (c.plainList ? plainList(c.plainList(row)) : plainCell(c.plain(row)))).join('\t') + '\n');
      if (lines.length === PIPED_ROWS_PER_WRITE) ctx.io.out.write(lines.splice(0).join(''));
    }
    if (lines.length > 0) ctx.io.out.write(lines.join(''));
    return;
  }
  const wide = ctx.wide === true;
  const shown = [...columns.filter((c) => c.ttyFirst), ...columns.filter((c) => !c.ttyFirst)];
  const cell = (c: Column<T>) => (wide ? undefined : c.compact) ?? c.tty ?? c.plain;
  const cells = rows.map((row) => shown.map((c) => terminalSafe(cell(c)(row), { keepColour: true })));
  // --wide: every cell in full, whatever the terminal's width.
  const flexible = wide ? undefined : shown.map((c) => c.flexible ?? false);
  ctx.io.out.write(
    table(
      ctx.io,
      shown.map((c) => c.header),
      cells,
      flexible,
    ) + '\n',
  );
}

/** A record's value: one string, or a list (one item per line on a TTY, comma-joined piped: actions, resources). */
export type FieldValue = string | readonly string[];

/** A value that reads differently on a terminal (local time, colour, a dim `-`) than piped (exact, ISO-8601 UTC). */
export interface ByMode<V> {
  plain: V;
  tty: V;
}

const isByMode = <V>(value: V | ByMode<V>): value is ByMode<V> => typeof value === 'object' && value !== null && 'plain' in value;

/**
 * Prints one record: label/value lines on a TTY, `label<TAB>value` piped, `json` with --json. A value that quotes
 * API or file text passes it through `terminalSafe` (or `printable`) where it is built: only the tool's own colour
 * is kept here.
 */
export function renderRecord(ctx: Out, fields: ReadonlyArray<readonly [string, FieldValue | ByMode<FieldValue>]>, json: unknown): void {
  if (ctx.output === 'json') return writeJson(ctx.io, json);
  if (ctx.output === 'plain') {
    for (const [label, field] of fields) {
      const value = isByMode(field) ? field.plain : field;
      const text = typeof value === 'string' ? value : value.join(',');
      ctx.io.out.write(`${label}\t${plainCell(text)}\n`);
    }
    return;
  }
  const width = Math.max(...fields.map(([label]) => label.length)) + 2;
  for (const [label, field] of fields) {
    const value = isByMode(field) ? field.tty : field;
    const head = ctx.io.color.bold(`${label}:`.padEnd(width));
    if (typeof value === 'string') {
      ctx.io.out.write(`${head}${terminalSafe(value, { keepColour: true })}\n`);
    } else if (value.length === 0) {
      ctx.io.out.write(`${head}${ctx.io.color.dim('(none)')}\n`);
    } else {
      // Lists one item per line on a TTY: actions and resources are long.
      value.forEach((item, i) => ctx.io.out.write(`${i === 0 ? head : ' '.repeat(width)}${terminalSafe(item, { keepColour: true })}\n`));
    }
  }
}

export function writeJson(io: IO, value: unknown): void {
  io.out.write(JSON.stringify(value, null, 2) + '\n');
}

/** Tabs and line breaks inside a value would break the row format of piped output; escapes never reach it. */
function plainCell(value: string): string {
  return terminalSafe(value);
}

// eslint-disable-next-line no-control-regex -- matches the ESC of an SGR colour code to measure visible width
const ANSI = /\u001b\[[0-9;]*m/g;
const visibleLength = (s: string) => [...s.replace(ANSI, '')].length;

const NO_BORDERS = {
  top: '',
  'top-mid': '',
  'top-left': '',
  'top-right': '',
  bottom: '',
  'bottom-mid': '',
  'bottom-left': '',
  'bottom-right': '',
  left: '',
  'left-mid': '',
  mid: '',
  'mid-mid': '',
  right: '',
  'right-mid': '',
  middle: '  ',
};

/** `flexible` undefined: nothing is shortened (--wide). */
function table(io: IO, headers: string[], rows: string[][], flexible: Flexible[] | undefined): string {
  const gap = 2;
  const natural = headers.map((h, i) => Math.max(visibleLength(h), ...rows.map((r) => visibleLength(r[i] ?? ''))));
  const widths = flexible ? fitWidths(natural, flexible, io.columns - gap * (headers.length - 1)) : natural;
  // A `'wrap'` column's cells are broken into lines of its width rather than cut (a word longer than that is split).
  if (flexible)
    for (const row of rows)
      flexible.forEach((f, i) => {
        if (f === 'wrap' && visibleLength(row[i] ?? '') > widths[i]!) row[i] = wrapCell(row[i]!, widths[i]!);
      });
  if (!Table) throw new Error('the table renderer was not loaded (loadTableRenderer)');
  const t = new Table({
    head: headers.map((h) => io.color.bold(h)),
    chars: NO_BORDERS,
    // Empty styles: cli-table3 colours headers and borders by default, even when piped.
    style: { head: [], border: [], 'padding-left': 0, 'padding-right': 0, compact: true },
    colWidths: widths,
    truncate: '…',
    wordWrap: false,
  });
  for (const row of rows) t.push(row);
  return t
    .toString()
    .split('\n')
    .map((line) => line.trimEnd())
    .join('\n');
}

/** A cell's text in lines of at most `width` characters, broken at spaces (a longer word is split). */
function wrapCell(text: string, width: number): string {
  return wrapText(text, width)
    .map((line, i) => (i === 0 ? line : line.slice(2)))
    .flatMap((line) => {
      if (visibleLength(line) <= width) return [line];
      const chars = [...line];
      const parts: string[] = [];
      for (let at = 0; at < chars.length; at += width) parts.push(chars.slice(at, at + width).join(''));
      return parts;
    })
    .join('\n');
}

/**
 * The shrinking order, each kind of column down to a floor: ids, descriptions and wrapped text to 8 (wrapped text to
 * 16: it takes more lines, never loses words), then ids and descriptions to 1; names only after that, and text that
 * wraps and fixed columns last of all.
 */
const STEPS: ReadonlyArray<[kind: Flexible, floor: number]> = [
  ['id', 8],
  [true, 8],
  ['wrap', 16],
  ['id', 1],
  [true, 1],
  ['last', 8],
  ['wrap', 8],
  ['last', 1],
  ['wrap', 1],
  [false, 1],
];

/**
 * Widths that make a row fit `available` characters, shrinking the widest column of each kind in STEPS' order: a
 * name is never cut before the ids and descriptions beside it are. Only a terminal narrower than one character per
 * column and the gaps overflows.
 */
export function fitWidths(natural: readonly number[], flexible: readonly Flexible[], available: number): number[] {
  const widths = [...natural];
  let excess = widths.reduce((a, b) => a + b, 0) - available;
  for (const [kind, floor] of STEPS) {
    while (excess > 0) {
      let widest = -1;
      widths.forEach((w, i) => {
        if ((flexible[i] ?? false) === kind && w > floor && (widest < 0 || w > widths[widest]!)) widest = i;
      });
      if (widest < 0) break;
      const cut = Math.min(excess, widths[widest]! - floor, Math.max(1, Math.ceil(excess / 2)));
      widths[widest]! -= cut;
      excess -= cut;
    }
  }
  return widths;
}
