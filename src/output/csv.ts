// RFC 4180 CSV: CRLF line ends, a field quoted when it holds a comma, a quote, CR or LF, quotes doubled.

/** A spreadsheet runs a cell that starts like a formula; user text that would is prefixed with `'` (OWASP). */
export function spreadsheetSafe(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

function field(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** The header row, then one row per record, each ending in CRLF. */
export function toCsv(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  return [header, ...rows].map((row) => row.map(field).join(',') + '\r\n').join('');
}
