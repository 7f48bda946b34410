// `astra-token help <topic>`: exit codes, environment, formats, and the reference (every command and option as
// Markdown). The tables come from the code that acts on them (EXIT_CODES and ERROR_MEANINGS of the one error
// classifier, ENVIRONMENT) and the reference from the command tree itself, so none of them can drift. `npm run docs`
// writes the reference to docs/reference/.
import type { CommandUnknownOpts as Command } from '@commander-js/extra-typings';
import { ENVIRONMENT } from '../environment.js';
import { ERROR_MEANINGS, EXIT_CODES, type ErrorCode } from '../errors.js';
import { TOKEN_SHORTCUTS } from './shortcuts.js';

/** Exit codes with what they mean and the `error.code` strings `--json` errors carry. */
function exitCodeRows(): Array<{ exit: number; meaning: string; codes: ErrorCode[] }> {
  const rows = new Map<number, { exit: number; meaning: string; codes: ErrorCode[] }>();
  for (const [code, exit] of Object.entries(EXIT_CODES) as Array<[ErrorCode, number]>) {
    const row = rows.get(exit);
    if (row) {
      row.codes.push(code);
      row.meaning += `; ${ERROR_MEANINGS[code]}`;
    } else rows.set(exit, { exit, meaning: ERROR_MEANINGS[code], codes: [code] });
  }
  return [{ exit: 0, meaning: 'success (also --help, --version, --if-exists on a missing token)', codes: [] }, ...rows.values()].sort(
    (a, b) => a.exit - b.exit,
  );
}

const EXEC_NOTE =
  "token exec exits with the command's own code once the command has started (128 + the signal number when a signal ended it), 127 when the command is not found and 126 when it cannot be run.";

function exitCodesText(): string {
  const rows = exitCodeRows();
  const lines = rows.map((r) => `  ${String(r.exit).padStart(3)}  ${r.meaning}${r.codes.length ? ` (${r.codes.join(', ')})` : ''}`);
  return `Exit codes of astra-token (with --json, errors carry the code in parentheses as error.code):\n\n${lines.join('\n')}\n\n${EXEC_NOTE}\n`;
}

function environmentText(): string {
  const lines = ENVIRONMENT.map((v) => `  ${v.name}\n      ${v.meaning}`);
  return `Environment variables astra-token reads (a flag wins over its variable):\n\n${lines.join('\n')}\n`;
}

const FORMATS_TEXT = `Output formats.

On a terminal: aligned tables with headers, local times and colour, the NAME
first; an id is cut before a name is, and --wide shows every cell in full.
Piped: tab-separated rows, no header, no colour, ISO-8601 UTC times, nothing cut.
A list in one piped field (a token's roles) is joined with the unit separator
U+001F, which no role name can hold; a deleted role reads "(deleted) <id>".
Data goes to stdout; progress, warnings and errors to stderr.

--json prints exactly one JSON document on stdout: lists are top-level arrays,
keys are camelCase. With --json an error is one line on stderr:
{"error":{"code","message","status"?}}.

--fields a,b (implies --json) keeps those keys of each object; each command's
--help lists its JSON fields, and a name not among them is exit 2 before
anything is sent. --jq <expr> (implies --json) filters the document with jq
(built in, no jq binary needed); strings print raw, one per line. --fields
applies first. token exec and completion print no JSON: they refuse --fields
and --jq. A filter never loses a new token: --fields without token is refused
where stdout is its only copy, and a --jq that drops it revokes it (exit 8).

--format is per verb: env or export on token create and rotate (a line ready for
eval or a .env file), table, md or csv on token audit.

Examples:
  $ astra-token token list --fields clientId,expiresAt
  $ astra-token token list --jq '.[] | select(.expiresAt == null) | .clientId'
  $ astra-token role list --jq '.[].name'
  $ astra-token token audit --format md >> "$GITHUB_STEP_SUMMARY"
`;

/** The topics `help` knows beside the commands, each with a one-line summary (listed in the top-level help). */
export const HELP_TOPICS: ReadonlyArray<{ name: string; summary: string }> = [
  { name: 'exit-codes', summary: 'what each exit code means' },
  { name: 'environment', summary: 'the environment variables astra-token reads' },
  { name: 'formats', summary: 'tables, piped rows, --json, --fields, --jq, --format' },
  { name: 'reference', summary: 'every command and option, as Markdown' },
];

/** The text of a topic (`reference` needs the whole tree), or undefined when `name` is not one. */
export function helpTopic(name: string, program: Command): string | undefined {
  switch (name) {
    case 'exit-codes':
      return exitCodesText();
    case 'environment':
      return environmentText();
    case 'formats':
      return FORMATS_TEXT;
    case 'reference':
      return referenceMarkdown(program);
    default:
      return undefined;
  }
}

/** The "Help topics" section of the top-level help. */
export function topicsHelp(): string {
  const width = Math.max(...HELP_TOPICS.map((t) => t.name.length));
  return `Help topics (astra-token help <topic>):\n${HELP_TOPICS.map((t) => `  ${t.name.padEnd(width)}  ${t.summary}`).join('\n')}`;
}

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const code = (text: string) => `\`${text}\``;

/** What a command's help adds after its option list (its prose and examples), as written in its declaration. */
function afterText(command: Command): string {
  let text = '';
  // addHelpText('after') texts are listeners of this event: emitted here, they write to the reference.
  (command as unknown as NodeJS.EventEmitter).emit('afterHelp', { error: false, command, write: (s: string) => (text += s) });
  return text.trim();
}

function optionRows(command: Command): string[] {
  const options = command.options.filter((o) => !o.hidden);
  if (options.length === 0) return [];
  return ['| option | meaning |', '|---|---|', ...options.map((o) => `| ${code(o.flags)} | ${cell(o.description)} |`), ''];
}

function argumentRows(command: Command): string[] {
  const args = command.registeredArguments;
  if (args.length === 0) return [];
  const term = (a: (typeof args)[number]) => {
    const name = a.name() + (a.variadic ? '...' : '');
    return a.required ? `<${name}>` : `[${name}]`;
  };
  return ['| argument | meaning |', '|---|---|', ...args.map((a) => `| ${code(term(a))} | ${cell(a.description)} |`), ''];
}

/** Every visible command below `root`, parents first, with the words that reach it. */
function walk(root: Command): Array<{ words: string[]; command: Command }> {
  const found: Array<{ words: string[]; command: Command }> = [];
  const visit = (cmd: Command, words: string[]) => {
    for (const sub of cmd.commands) {
      if ((sub as Command & { _hidden?: boolean })._hidden || sub.name() === 'help') continue;
      const path = [...words, sub.name()];
      found.push({ words: path, command: sub });
      visit(sub, path);
    }
  };
  visit(root, []);
  return found;
}

/**
 * The reference: every command with its arguments, options and the prose and examples of its help, then the global
 * options, the shortcuts, the exit codes and the environment. Built from the declarations alone (no terminal width,
 * no version), so `npm run docs` and the test that checks docs/reference/ get the same text.
 */
export function referenceMarkdown(program: Command): string {
  const out: string[] = [
    '# astra-token command reference',
    '',
    '<!-- Generated by `npm run docs` from the command declarations (astra-token help reference); do not edit. -->',
    '',
    program.description(),
    '',
    `Usage: ${code('astra-token [global options] <command> [options]')}`,
    '',
    '## Global options',
    '',
    'Accepted before or after the command.',
    '',
    ...optionRows(program),
    '## Shortcuts',
    '',
    ...TOKEN_SHORTCUTS.map((v) => `- ${code(`astra-token ${v}`)} = ${code(`astra-token token ${v}`)}`),
    '',
  ];
  for (const { words, command } of walk(program)) {
    const usage = `astra-token ${words.join(' ')} ${command.usage()}`.trim();
    out.push(`## astra-token ${words.join(' ')}`, '', command.description(), '', `Usage: ${code(usage)}`, '');
    out.push(...argumentRows(command), ...optionRows(command));
    const after = afterText(command);
    if (after) out.push('```text', after, '```', '');
  }
  out.push('## Exit codes', '', '| code | meaning | `error.code` |', '|---|---|---|');
  for (const r of exitCodeRows()) out.push(`| ${r.exit} | ${cell(r.meaning)} | ${r.codes.map(code).join(', ')} |`);
  out.push('', EXEC_NOTE, '', '## Environment', '', '| variable | meaning |', '|---|---|');
  for (const v of ENVIRONMENT) out.push(`| ${v.name.split(', ').map(code).join(', ')} | ${cell(v.meaning)} |`);
  out.push('');
  return out.join('\n');
}
