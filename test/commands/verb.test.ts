// The compiler holds each verb's run function to its declaration: a run function that reads a flag nobody
// declared, expects an option under another name, misses a positional argument or takes a flag's value as the
// wrong type does not compile. Each case is a small module type-checked here with the project's own settings.
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const dir = join(root, 'test', 'types', '__cases__');

const HEADER = `
import { Command } from '@commander-js/extra-typings';
import type { Context } from '../../../src/context.js';
import type { OptionsOf, VerbLoader } from '../../../src/commands/verb.js';
import { yesOption } from '../../../src/commands/options.js';
import { declareGlobalOptions } from '../../../src/global-options.js';

declare const load: VerbLoader;
const token = declareGlobalOptions(new Command('astra-token')).command('token');
export const del = token
  .command('delete')
  .argument('<clientId...>')
  .addOption(yesOption())
  .option('--if-exists', 'succeed when a token does not exist')
  .option('--concurrency <n>', 'revoke up to this many at once');
type DeleteOptions = OptionsOf<typeof del>;
export type { Context, DeleteOptions };
`;

/** Each case: a run function, registered as `.action(load(...))` on the declared `token delete`. */
const CASES: Record<string, string> = {
  matches: `async function run(_ctx: Context, ids: string[], o: DeleteOptions) { void [ids, o.yes, o.ifExists, o.concurrency, o.json, o.profile]; }`,
  'reads an undeclared flag': `async function run(_ctx: Context, _ids: string[], o: DeleteOptions) { void o.dryRun; }`,
  'expects a renamed flag': `async function run(_ctx: Context, _ids: string[], o: { yes?: true; ifExist?: true }) { void o; }`,
  'misses the positional argument': `async function run(_ctx: Context, o: DeleteOptions) { void o; }`,
  'takes a value as the wrong type': `async function run(_ctx: Context, _ids: string[], o: { concurrency?: number }) { void o; }`,
  'wants a flag that is optional': `async function run(_ctx: Context, _ids: string[], o: { yes: true }) { void o; }`,
};

function diagnostics(): Map<string, string[]> {
  const config = ts.getParsedCommandLineOfConfigFile(
    join(root, 'tsconfig.json'),
    {},
    { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined },
  );
  if (!config) throw new Error('cannot read tsconfig.json');
  const files = new Map(
    Object.entries(CASES).map(([name, run], i) => [
      join(dir, `case-${i}.ts`),
      { name, text: `${HEADER}\n${run}\ndel.action(load(async () => run));\n` },
    ]),
  );
  const host = ts.createCompilerHost(config.options);
  const [getSourceFile, fileExists, readFile] = [host.getSourceFile.bind(host), host.fileExists.bind(host), host.readFile.bind(host)];
  host.fileExists = (f) => files.has(f) || fileExists(f);
  host.readFile = (f) => files.get(f)?.text ?? readFile(f);
  host.getSourceFile = (f, lang, ...rest) => {
    const file = files.get(f);
    return file ? ts.createSourceFile(f, file.text, lang) : getSourceFile(f, lang, ...rest);
  };
  // The project's own ambient declarations (src/startup/undici-lib.d.ts) come along; its other files come in through the imports.
  const ambient = config.fileNames.filter((f) => f.endsWith('.d.ts'));
  const program = ts.createProgram([...ambient, ...files.keys()], { ...config.options, noEmit: true }, host);
  const out = new Map<string, string[]>([...files.values()].map((f) => [f.name, []]));
  for (const d of ts.getPreEmitDiagnostics(program)) {
    const file = d.file && files.get(d.file.fileName);
    if (!file) throw new Error(`unexpected diagnostic outside the cases: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
    out.get(file.name)!.push(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
  }
  return out;
}

describe('tsc rejects a verb whose run function does not match its declaration', () => {
  const found = diagnostics();
  const only = (name: string) => {
    const messages = found.get(name)!;
    expect(messages).toHaveLength(1);
    return messages[0]!;
  };

  it('accepts a run function that matches (positional, own options, globals)', () => {
    expect(found.get('matches')).toEqual([]);
  });

  it('rejects reading a flag the command does not declare', () => {
    expect(only('reads an undeclared flag')).toMatch(/Property 'dryRun' does not exist/);
  });

  it('rejects a run function that expects an option under another name', () => {
    expect(only('expects a renamed flag')).toMatch(/undeclaredOption: "ifExist"/);
  });

  it('rejects a run function that misses the positional argument', () => {
    expect(only('misses the positional argument')).toMatch(
      /Types of parameters 'o' and 'args_0' are incompatible.\n\s*Type 'string\[\]' is missing/,
    );
  });

  it("rejects a run function that takes a flag's value as the wrong type", () => {
    expect(only('takes a value as the wrong type')).toMatch(/Type 'string' is not assignable to type 'number'/);
  });

  it('rejects a run function that counts on an optional flag being given', () => {
    expect(only('wants a flag that is optional')).toMatch(/'undefined' is not assignable to type 'true'/);
  });
}, 60_000);

// The project itself, type-checked with one flag renamed in its declaration: every helper that still reads the old
// name must fail to compile (each of these once compiled and then silently ignored the flag).
/** A list verb's options without `wide` (its error names the expected `{ wide?: true }`). */
const WIDE = /\bwide\b/;

const RENAMES: ReadonlyArray<{ flag: string; file: string; from: string; to: string; helpers: Record<string, RegExp> }> = [
  {
    flag: 'global --token-file',
    file: 'src/global-options.ts',
    from: "'--token-file <path>'",
    to: "'--token-path <path>'",
    helpers: {
      // resolveCredential's inputs
      'src/config/credentials.ts': /"tokenFile"/,
      'src/commands/token/shell-command.ts': /Property 'tokenFile' does not exist/,
    },
  },
  {
    flag: '--handoff-env',
    file: 'src/commands/token/register.ts',
    from: "'--handoff-env <name>'",
    to: "'--handoff-variable <name>'",
    helpers: { 'src/commands/token/handoff.ts': /"handoffEnv"/, 'src/commands/token/new-token.ts': /"handoffEnv"/ },
  },
  {
    flag: '--wide',
    file: 'src/commands/options.ts',
    from: "new Option('--wide',",
    to: "new Option('--full-width',",
    helpers: {
      'src/commands/token/list.ts': WIDE,
      'src/commands/token/audit.ts': WIDE,
      'src/commands/org/list.ts': WIDE,
      'src/commands/role/list.ts': WIDE,
      'src/commands/db/list.ts': WIDE,
      'src/commands/streaming/list.ts': WIDE,
    },
  },
];

function projectDiagnostics(change?: { file: string; from: string; to: string }): Map<string, string[]> {
  const config = ts.getParsedCommandLineOfConfigFile(
    join(root, 'tsconfig.json'),
    {},
    { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined },
  );
  if (!config) throw new Error('cannot read tsconfig.json');
  const host = ts.createCompilerHost(config.options);
  if (change) {
    const changed = join(root, change.file);
    const original = ts.sys.readFile(changed) ?? '';
    if (!original.includes(change.from)) throw new Error(`${change.file} no longer declares ${change.from}`);
    const text = original.replace(change.from, change.to);
    const [getSourceFile, readFile] = [host.getSourceFile.bind(host), host.readFile.bind(host)];
    host.readFile = (f) => (f === changed ? text : readFile(f));
    host.getSourceFile = (f, lang, ...rest) => (f === changed ? ts.createSourceFile(f, text, lang) : getSourceFile(f, lang, ...rest));
  }
  const sources = config.fileNames.filter((f) => f.startsWith(join(root, 'src')));
  const program = ts.createProgram(sources, { ...config.options, noEmit: true }, host);
  const out = new Map<string, string[]>();
  for (const d of ts.getPreEmitDiagnostics(program)) {
    const file = d.file ? d.file.fileName.slice(root.length + 1) : '(global)';
    out.set(file, [...(out.get(file) ?? []), ts.flattenDiagnosticMessageText(d.messageText, '\n')]);
  }
  return out;
}

describe('tsc rejects a renamed flag that a helper still reads under its old name', () => {
  it('the project compiles as it is (the cases below start from a clean build)', () => {
    expect(Object.fromEntries(projectDiagnostics())).toEqual({});
  });

  it.each(RENAMES)('$flag renamed in its declaration', ({ file, from, to, helpers }) => {
    const found = projectDiagnostics({ file, from, to });
    for (const [helper, pattern] of Object.entries(helpers)) {
      expect({ helper, matching: (found.get(helper) ?? []).some((error) => pattern.test(error)) }).toEqual({ helper, matching: true });
    }
  });
}, 300_000);
