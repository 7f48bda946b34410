// How a secret that exists only once (a new Astra token, a new Pulsar token) leaves the tool: on stdout, or in an
// `--output-file` reserved before the create call so the secret always has a place to land, with stdout then kept free
// of it; always with the reminder that it is shown only once.
import { AppError, UsageError } from '../errors.js';
import { printable } from '../text/terminal.js';
import type { IO } from '../io.js';
import { checkNewFile, PrivateFile } from './private-file.js';
import { selectionKeeps, type JsonSelection } from './json-filter.js';

const FLAG = '--output-file';

/** A secret just created, and what to say about it. */
export interface NewSecret {
  /** Its public id, named when writing the file fails. */
  id: string;
  /** The one-line account on stderr ("created ..."). */
  summary: string;
  /** Writes the secret to stdout (no file given); rejects when the write failed (EPIPE). */
  print(): void | Promise<void>;
  /** What the file receives (a file given). */
  fileContent: string;
  /** The warning after a secret printed on stdout. */
  onceWarning: string;
  /** The hint when the secret exists but writing its file failed: how to recover it or revoke it. */
  writeFailedHint: string;
  /** With `--fields`/`--jq`: the JSON document `print` writes and the secret's value, which the filter must keep. */
  filtered?: { document: unknown; value: string };
}

export class SecretDelivery {
  private file: PrivateFile | undefined;

  private constructor(
    private readonly io: IO,
    /** The `--output-file`, when given. */
    readonly path: string | undefined,
    private readonly overwrite: boolean,
    /** `--fields`/`--jq`: what of the printed document reaches stdout. */
    private readonly selection: JsonSelection | undefined,
  ) {}

  /** Refuses an `--output-file` that exists (unless `overwrite`) or cannot be created, before any request. */
  static async prepare(io: IO, path: string | undefined, overwrite = false, selection?: JsonSelection): Promise<SecretDelivery> {
    if (path !== undefined) await checkNewFile(path, FLAG, overwrite);
    return new SecretDelivery(io, path, overwrite, selection);
  }

  /**
   * Before anything is created: refuses (exit 2) `--fields` without `key` when stdout is where the secret goes
   * (`elsewhere`: another copy reaches someone, a hand-over or a saved profile). `--jq` is judged on the document.
   */
  refuseFieldsWithout(key: string, elsewhere = false): void {
    const fields = this.selection?.fields;
    if (this.path !== undefined || elsewhere || !fields || fields.includes(key)) return;
    throw new UsageError(
      `--fields ${printable(fields.join(','))} leaves out '${key}', the new token's only copy: nobody would receive it; nothing was created`,
      { hint: `add ${key} to --fields, or give --output-file <path>` },
    );
  }

  /**
   * Runs `call` (the create request) once the output file exists; when it fails the file is removed again and
   * `explain(err)` is thrown.
   */
  async create<T>(call: () => Promise<T>, explain: (err: unknown) => unknown): Promise<T> {
    if (this.path !== undefined && !this.file) this.file = await PrivateFile.create(this.path, FLAG, this.overwrite);
    try {
      return await call();
    } catch (err) {
      await this.file?.discard();
      this.file = undefined;
      throw await explain(err);
    }
  }

  /**
   * Delivers the secret: without a file it is printed, then the summary and the warning; with one it is written
   * there (0600) and the summary says where. Returns the file's path when one was written: stdout then gets no
   * secret, and what it gets instead (the id, or the JSON object without the secret) is the caller's to write.
   */
  async deliver(secret: NewSecret): Promise<string | undefined> {
    const file = this.file;
    if (!file) {
      const filtered = secret.filtered;
      if (this.selection && filtered && !(await selectionKeeps(filtered.document, this.selection, filtered.value))) {
        const flag = this.selection.jq !== undefined ? '--jq' : '--fields';
        throw new StdoutLost(secret.id, undefined, `the ${flag} filter leaves the token out of standard output`);
      }
      try {
        await secret.print();
      } catch (err) {
        throw new StdoutLost(secret.id, err);
      }
      this.io.success(secret.summary);
      this.io.warn(secret.onceWarning);
      return undefined;
    }
    this.file = undefined;
    try {
      await file.write(secret.fileContent);
    } catch (err) {
      throw new FileNotWritten(secret.id, file.path, err, secret.writeFailedHint);
    }
    this.io.success(`${secret.summary}; written to ${printable(file.path, 200)} (mode 0600)`);
    return file.path;
  }
}

/**
 * The secret was created, but writing its `--output-file` failed: it reached no one. An unexpected failure (exit 1)
 * for a caller that does not handle it (the hint says how to recover); `token create` revokes the token instead.
 */
export class FileNotWritten extends AppError {
  /** What went wrong, after "token <id> was created, but ". */
  readonly reason: string;
  constructor(id: string, path: string, cause: unknown, hint: string) {
    const reason = `writing it to ${printable(path, 200)} failed: ${(cause as Error).message}`;
    super('INTERNAL', `token ${id} was created, but ${reason}`, { hint, cause });
    this.reason = reason;
  }
}

/** The secret was created and written to a stdout nobody reads (EPIPE), or filtered out of it: it reached no one. */
export class StdoutLost extends Error {
  constructor(
    readonly id: string,
    cause: unknown,
    /** Why: by default, that the reader went away; or that an output filter kept the token from stdout. */
    why?: string,
  ) {
    const code = (cause as NodeJS.ErrnoException | undefined)?.code;
    super(why ?? `standard output is gone${code ? ` (${code})` : ''}: whatever read it went away before the token was written`, { cause });
  }
}
