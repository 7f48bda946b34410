// GitHub-flavoured Markdown for reports posted as a CI job summary or a pull-request comment. Text that came from
// the API (descriptions, role names) is escaped so that it cannot become markup, a link, a mention or a new row.

import { terminalSafe } from '../text/terminal.js';

/** U+200D ZERO WIDTH JOINER: invisible, and no character GitHub's link or mention rules accept where it stands. */
const ZWJ = '\u200d';

/**
 * One table cell: on one line, controls, escape sequences and bidi characters shown as escapes (the one terminal
 * sanitiser: the report is also read on a terminal), every character Markdown or HTML would act on escaped with a
 * backslash, and no text GitHub would turn into a link or a notification (see `unlinked`).
 */
export function mdText(value: string): string {
  return unlinked(
    terminalSafe(value.replace(/[\r\n\t]+/g, ' '))
      // Inside a table cell only inline syntax applies: emphasis, code, links, HTML, entities, strikethrough,
      // and the pipe that would start a new cell.
      .replace(/[\\`*_[\]<>|~&]/g, '\\$&'),
  );
}

/**
 * GitHub links `https://…`, `http://…`, `ftp://…`, `www.…` and `name@host` in plain text (GFM's autolink extension;
 * `name\@host` too), and links mentions `@user` / `@org/team` in the rendered HTML, where a backslash escape is gone:
 * a zero-width joiner after the `:` of `://`, inside `www.` and after every `@` leaves each as text that reads the same.
 */
function unlinked(text: string): string {
  return text
    .replace(/:\/\//g, `:${ZWJ}//`)
    .replace(/(www)\./gi, `$1${ZWJ}.`)
    .replace(/@/g, `@${ZWJ}`);
}

/** A table; every cell must already be escaped (mdText) or be markup of our own. */
export function mdTable(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}
