// Help text and prompts broken into lines that fit the terminal (80 columns when it is not one). Commander wraps
// the option and command lists itself; this wraps the rest: prose, examples, notes. Imports nothing.

/** The width help and prompts are wrapped to: the terminal's, or 80 when the stream is not one. */
export function helpWidth(isTTY: boolean, columns: number | undefined): number {
  return isTTY && columns !== undefined && columns >= 20 ? columns : 80;
}

const length = (s: string) => [...s].length;

/**
 * `text` fitted to `width`: a paragraph of prose with a line too wide is joined and filled again, any other line too
 * wide is broken at spaces; what fits is left as it is.
 */
export function wrapHelp(text: string, width: number): string {
  const out: string[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length;) {
    let end = i + 1;
    if (isProse(lines[i]!)) while (end < lines.length && isProse(lines[end]!) && indentOf(lines[end]!) === indentOf(lines[i]!)) end++;
    const group = lines.slice(i, end);
    if (group.every((line) => length(line) <= width)) out.push(...group);
    else if (group.length > 1) out.push(...fill(words(group.join(' '), false), width, indentOf(group[0]!), indentOf(group[0]!), ''));
    else out.push(...wrapLine(group[0]!, width));
    i = end;
  }
  return out.join('\n');
}

const indentOf = (line: string) => /^ */.exec(line)![0];

/** A line of running text: not blank, an example, a list item, a heading or a `term  description` row. */
function isProse(line: string): boolean {
  const body = line.trim();
  return body !== '' && !/^(\$ |- |\* |#)/.test(body) && !body.endsWith(':') && !/\S {2,}\S/.test(body);
}

function wrapLine(line: string, width: number): string[] {
  const indent = indentOf(line);
  const body = line.slice(indent.length);
  if (body.startsWith('$ ')) return wrapExample(indent, body, width);
  // The description of a `term  description` row continues under its first word; prose under the line's start.
  const row = /^(\S+(?: \S+)*? {2,})(\S.*)$/.exec(body);
  if (row && length(row[1]!) < width / 2)
    return fill(words(row[2]!, false), width, indent + row[1]!, indent + ' '.repeat(length(row[1]!)), '');
  return fill(words(body, false), width, indent, indent, '');
}

/**
 * A shell example: its comment (after `  # `) goes on a line of its own above it, and the command is broken only
 * outside quotes, each line but the last ending in ` \` so that it can still be pasted.
 */
function wrapExample(indent: string, body: string, width: number): string[] {
  const comment = /^(.*?\S)\s{2,}(# .*)$/.exec(body);
  const command = comment ? comment[1]! : body;
  const head = comment ? fill(words(comment[2]!.slice(2), false), width, `${indent}# `, `${indent}# `, '') : [];
  const lines =
    length(indent + command) <= width ? [indent + command] : fill(words(command, true), width - 2, indent, `${indent}    `, ' \\');
  return [...head, ...lines];
}

/**
 * A line of prose for a terminal, broken at spaces into lines of at most `width` characters: the first starts with
 * `indent`, the others with `indent` and two more spaces. A word longer than the width stays whole. No colour
 * inside: the caller colours each line.
 */
export function wrapText(text: string, width: number, indent = ''): string[] {
  return fill(words(text, false), width, indent, `${indent}  `, '');
}

/**
 * A question for a prompt, fitted to `width`: wrapped like help, with the room its answer starts in (the trailing
 * spaces, and `reserve` more, e.g. for ` [y/N] `) kept on its last line.
 */
export function fitPrompt(question: string, width: number, reserve = 0): string {
  const trailing = /\s*$/.exec(question)![0];
  const body = question.slice(0, question.length - trailing.length);
  return wrapHelp(body, Math.max(20, width - trailing.length - reserve)) + trailing;
}

/** Words split at spaces; with `shell`, a quoted string (spaces and all) stays one word. */
function words(text: string, shell: boolean): string[] {
  if (!shell) return text.split(' ').filter((w) => w !== '');
  const out: string[] = [];
  let word = '';
  let quote: string | undefined;
  for (const ch of text) {
    if (quote) {
      if (ch === quote) quote = undefined;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
    } else if (ch === ' ') {
      if (word !== '') out.push(word);
      word = '';
      continue;
    }
    word += ch;
  }
  if (word !== '') out.push(word);
  return out;
}

/** Greedy fill: `first` before the first line, `next` before the others, `end` after every line but the last. */
function fill(parts: string[], width: number, first: string, next: string, end: string): string[] {
  const lines: string[] = [];
  let line = first;
  let empty = true;
  for (const part of parts) {
    if (!empty && length(line) + 1 + length(part) > width) {
      lines.push(line + end);
      line = next + part;
    } else {
      line = empty ? line + part : `${line} ${part}`;
    }
    empty = false;
  }
  lines.push(line);
  return lines;
}
