// Instants and durations: parsing what the API sends (tolerantly) and what users type (strictly).
import { UsageError } from '../errors.js';
import { printable } from '../text/terminal.js';

const UNIT_MS = {
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 7 * 86_400_000,
} as const;

const SHORT_DURATION = /^(\d{1,6})([smhdw])$/;
// ISO-8601 durations without years/months (their length is not fixed): P2W, P90D, PT12H, P1DT2H30M.
const ISO_DURATION = /^P(?:(\d{1,6})W)?(?:(\d{1,6})D)?(?:T(?:(\d{1,6})H)?(?:(\d{1,6})M)?(?:(\d{1,6})S)?)?$/i;

/** Parses `30d`, `12h`, `90m`, `2w`, `45s` or ISO-8601 `P90D`/`PT12H`; returns milliseconds, or undefined. */
export function parseDurationMs(input: string): number | undefined {
  const text = input.trim();
  const short = SHORT_DURATION.exec(text);
  if (short) return Number(short[1]) * UNIT_MS[short[2] as keyof typeof UNIT_MS];
  const iso = ISO_DURATION.exec(text);
  if (iso && text.length > 1 && !/T$/i.test(text)) {
    const [, w, d, h, m, s] = iso;
    if ([w, d, h, m, s].every((x) => x === undefined)) return undefined;
    return (
      Number(w ?? 0) * UNIT_MS.w +
      Number(d ?? 0) * UNIT_MS.d +
      Number(h ?? 0) * UNIT_MS.h +
      Number(m ?? 0) * UNIT_MS.m +
      Number(s ?? 0) * UNIT_MS.s
    );
  }
  return undefined;
}

/** A duration flag value, or a usage error naming the flag and the accepted forms. */
export function requireDuration(flag: string, input: string): number {
  const ms = parseDurationMs(input);
  if (ms === undefined) {
    throw new UsageError(`${flag}: '${printable(input)}' is not a duration; use e.g. 30d, 12h, 90m, 2w or P90D`);
  }
  return ms;
}

/** A duration flag that must be longer than zero (`0d` is a duration, but never a useful threshold). */
export function requirePositiveDuration(flag: string, input: string): number {
  const ms = requireDuration(flag, input);
  if (ms <= 0) throw new UsageError(`${flag}: '${printable(input)}' must be longer than zero`);
  return ms;
}

/** A duration as a flag value this module parses back exactly: `90d`, `36h`, `90m`, `45s` (the largest whole unit). */
export function durationFlag(ms: number): string {
  for (const unit of ['d', 'h', 'm'] as const) {
    if (ms % UNIT_MS[unit] === 0) return `${ms / UNIT_MS[unit]}${unit}`;
  }
  return `${Math.ceil(ms / 1000)}s`;
}

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?(?:Z|[+-]\d{2}:?\d{2})?$/i;
// The form the API sends (UTC, `Z`, seconds, any fraction): read by hand, with no Date parsing or string rewriting.
const UTC_INSTANT = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?Z$/;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * Parses an ISO-8601 instant tolerantly: any number of fraction digits (the API sends ns in places), `Z` or an
 * offset. Returns undefined when it is not one. A list of 10 000 tokens passes here twice per token: the API's own
 * form takes one regular expression and arithmetic.
 */
export function parseInstant(input: string): Date | undefined {
  const ms = instantMsOf(input);
  return ms === undefined ? undefined : new Date(ms);
}

/** parseInstant as milliseconds since the epoch, without a Date. */
export function instantMsOf(input: string): number | undefined {
  const utc = UTC_INSTANT.exec(input);
  if (utc) {
    const [, y, mo, d, h, mi, s, fraction] = utc;
    const year = Number(y);
    // Date.UTC reads years 0-99 as 1900-1999: those few take the general path.
    if (year >= 100) {
      const month = Number(mo);
      const day = Number(d);
      if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
      const hour = Number(h);
      const minute = Number(mi);
      const second = Number(s);
      if (hour > 23 || minute > 59 || second > 59) return undefined;
      const millis = fraction === undefined ? 0 : Number(fraction.slice(0, 3).padEnd(3, '0'));
      return Date.UTC(year, month - 1, day, hour, minute, second, millis);
    }
  }
  const text = input.trim();
  if (!ISO_INSTANT.test(text) || !realCalendarTime(text)) return undefined;
  // Keep at most milliseconds: Date does not promise to accept more fraction digits.
  const normalised = text.replace(' ', 'T').replace(/(\.\d{3})\d+/, '$1');
  const ms = new Date(normalised).getTime();
  return Number.isNaN(ms) ? undefined : ms;
}

const CANONICAL = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** An instant in the one form shown and sent on (`toISOString`'s), or undefined when it is not one. */
export function normalInstant(input: string): string | undefined {
  const ms = instantMsOf(input);
  if (ms === undefined) return undefined;
  // Already in that form (what the API mostly sends): kept as it is, no Date made.
  return CANONICAL.test(input) ? input : new Date(ms).toISOString();
}

function daysInMonth(year: number, month: number): number {
  if (month !== 2) return DAYS_IN_MONTH[month - 1]!;
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
}

/** Date silently rolls 2026-02-30 over to March 2nd and 25:00 to the next day: a typo must not become a date. */
function realCalendarTime(text: string): boolean {
  const [, y, mo, d, h, mi, s] = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?/i.exec(text)!;
  const year = Number(y);
  const month = Number(mo);
  return (
    month >= 1 &&
    month <= 12 &&
    Number(d) >= 1 &&
    Number(d) <= daysInMonth(year, month) &&
    Number(h ?? 0) <= 23 &&
    Number(mi ?? 0) <= 59 &&
    Number(s ?? 0) <= 59
  );
}

/**
 * `--expires`: an absolute ISO-8601 instant or a duration from now. A past, malformed or past-year-9999 value is a
 * usage error, raised before any request is made.
 */
export function parseExpiry(input: string, now: Date): Date {
  const ms = parseDurationMs(input);
  if (ms !== undefined) return expiryAfter('--expires', input, ms, now);
  const at = parseInstant(input);
  if (!at) {
    throw new UsageError(
      `--expires: '${printable(input)}' is neither a duration (30d, 12h, 90m, 2w, P90D) nor an ISO-8601 instant (2027-01-01T00:00:00Z)`,
    );
  }
  if (at.getTime() <= now.getTime()) {
    throw new UsageError(`--expires: ${at.toISOString()} is in the past; give a future instant or a duration`);
  }
  return at;
}

/** The instant a duration flag (`--expires 30d`, `--ttl 15m`) names: in the future, and no later than the API can store. */
export function expiryAfter(flag: string, input: string, ms: number, now: Date): Date {
  if (ms <= 0) throw new UsageError(`${flag}: '${printable(input)}' is not a positive duration`);
  const at = new Date(now.getTime() + ms);
  // The API carries a four-digit year: `999999w` would go out as `+021192-...` and break every later list.
  if (at.getUTCFullYear() > 9999) {
    throw new UsageError(
      `${flag}: '${printable(input)}' ends after the year 9999, which the API cannot store; give a nearer expiry${flag === '--expires' ? ', or leave --expires out for a token that never expires' : ''}`,
    );
  }
  return at;
}

/** ISO-8601 UTC with `Z`, second precision (what the API is sent). */
export function toApiInstant(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Under this, `token rotate` refuses an expiry without --allow-short-expiry: the old token is revoked right after. */
export const ROTATE_MIN_EXPIRY_MS = 3_600_000;
/** Under this, `token create` warns: such short lives belong to `token exec`, which revokes the token itself. */
export const CREATE_SHORT_EXPIRY_MS = 5 * 60_000;

/** A wait in words for messages: `30s`, `5m`, `2h` (whole seconds, rounded up). */
export function formatWait(ms: number): string {
  const s = Math.ceil(ms / 1000);
  return s < 120 ? `${s}s` : s < 7200 ? `${Math.round(s / 60)}m` : `${Math.round(s / 3600)}h`;
}

const STEPS: Array<[number, string]> = [
  [365 * 86_400_000, 'year'],
  [30 * 86_400_000, 'month'],
  [7 * 86_400_000, 'week'],
  [86_400_000, 'day'],
  [3_600_000, 'hour'],
  [60_000, 'minute'],
];

/** A duration in words for messages: `7 days`, `12 hours`. */
export function formatDuration(ms: number): string {
  for (const [size, unit] of STEPS) {
    if (ms >= size && ms % size === 0) {
      const n = ms / size;
      return `${n} ${unit}${n === 1 ? '' : 's'}`;
    }
  }
  return `${Math.round(ms / 1000)} seconds`;
}
