// GitHub-flavoured Markdown for reports posted as a CI job summary or a pull-request comment. Text that came from
// the API (descriptions, role names) is escaped so that it cannot become markup, a link, a mention or a new row.

import { terminalSafe } from '../text/terminal.js';

/**
 * One table cell: on one line, controls, escape sequences and bidi characters shown as escapes (the one terminal
 * sanitiser: the report is also read on a terminal), every character Markdown or HTML would act on escaped with a
 * backslash.
 */
export function mdText(value: string): string {
  return (
    terminalSafe(value.replace(/[\r\n\t]+/g, ' '))
      // Inside a table cell only inline syntax applies: emphasis, code, links, HTML, entities, strikethrough,
      // mentions, and the pipe that would start a new cell.
      .replace(/[\\`*_[\]<>|~@&]/g, '\\$&')
  );
}

/** A table; every cell must already be escaped (mdText) or be markup of our own. */
export function mdTable(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}
