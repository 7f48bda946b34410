// The redaction every error line and trace line passes through, applied more than once (a message may quote an
// already redacted one): stable, and still catching what is not yet redacted.
import { describe, expect, it } from 'vitest';
import { redact } from '../../src/text/redact.js';
import { printable, terminalSafe, terminalSafeRecord } from '../../src/text/terminal.js';

const TOKEN = `AstraCS:${'A'.repeat(24)}:${'ab'.repeat(32)}`;

describe('redact is idempotent', () => {
  it.each([
    [`Bearer ${TOKEN}`, `Bearer AstraCS:${'A'.repeat(24)}:[redacted]`],
    [`(${TOKEN})`, `(AstraCS:${'A'.repeat(24)}:[redacted])`],
    ['AstraCS:not-a-token!', 'AstraCS:[redacted]'],
    ['an Astra token starts with "AstraCS:"', 'an Astra token starts with "AstraCS:"'],
    ['not an Astra application token (AstraCS:...)', 'not an Astra application token (AstraCS:...)'],
    [`secret ${'ab'.repeat(32)} and jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln`, 'secret [redacted] and jwt [redacted-jwt]'],
  ])('%s', (input, once) => {
    expect(redact(input)).toBe(once);
    expect(redact(redact(input))).toBe(once);
  });

  it('a secret glued to "[redacted" text is still removed', () => {
    expect(redact(`AstraCS:${'A'.repeat(24)}:not-hex-secret[redacted]`)).not.toContain('not-hex-secret');
    expect(redact(`${TOKEN}[redacted]`)).not.toContain('ab'.repeat(32));
  });
});

describe('redact finds a secret wherever it sits', () => {
  const HEX = 'ab'.repeat(32);
  const JWT = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJjbGllbnQ7YWJjIn0.c2lnbmF0dXJlLXBhcnQ';
  it.each([
    ['glued to letters before', `xAstraCS:${'A'.repeat(24)}:${HEX}`],
    ['glued to letters on both sides', `tokenAstraCS:${'A'.repeat(24)}:${HEX}zz`],
    ['percent-encoded inside a word', `pathAstraCS%3A${'A'.repeat(24)}%3A${HEX}`],
    ['the 64-hex part alone', `secret ${HEX} leaked`],
    ['the 64-hex part glued to letters', `xyz${HEX}qrs`],
    ['the 64-hex part glued to digits and underscores', `id_9${HEX}_1`],
    ['the 64-hex part in upper case', `key=${HEX.toUpperCase()}`],
    ['a Pulsar JWT on its own', `token ${JWT}`],
    ['a Pulsar JWT glued to letters', `tokeneyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.sig${JWT}`],
    ['a Pulsar JWT after "token:"', `token:${JWT}`],
    ['a Pulsar JWT in a query string', `https://x.example/?token=${JWT}&y=1`],
  ])('%s', (_, text) => {
    const out = redact(text);
    expect(out).not.toContain(HEX);
    expect(out).not.toContain(HEX.toUpperCase());
    expect(out).not.toContain('c2lnbmF0dXJlLXBhcnQ');
    expect(out).not.toContain('eyJzdWIiOiJjbGllbnQ7YWJjIn0');
    expect(out).toMatch(/\[redacted/);
    expect(redact(out)).toBe(out);
  });

  it('ordinary text is left alone', () => {
    for (const text of ['role eyJ is not a token', 'a short hex deadbeef', 'keyboard.layout.json', 'AstraCS: the prefix']) {
      expect(redact(text)).toBe(text);
    }
  });
});

describe('terminalSafe: every control is shown, never obeyed', () => {
  it.each([
    [
      'clear screen, window title, OSC 52 clipboard write, 8-bit CSI',
      'a\u001b[2Jb\u001b]0;title\u0007c\u001b]52;c;aGk=\u001b\\d\u009b31me',
      {},
      'a\\x1b[2Jb\\x1b]0;title\\x07c\\x1b]52;c;aGk=\\x1b\\d\\x9b31me',
    ],
    ['colour from data is shown as text', '\u001b[31mred\u001b[39m', {}, '\\x1b[31mred\\x1b[39m'],
    ["colour survives when kept (the tool's own)", '\u001b[31mred\u001b[39m', { keepColour: true }, '\u001b[31mred\u001b[39m'],
    [
      'keeping colour keeps nothing else',
      '\u001b[1mx\u001b]52;c;aGk=\u0007\u001b[2J',
      { keepColour: true },
      '\u001b[1mx\\x1b]52;c;aGk=\\x07\\x1b[2J',
    ],
    ['line breaks and tabs in a one-line field', 'a\r\nb\tc\rd\u2028e\u2029f', {}, 'a\\r\\nb\\tc\\rd\\u2028e\\u2029f'],
    ['kept lines keep \\n and tabs, a lone \\r is shown', 'a\r\nb\rc\td', { keepLines: true }, 'a\nb\\rc\td'],
    ['other C0, DEL and C1', 'a\u0000b\u0007c\u007fd\u0085e', {}, 'a\\x00b\\x07c\\x7fd\\x85e'],
    ['a lone ESC', 'end\u001b', {}, 'end\\x1b'],
    [
      'bidi overrides, embeddings and isolates',
      'evil\u202eexe.txt \u202a\u202b\u202c\u202d \u2066\u2067\u2068\u2069 \u200e\u200f\u061c',
      {},
      'evil\\u202eexe.txt \\u202a\\u202b\\u202c\\u202d \\u2066\\u2067\\u2068\\u2069 \\u200e\\u200f\\u061c',
    ],
    ['ordinary text and unicode are untouched', 'Rôle ünïcødé ✓ 名前 עברית', {}, 'Rôle ünïcødé ✓ 名前 עברית'],
  ] as const)('%s', (_, input, opts, expected) => {
    expect(terminalSafe(input, opts)).toBe(expected);
    // Shown once is shown for good: a second pass changes nothing.
    expect(terminalSafe(terminalSafe(input, opts), opts)).toBe(expected);
  });

  it('printable is the same sanitiser, shortened', () => {
    expect(printable('a\u001b]52;c;aGk=\u0007\u202eb')).toBe('a\\x1b]52;c;aGk=\\x07\\u202eb');
    expect(printable('x'.repeat(70))).toBe(`${'x'.repeat(60)}…`);
  });

  it('terminalSafeRecord makes every string of a record safe and keeps other values', () => {
    const when = new Date(0);
    const record = { name: 'r\u001b[2J', tags: ['a\nb', 1], nested: { d: '\u202e' }, when, n: 3, none: null };
    expect(terminalSafeRecord(record)).toEqual({ name: 'r\\x1b[2J', tags: ['a\\nb', 1], nested: { d: '\\u202e' }, when, n: 3, none: null });
    expect(terminalSafeRecord(record).when).toBe(when);
  });
});
