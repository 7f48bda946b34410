// `--fields` and `--jq`: what a script keeps of a verb's JSON document. Verbs print their whole document as always;
// this stream sits in front of stdout, takes each complete document, keeps the named fields and/or runs the jq
// expression over it, and writes what is left. jq is the real jq compiled to WebAssembly (jq-wasm), loaded only when
// `--jq` is given: it never slows `--help` or a plain command.
import { Writable } from 'node:stream';
import { UsageError } from '../errors.js';
import { printable, terminalSafe } from '../text/terminal.js';

export interface JsonSelection {
  /** `--fields a,b`: the keys kept in each object of the document (in this order). */
  fields?: readonly string[];
  /** `--jq <expr>`: the jq expression the document is filtered with. */
  jq?: string;
}

/** The two options as given on the command line. */
export interface JsonOptions {
  fields?: string;
  jq?: string;
}

/** The options checked: `--fields clientId,expiresAt` -> ['clientId', 'expiresAt']; an empty name or expression is a usage error. */
export function parseSelection(options: JsonOptions): JsonSelection {
  if (options.jq !== undefined && options.jq.trim() === '')
    throw new UsageError("--jq: the expression is empty (e.g. --jq '.[].clientId')");
  return { fields: options.fields === undefined ? undefined : parseFields(options.fields), jq: options.jq };
}

/** `--fields`/`--jq` as the global options carry them (checked), or undefined when neither is given. */
export function selectionOf(options: JsonOptions): JsonSelection | undefined {
  return options.fields === undefined && options.jq === undefined ? undefined : parseSelection(options);
}

/**
 * Whether what the selection prints of `doc` still holds `secret` (a new token's value): a filter that drops it, or
 * fails on the document, would leave a live credential nobody received.
 */
export async function selectionKeeps(doc: unknown, selection: JsonSelection, secret: string): Promise<boolean> {
  try {
    return (await applySelection(doc, selection)).includes(secret);
  } catch {
    return false;
  }
}

function parseFields(value: string): string[] {
  const fields = value.split(',').map((f) => f.trim());
  if (fields.some((f) => f === '')) {
    throw new UsageError(
      `--fields: '${printable(value)}' has an empty field name: give names separated by commas (e.g. clientId,expiresAt)`,
    );
  }
  return [...new Set(fields)];
}

/**
 * Keeps `fields` of each object of the document: the elements of a top-level array, or the document itself. The
 * names were checked against the verb's declared fields before it ran; a field an object lacks is left out.
 */
export function selectFields(doc: unknown, fields: readonly string[]): unknown {
  const keep = (value: unknown) =>
    isObject(value) ? Object.fromEntries(fields.filter((f) => f in value).map((f) => [f, value[f]])) : value;
  return Array.isArray(doc) ? doc.map(keep) : keep(doc);
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

type JqRaw = (data: string, filter: string, flags?: string[]) => Promise<string>;
let jqRaw: Promise<JqRaw> | undefined;

const loadJq = () =>
  // A CommonJS module: its functions are named exports under Node, and under `default` once bundled.
  (jqRaw ??= import('jq-wasm').then((m) => (m.raw as JqRaw | undefined) ?? m.default.raw));

/** Runs jq; its exit status must not become the process's (the wasm runtime sets process.exitCode on exit). */
async function runJq(input: string, expr: string, flags: string[]): Promise<string> {
  const raw = await loadJq();
  const exitCode = process.exitCode;
  try {
    return await raw(input, expr, flags);
  } catch (err) {
    throw new UsageError(`--jq: ${jqMessage(err)}`);
  } finally {
    process.exitCode = exitCode;
  }
}

/** jq's message on one line: `syntax error, unexpected end of file`, `Cannot index array with "x"`. */
function jqMessage(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  const first = text.split('\n').find((l) => /jq: error/.test(l)) ?? text.split('\n')[0] ?? '';
  return first
    .replace(/^.*?jq: error(?: \(at [^)]*\))?:\s*/, '')
    .replace(/\s*at <top-level>, line \d+:?$/, '')
    .replace(/\s*\(Unix shell quoting issues\?\)/, '')
    .trim();
}

/**
 * Refuses an expression jq cannot compile, before the verb runs (a verb that creates a token must not run when its
 * output filter has a typo). It runs over `null`, where what fails at run time depends on data not there yet.
 */
export async function checkJq(expr: string): Promise<void> {
  const raw = await loadJq();
  const exitCode = process.exitCode;
  try {
    await raw('null', expr, []);
  } catch (err) {
    if (/compile error/.test(err instanceof Error ? err.message : String(err))) throw new UsageError(`--jq: ${jqMessage(err)}`);
  } finally {
    process.exitCode = exitCode;
  }
}

/** The document filtered: JSON as the verb prints it (two spaces), strings raw, one result per line. */
async function applySelection(doc: unknown, selection: JsonSelection): Promise<string> {
  const kept = selection.fields ? selectFields(doc, selection.fields) : doc;
  if (selection.jq === undefined) return JSON.stringify(kept, null, 2) + '\n';
  const text = await runJq(JSON.stringify(kept), selection.jq, ['-r']);
  return text === '' || text.endsWith('\n') ? text : text + '\n';
}

export interface SelectingStream {
  stream: NodeJS.WritableStream;
  /** Waits for every document to be written; resolves with the first failure (an unknown field, a jq error). */
  finish(): Promise<Error | undefined>;
}

/**
 * A stdout for the verb that filters each complete JSON document it is given before writing it to `out`. A document
 * may arrive in several writes (a new token's object is written before the keys that say how its rotation went).
 * Raw strings are made terminal-safe when `out` is a terminal; JSON text cannot hold control characters.
 */
export function selectingStream(out: NodeJS.WritableStream, selection: JsonSelection, outIsTTY: boolean): SelectingStream {
  let pending = '';
  let failure: Error | undefined;
  const emit = (text: string) =>
    new Promise<void>((resolve, reject) => {
      if (text === '') return resolve();
      out.write(outIsTTY ? terminalSafe(text, { keepLines: true, keepColour: false }) : text, (err?: Error | null) =>
        err ? reject(err) : resolve(),
      );
    });
  const take = async (): Promise<void> => {
    let doc: unknown;
    try {
      doc = JSON.parse(pending);
    } catch {
      return; // not whole yet
    }
    pending = '';
    if (failure !== undefined) return;
    try {
      await emit(await applySelection(doc, selection));
    } catch (err) {
      failure = err instanceof Error ? err : new Error(String(err));
    }
  };
  const stream = new Writable({
    decodeStrings: false,
    write(chunk: string | Buffer, _encoding, done) {
      pending += typeof chunk === 'string' ? chunk : chunk.toString('utf8');
      // A failure is reported once the verb has ended (finish): the stream itself never errors.
      take().then(() => done(), done);
    },
  });
  return {
    stream,
    async finish() {
      await new Promise<void>((resolve) => stream.end(resolve));
      if (failure === undefined && pending.trim() !== '') await emit(pending).catch((err: Error) => (failure = err));
      return failure;
    },
  };
}
