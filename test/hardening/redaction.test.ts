// The redaction every error line and trace line passes through, applied more than once (a message may quote an
// already redacted one): stable, and still catching what is not yet redacted.
import { describe, expect, it } from 'vitest';
import { redact } from '../../src/api/redact.js';
import { terminalSafe } from '../../src/terminal-text.js';

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

describe('terminalSafe', () => {
  it.each([
    ['clears, titles, clipboard writes and 8-bit CSI are dropped', 'a\u001b[2Jb\u001b]0;title\u0007c\u001b]52;c;aGk=\u001b\\d\u009b31me', {}, 'abcde'],
    ['colour is dropped unless kept', '\u001b[31mred\u001b[39m', {}, 'red'],
    ['colour survives when kept', '\u001b[31mred\u001b[39m', { keepColour: true }, '\u001b[31mred\u001b[39m'],
    ['line breaks and tabs become spaces on one line', 'a\r\nb\tc\rd', {}, 'a b c d'],
    ['kept lines keep \\n, a lone \\r becomes visible', 'a\r\nb\rc', { keepLines: true }, 'a\nb?c'],
    ['other control characters become visible', 'a\u0000b\u0007c\u007fd\u0085e', {}, 'a?b?c?d?e'],
    ['a lone ESC becomes visible', 'end\u001b', {}, 'end?'],
    ['ordinary text and unicode are untouched', 'Rôle ünïcødé ✓ 名前', {}, 'Rôle ünïcødé ✓ 名前'],
  ] as const)('%s', (_, input, opts, expected) => {
    expect(terminalSafe(input, opts)).toBe(expected);
  });
});
