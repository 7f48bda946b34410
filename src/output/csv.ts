// RFC 4180 CSV: CRLF line ends, a field quoted when it holds a comma, a quote, CR or LF, quotes doubled. Every field
// passes the one terminal sanitiser first, whether stdout is a terminal or a file: a file is read with `cat` or
// `less` too, and a spreadsheet needs no escape sequence. Line breaks and tabs are kept (quoted, they are data in
// CSV); escape sequences (OSC, CSI, ESC, BEL), other controls and bidi characters are shown as escapes (`\x1b`).
import { terminalSafe } from '../text/terminal.js';

/** A spreadsheet runs a cell that starts like a formula; user text that would is prefixed with `'` (OWASP). */
export function spreadsheetSafe(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

function field(raw: string): string {
  const value = terminalSafe(raw, { keepLines: true });
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** The header row, then one row per record, each ending in CRLF. */
export function toCsv(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  return [header, ...rows].map((row) => row.map(field).join(',') + '\r\n').join('');
}
