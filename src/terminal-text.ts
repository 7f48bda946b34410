// What reaches a terminal is text, never commands to it. Data from the API (descriptions, role names, error
// messages) and from users could carry escape sequences that clear the screen, retitle the window, write the
// clipboard (OSC 52) or forge output; they are dropped before anything is printed, and other control characters
// become visible. Our own colour (SGR) survives where the caller keeps it.

// CSI (ESC [ ... final, or the 8-bit CSI), OSC (ESC ] ... BEL or ST), and the other two-character escapes.
// eslint-disable-next-line no-control-regex
const ESCAPE = /\u001b\[[0-?]*[ -/]*[@-~]|\u009b[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|\u001b[@-Z\\-_]/g;
// eslint-disable-next-line no-control-regex
const SGR = /^\u001b\[[0-9;]*m$/;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

export interface TerminalSafeOptions {
  /** Keep colour sequences (SGR): for text the tool coloured itself. */
  keepColour?: boolean;
  /** Keep line breaks and tabs (multi-line messages); otherwise they become spaces. */
  keepLines?: boolean;
}

export function terminalSafe(text: string, opts: TerminalSafeOptions = {}): string {
  let out = '';
  let last = 0;
  for (const m of text.matchAll(ESCAPE)) {
    out += plain(text.slice(last, m.index), opts);
    if (opts.keepColour && SGR.test(m[0])) out += m[0];
    last = m.index + m[0].length;
  }
  return out + plain(text.slice(last), opts);
}

function plain(text: string, opts: TerminalSafeOptions): string {
  // A lone carriage return would let the rest of a line overwrite its beginning.
  const lines = opts.keepLines ? text.replace(/\r\n/g, '\n') : text.replace(/[\t\r\n]+/g, ' ');
  return lines.replace(CONTROL, '?');
}
