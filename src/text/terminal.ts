// The one sanitiser for human output. What reaches a terminal (or a pipe a person reads) is text, never commands to
// it: a value from the API or from a file (role names, descriptions, org names, error bodies, DRNs) could carry
// escape sequences that clear the screen, retitle the window, write the clipboard (OSC 52) or forge output, bidi
// controls that show text in another order than it is, or line breaks that forge a second line. Each such character
// is shown as an escape (`\x1b`, `\u202e`, `\n`) rather than dropped, so the oddity stays visible. Machine output
// (--json) never goes through here: it keeps exact values.

import { redact } from './redact.js';

// eslint-disable-next-line no-control-regex -- matches the ESC of an SGR colour code
const SGR = /\u001b\[[0-9;]*m/y;

/** C0 and C1 controls, DEL, bidi embeddings/overrides/isolates and marks, and the Unicode line/paragraph separators. */
// eslint-disable-next-line no-control-regex -- finding control characters is this regex's purpose
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

const SHORT: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

export interface TerminalSafeOptions {
  /** Keep colour sequences (SGR) as they are: for text the tool coloured itself. Every other escape is shown. */
  keepColour?: boolean;
  /** Keep line breaks and tabs (multi-line messages); otherwise a one-line field shows them as `\n`, `\t`. */
  keepLines?: boolean;
}

/** The text with every control, escape and bidi character made visible (see the top of this file). */
export function terminalSafe(text: string, opts: TerminalSafeOptions = {}): string {
  if (!UNSAFE.test(text)) return text;
  const source = opts.keepLines ? text.replace(/\r\n/g, '\n') : text;
  let out = '';
  for (let i = 0; i < source.length; i++) {
    const ch = source[i]!;
    if (opts.keepColour && ch === '\u001b') {
      SGR.lastIndex = i;
      const colour = SGR.exec(source);
      if (colour) {
        out += colour[0];
        i += colour[0].length - 1;
        continue;
      }
    }
    if (opts.keepLines && (ch === '\n' || ch === '\t')) out += ch;
    else if (UNSAFE.test(ch)) out += escapeChar(ch);
    else out += ch;
  }
  return out;
}

function escapeChar(ch: string): string {
  const short = SHORT[ch];
  if (short) return short;
  const code = ch.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/**
 * A value quoted inside a one-line message: its secrets redacted (before shortening, which would cut a secret past
 * recognition by the redaction every message gets later), made safe as above, and shortened to `max` characters.
 */
export function printable(input: string, max = 60): string {
  const clean = terminalSafe(redact(input));
  return clean.length > max ? `${clean.slice(0, max)}…` : clean;
}

/**
 * Every string of a record (nested arrays and plain objects included) made safe for one-line display, before any
 * formatting adds the tool's own colour: the data's own escape sequences never pass as colour. Other values
 * (dates, numbers) are kept.
 */
export function terminalSafeRecord<T>(value: T): T {
  if (typeof value === 'string') return terminalSafe(value) as T;
  if (Array.isArray(value)) {
    // Copied only when something in it changes: a clean list of 10 000 records allocates nothing.
    let copy: unknown[] | undefined;
    value.forEach((v: unknown, i) => {
      const safe = terminalSafeRecord(v);
      if (safe !== v) (copy ??= value.slice())[i] = safe;
    });
    return (copy ?? value) as T;
  }
  if (value !== null && typeof value === 'object') {
    const proto = Object.getPrototypeOf(value) as unknown;
    if (proto !== Object.prototype && proto !== null) return value;
    let copy: Record<string, unknown> | undefined;
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      const safe = terminalSafeRecord(v);
      if (safe !== v) (copy ??= { ...(value as Record<string, unknown>) })[k] = safe;
    }
    return (copy ?? value) as T;
  }
  return value;
}
