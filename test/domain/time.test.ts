// Reading instants: the API's own form (UTC, `Z`) takes a quick path of its own; it must read every date exactly as
// the general path (and Date) does, and refuse what the general path refuses.
import { describe, expect, it } from 'vitest';
import { instantMsOf, normalInstant, parseInstant } from '../../src/domain/time.js';

/** What the general path computes: Date on the text with the fraction cut to milliseconds. */
const viaDate = (text: string) => new Date(text.replace(' ', 'T').replace(/(\.\d{3})\d+/, '$1')).getTime();

describe('instants', () => {
  it('reads the API form as Date does, for every fraction length and around month and year ends', () => {
    const samples = [
      '2021-02-22T17:09:58Z',
      '2021-02-22T17:09:58.6Z',
      '2021-02-22T17:09:58.66Z',
      '2021-02-22T17:09:58.668Z',
      '2021-02-22T17:09:58.668123456Z',
      '2024-02-29T23:59:59.999Z',
      '2000-02-29T00:00:00Z',
      '1999-12-31T23:59:59Z',
      '9999-12-31T23:59:59.999Z',
      '0100-01-01T00:00:00Z',
      '2026-06-30 12:00:00Z',
    ];
    for (const text of samples) expect({ text, ms: instantMsOf(text) }).toEqual({ text, ms: viaDate(text) });
    // Every day of a leap and a common year, at a time with a fraction.
    for (const year of [2023, 2024]) {
      for (let t = Date.UTC(year, 0, 1, 13, 14, 15, 167); t < Date.UTC(year + 1, 0, 1); t += 86_400_000) {
        const text = new Date(t).toISOString();
        expect(instantMsOf(text)).toBe(t);
      }
    }
  });

  it('refuses calendar typos instead of rolling them over', () => {
    for (const text of [
      '2026-02-29T00:00:00Z',
      '2024-02-30T00:00:00Z',
      '2026-04-31T00:00:00Z',
      '2026-13-01T00:00:00Z',
      '2026-00-10T00:00:00Z',
      '2026-01-00T00:00:00Z',
      '2026-01-01T24:00:00Z',
      '2026-01-01T10:60:00Z',
      '2026-01-01T10:00:60Z',
      '1900-02-29T00:00:00Z',
    ]) {
      expect({ text, ms: instantMsOf(text) }).toEqual({ text, ms: undefined });
    }
  });

  it('still reads the other forms on the general path: offsets, no seconds, date only, lower case, white space', () => {
    for (const text of ['2026-01-01T10:00:00+02:00', '2026-01-01T10:00Z', '2026-01-01', '2026-01-01t10:00:00z', ' 2026-01-01T10:00:00Z ']) {
      expect({ text, ms: instantMsOf(text) }).toEqual({ text, ms: viaDate(text.trim().toUpperCase()) });
    }
    for (const text of ['yesterday', '+021192-03-31T00:00:00.000Z', '2026-1-1', '']) expect(parseInstant(text)).toBeUndefined();
  });

  it("normalInstant keeps the API's form as it is and rewrites the others to it", () => {
    const canonical = '2021-02-22T17:09:58.668Z';
    expect(normalInstant(canonical)).toBe(canonical);
    expect(normalInstant('2021-02-22T17:09:58.668123Z')).toBe(canonical);
    expect(normalInstant('2021-02-22T19:09:58.668+02:00')).toBe(canonical);
    expect(normalInstant('2021-02-22T17:09:58Z')).toBe('2021-02-22T17:09:58.000Z');
    expect(normalInstant('2021-02-30T17:09:58.668Z')).toBeUndefined();
  });
});
