// The one renderer: commands hand it records and column definitions and it prints a TTY table, tab-separated rows
// (piped: no header, no colour, no truncation) or JSON. Commands never format strings of their own for lists.
import type TableType from 'cli-table3';
import type { IO } from '../io.js';
import { terminalSafe, terminalSafeRecord } from '../text/terminal.js';

export { wrapText } from '../text/wrap.js';

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
   * May be shortened with an ellipsis so the table fits the terminal: `true` columns first (descriptions, role
   * lists), `'last'` ones (names) only when that was not enough.
   */
  flexible?: boolean | 'last';
  /** Only in a terminal's table (a coloured status that repeats what the piped columns already carry). */
  ttyOnly?: boolean;
}

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
      lines.push(piped.map((c) => plainCell(c.plain(row))).join('\t') + '\n');
      if (lines.length === PIPED_ROWS_PER_WRITE) ctx.io.out.write(lines.splice(0).join(''));
    }
    if (lines.length > 0) ctx.io.out.write(lines.join(''));
    return;
  }
  const wide = ctx.wide === true;
  const cell = (c: Column<T>) => (wide ? undefined : c.compact) ?? c.tty ?? c.plain;
  const cells = rows.map((row) => columns.map((c) => terminalSafe(cell(c)(row), { keepColour: true })));
  // --wide: every cell in full, whatever the terminal's width.
  const flexible = wide ? undefined : columns.map((c) => c.flexible ?? false);
  ctx.io.out.write(
    table(
      ctx.io,
      columns.map((c) => c.header),
      cells,
      flexible,
    ) + '\n',
  );
}

/** A record's value: one string, or a list (one item per line on a TTY, comma-joined piped). */
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
function table(io: IO, headers: string[], rows: string[][], flexible: Array<boolean | 'last'> | undefined): string {
  const gap = 2;
  const natural = headers.map((h, i) => Math.max(visibleLength(h), ...rows.map((r) => visibleLength(r[i] ?? ''))));
  const widths = flexible ? fitWidths(natural, flexible, io.columns - gap * (headers.length - 1)) : natural;
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

/**
 * Widths that make a row fit `available` characters. Shrinks the flexible columns (widest first) down to 8
 * characters, `'last'` ones only once the `true` ones are there; when that is not enough (fixed columns alone may
 * be wider than a narrow terminal), the least important go further: `true` columns, then `'last'`, then the fixed
 * ones, down to 1 character each. Only a terminal narrower than one character per column and the gaps overflows.
 */
export function fitWidths(natural: readonly number[], flexible: ReadonlyArray<boolean | 'last'>, available: number): number[] {
  const widths = [...natural];
  let excess = widths.reduce((a, b) => a + b, 0) - available;
  const steps: Array<[tier: boolean | 'last', floor: number]> = [
    [true, 8],
    ['last', 8],
    [true, 1],
    ['last', 1],
    [false, 1],
  ];
  for (const [tier, floor] of steps) {
    while (excess > 0) {
      let widest = -1;
      widths.forEach((w, i) => {
        if (flexible[i] === tier && w > floor && (widest < 0 || w > widths[widest]!)) widest = i;
      });
      if (widest < 0) break;
      const cut = Math.min(excess, widths[widest]! - floor, Math.max(1, Math.ceil(excess / 2)));
      widths[widest]! -= cut;
      excess -= cut;
    }
  }
  return widths;
}
