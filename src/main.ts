// Builds the program, parses the contract's global options once, runs the verb, and turns whatever happened into
// an exit code. main() never exits the process: the bin sets process.exitCode.
import { Command, CommanderError, Help, type CommandUnknownOpts } from '@commander-js/extra-typings';
import { registerCommands } from './commands/index.js';
import { expandShortcut, shortcutsHelp, TOKEN_SHORTCUTS } from './commands/shortcuts.js';
import { HELP_TOPICS, helpTopic, topicsHelp } from './commands/help-topics.js';
import { closestNames } from './domain/suggest.js';
import type { VerbLoader } from './commands/verb.js';
import type { Context, Deps } from './context.js';
import { describeError, UsageError, type ErrorReport } from './errors.js';
import { declareGlobalOptions, globalApplies, type GlobalOptions, type Program } from './global-options.js';
import type { IO } from './io.js';
import { redact } from './text/redact.js';
import { printable, terminalSafe } from './text/terminal.js';
import { findTokenInArgv } from './domain/token-format.js';
import { hasJsonOutput } from './commands/options.js';
import type { JsonOptions } from './output/json-filter.js';
import { checkFields } from './output/json-fields.js';
import { VERSION } from './version.js';
import { helpWidth, wrapHelp } from './text/wrap.js';

export type { Deps } from './context.js';

export async function main(argv: string[], deps: Deps): Promise<number> {
  // Before anything else, and whatever the syntax: a token value on the command line leaks into ps and history.
  const leaked = findTokenInArgv(argv);
  if (leaked >= 0) {
    const io = (await loadIO())(deps.streams, { noColor: true, noInput: true, quiet: false, env: deps.env });
    return report(
      io,
      argv.includes('--json'),
      false,
      new UsageError(
        'a token was given on the command line, where it leaks into shell history and process lists; pass it on stdin (`--with-token` or `--token-file -`), with --token-file <path>, or in ASTRA_DB_APPLICATION_TOKEN',
      ),
    );
  }

  let exitCode = 0;
  let io: IO | undefined;
  let globals: GlobalOptions | undefined;

  // Commander calls the action with the positional arguments, the command's own options and the command.
  // Each verb's parameters are checked against its declaration where it is registered (see VerbLoader).
  const run =
    (loader: () => Promise<(ctx: Context, ...args: unknown[]) => Promise<number | void>>) =>
    async (...args: unknown[]) => {
      const command = args[args.length - 1] as Command;
      const options = command.optsWithGlobals() as GlobalOptions;
      globals = options;
      const selection = jsonSelection(options, command);
      const [createIO, { createContext }, filter] = await Promise.all([
        loadIO(),
        import('./context.js'),
        selection && import('./output/json-filter.js'),
      ]);
      const parsed = selection && filter?.parseSelection(selection);
      // A field the verb's document never holds is refused before the verb sends anything.
      if (parsed?.fields) checkFields(verbPath(command), parsed.fields);
      const selecting = parsed && filter?.selectingStream(deps.streams.out, parsed, deps.streams.stdoutIsTTY);
      // The verb writes its whole document; what --fields/--jq keep of it reaches stdout.
      const streams = selecting ? withStdout(deps.streams, selecting.stream) : deps.streams;
      io = createIO(streams, {
        noColor: options.color === false,
        noInput: options.input === false,
        quiet: options.quiet === true,
        env: deps.env,
        signal: deps.signal,
      });
      const ctx = createContext(io, options, deps);
      let verbFailed = false;
      let selectionFailure: Error | undefined;
      try {
        // The code the verb's declared reads need loads beside the verb's own; the verb sends them once its flags pass.
        const [verb] = await Promise.all([
          loader(),
          ctx.output === 'table' ? import('./output/render.js').then((m) => m.loadTableRenderer()) : undefined,
          // A bad expression is refused before the verb does anything (a created token would be lost).
          selection?.jq !== undefined && filter?.checkJq(selection.jq),
        ]);
        const positional = args.slice(0, -2);
        // The command comes last for the few verbs that read the tree itself (completion).
        verbFailed = true;
        const result = await verb(ctx, ...positional, options, command);
        verbFailed = false;
        exitCode = typeof result === 'number' ? result : 0;
      } finally {
        ctx.endRequests();
        // The verb's own error comes first; the selection's is reported when the verb succeeded.
        const failure = await selecting?.finish();
        if (!verbFailed) selectionFailure = failure;
      }
      if (selectionFailure) throw selectionFailure;
    };
  const { program, argv: words } = createProgram(deps, run as unknown as VerbLoader, argv);
  // Bare `astra-token`: the help a user asked for by typing the name, on stdout.
  if (argv.length === 0) {
    program.outputHelp();
    return 0;
  }

  try {
    await program.parseAsync(words, { from: 'user' });
    return exitCode;
  } catch (err) {
    const g = globals ?? sniffGlobals(argv);
    const out = async () =>
      io ?? (await loadIO())(deps.streams, { noColor: !g.color, noInput: !g.input, quiet: g.quiet === true, env: deps.env });
    const json = g.json === true;
    if (err instanceof CommanderError) return commanderExit(out, json, err);
    return report(await out(), json, g.debug === true || deps.env.ASTRA_TOKEN_DEBUG === '1', err);
  }
}

/** The IO layer (and chalk) loads only when a verb runs or an error is reported: `--help` needs neither. */
const loadIO = async () => (await import('./io.js')).createIO;

/**
 * The program main() runs for `argv` (the whole tree when there is none): the global options, the nouns argv names
 * once a shortcut is expanded (`create` is `token create`), and `help`. Returns it with the argv to parse.
 */
export function createProgram(deps: Deps, load: VerbLoader, argv?: readonly string[]): { program: Program; argv: string[] } {
  const program = buildProgram(deps);
  const words = argv && expandShortcut(program, argv);
  registerCommands(program, load, words);
  addHelpCommand(program, deps);
  return { program, argv: words ?? [] };
}

function buildProgram(deps: Deps): Program {
  const program = declareGlobalOptions(
    new Command('astra-token')
      .description('Manage DataStax Astra application tokens, roles and org credentials.')
      .version(VERSION, '-V, --version', 'print the version')
      .helpOption('-h, --help', 'show help'),
  )
    .showSuggestionAfterError(true)
    // Every verb's help also lists the global options that apply to it (--json, --profile, --quiet, ...).
    .configureHelp({
      showGlobalOptions: true,
      visibleGlobalOptions(this: Help, cmd) {
        return Help.prototype.visibleGlobalOptions.call(this, cmd).filter((option) => globalApplies(cmd, option));
      },
    })
    .addHelpText(
      'after',
      `
Credentials, first found wins: --token-file, ASTRA_DB_APPLICATION_TOKEN, --profile/ASTRA_PROFILE, the current profile.

${shortcutsHelp()}

${topicsHelp()}

Examples:
  $ astra-token org add prod --with-token < token.txt
  $ astra-token token list
  $ astra-token token create --role "Database Administrator" --expires 90d
  $ astra-token create --role "R/W User"       # shortcut for: token create
  $ astra-token emulator            # a local DevOps API to try it all offline`,
    );
  // Subcommands inherit this configuration when they are created, so it comes before registration. Commander calls
  // the callback as a method of the command that failed, which is how a usage error learns whose help to point to.
  program.exitOverride(function (this: CommandUnknownOpts, err: CommanderError): never {
    failedCommand.set(err, this);
    throw err;
  });
  // Help fits the terminal (80 columns when it is not one): commander wraps its lists, wrapHelp the prose.
  const outWidth = helpWidth(deps.streams.stdoutIsTTY, deps.streams.columns);
  const errWidth = () => helpWidth(deps.streams.stderrIsTTY, deps.streams.columns);
  program.configureOutput({
    writeOut: (s) => deps.streams.out.write(wrapHelp(s, outWidth)),
    writeErr: (s) => deps.streams.err.write(wrapHelp(s, errWidth())),
    getOutHelpWidth: () => outWidth,
    getErrHelpWidth: errWidth,
    outputError: () => undefined,
  });
  return program;
}

const failedCommand = new WeakMap<CommanderError, CommandUnknownOpts>();

/**
 * `astra-token help token list` shows the help of `token list`: commander's own help command reads only the word
 * after `help`. Nouns keep commander's (`astra-token token help list`).
 */
function addHelpCommand(program: Program, deps: Deps): void {
  program.helpCommand(false);
  program
    .command('help')
    .description('show help for a command (e.g. help token list)')
    .argument('[command...]', 'the command, as typed')
    .action((words) => {
      const topic = words.length === 1 ? helpTopic(words[0]!, program) : undefined;
      if (topic !== undefined) {
        // Through commander's output, so the prose fits the terminal like any help (the reference is Markdown: as is).
        if (words[0] === 'reference') deps.streams.out.write(topic);
        else program.configureOutput().writeOut?.(topic);
        return;
      }
      let target: CommandUnknownOpts = program;
      for (const word of words) {
        const sub = target.commands.find((c) => c.name() === word || c.aliases().includes(word));
        if (!sub) {
          const names = target.commands.map((c) => c.name());
          const offered = target === program ? [...names, ...TOKEN_SHORTCUTS, ...HELP_TOPICS.map((t) => t.name)] : names;
          throw new UsageError(
            `help: '${printable([...commandWords(target), word].join(' '))}' is not a command${didYouMean(word, offered)}; see 'astra-token --help'`,
          );
        }
        target = sub;
      }
      target.outputHelp();
    });
}

function commandWords(command: CommandUnknownOpts): string[] {
  const words: string[] = [];
  for (let c: CommandUnknownOpts | null = command; c?.parent; c = c.parent) words.unshift(c.name());
  return words;
}

/** `astra-token org switch`: the words that reach a command, for pointing at its help. */
function commandPath(command: CommandUnknownOpts | undefined): string {
  const names: string[] = [];
  for (let c = command; c; c = c.parent ?? undefined) names.unshift(c.name());
  return names.length ? names.join(' ') : 'astra-token';
}

/** `token create`: a command's words below the program. */
const verbPath = (command: CommandUnknownOpts) => commandPath(command).replace(/^astra-token /, '');

/**
 * What `--fields`/`--jq` keep of the verb's JSON document (both imply `--json`), or undefined when neither is given.
 * A verb that prints no JSON (its stdout belongs to something else) refuses them.
 */
function jsonSelection(options: GlobalOptions, command: CommandUnknownOpts): JsonOptions | undefined {
  if (options.fields === undefined && options.jq === undefined) return undefined;
  options.json = true;
  const flag = options.jq !== undefined ? '--jq' : '--fields';
  if (!hasJsonOutput(command)) throw new UsageError(`${flag} cannot be used with ${verbPath(command)}: it prints no JSON`);
  return { fields: options.fields, jq: options.jq };
}

/** The process's streams with stdout replaced; the others stay as they are (some open lazily). */
function withStdout(streams: Deps['streams'], out: NodeJS.WritableStream): Deps['streams'] {
  return Object.create(streams, { out: { value: out, enumerable: true } }) as Deps['streams'];
}

/** Global options read straight from argv, for errors raised before commander has parsed them. */
function sniffGlobals(argv: string[]): GlobalOptions {
  const has = (flag: string) => argv.includes(flag);
  const given = (flag: string) => argv.some((a) => a === flag || a.startsWith(`${flag}=`));
  return {
    json: has('--json') || given('--fields') || given('--jq') || undefined,
    color: !has('--no-color'),
    input: !has('--no-input'),
    quiet: has('-q') || has('--quiet') || undefined,
    debug: has('--debug') || undefined,
  };
}

/** Help and version need no IO: it is built only for an error to report. */
async function commanderExit(io: () => Promise<IO>, json: boolean, err: CommanderError): Promise<number> {
  switch (err.code) {
    case 'commander.helpDisplayed':
    case 'commander.version':
      return 0;
    case 'commander.help':
      // Help shown because a noun was given without a verb (or nothing at all): that is a usage error.
      return 2;
    default: {
      // The shortcuts live at the top level too (`lsit` -> list): commander only knows the nouns there.
      const root = failedCommand.get(err);
      if (err.code === 'commander.unknownCommand' && root?.parent === null && !/Did you mean/.test(err.message)) {
        const word = /'(.*)'/.exec(err.message)?.[1] ?? '';
        const offered = [...root.commands.map((c) => c.name()), ...TOKEN_SHORTCUTS];
        const message = `unknown command '${printable(word)}'${didYouMean(word, offered)}; see 'astra-token --help'`;
        return report(await io(), json, false, new UsageError(message));
      }
      // A value refused by its declaration's parser (src/commands/values.ts): `--flag: 'value' <reason>`.
      const invalid = invalidValue(err);
      if (invalid) return report(await io(), json, false, new UsageError(invalid));
      // One line: commander puts its "(Did you mean ...?)" suggestion on a line of its own, and some of its
      // messages end in a full stop. The help to read is that of the command that refused the input.
      const message = err.message
        .replace(/^error:\s*/i, '')
        .replace(/\s*\n\s*/g, ' ')
        .replace(/\. Expected /, ': expected ')
        .replace(/\.$/, '');
      return report(await io(), json, false, new UsageError(`${message}; see '${commandPath(failedCommand.get(err))} --help'`));
    }
  }
}

/**
 * Commander's words for a value a parser refused (`option '--env <name>' argument 'x' is invalid. <reason>`), as one
 * line that names the flag (or the argument) and the value: `--env: 'x' is not one of prod, dev, test`.
 */
function invalidValue(err: CommanderError): string | undefined {
  if (err.code !== 'commander.invalidArgument') return undefined;
  const option = /^error: option '([^']*)' argument '([^]*)' is invalid\. ([^]*)$/.exec(err.message);
  if (option) return `${/--[\w-]+/.exec(option[1]!)?.[0] ?? option[1]}: '${printable(option[2]!)}' ${option[3]}`;
  const argument = /^error: command-argument value '([^]*)' is invalid for argument '([^']*)'\. ([^]*)$/.exec(err.message);
  if (argument) return `${commandPath(failedCommand.get(err)).replace(/^astra-token /, '')}: '${printable(argument[1]!)}' ${argument[3]}`;
  return undefined;
}

/** ` (Did you mean list?)` when a candidate is close to `word`, as commander words it; '' otherwise. */
function didYouMean(word: string, candidates: readonly string[]): string {
  const close = closestNames(
    word,
    [...new Set(candidates)].filter((c) => !c.startsWith('_')),
  );
  return close.length ? ` (Did you mean ${close.length > 1 ? `one of ${close.join(', ')}` : close[0]}?)` : '';
}

function report(io: IO, json: boolean, debug: boolean, err: unknown): number {
  const reported = describeError(err);
  // The last line of defence: whatever a message quotes (an API answer, a path, user input), no secret leaves.
  const r: ErrorReport = { ...reported, message: redact(reported.message), hint: reported.hint && redact(reported.hint) };
  // A progress line still drawn is gone before the error: the error is the last word.
  io.status(undefined);
  if (json) {
    const error: Record<string, unknown> = { code: r.code, message: r.message };
    if (r.status !== undefined) error.status = r.status;
    if (r.hint) error.hint = r.hint;
    io.err.write(JSON.stringify({ error }) + '\n');
  } else {
    const hint = r.hint ? `; ${r.hint}` : r.unexpected && !debug ? ' (run with --debug for details)' : '';
    // The message may quote an API answer or user input: one line, and nothing a terminal would obey.
    io.err.write(`${io.errColor.red('error:')} ${terminalSafe(r.message + hint)}\n`);
  }
  if (debug && r.unexpected && err instanceof Error && err.stack)
    io.err.write(io.errColor.dim(terminalSafe(redact(err.stack), { keepLines: true })) + '\n');
  return r.exitCode;
}
