// How instants and expiries look to a person (TTY) and to a script (piped: ISO-8601 UTC). Durations in words for
// messages are domain/time.ts (formatDuration), which the domain itself uses.

const pad = (n: number) => String(n).padStart(2, '0');

/** Local wall-clock time, minute precision: `2026-11-23 15:04`. */
export function formatLocal(date: Date): string {
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** Local calendar date: `2026-11-23` (a narrow terminal's creation time). */
export function formatLocalDate(date: Date): string {
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** `in 12 days`, `expired 3 days ago`, `never`: days up to three months, the unit a token's life is counted in. */
export function describeExpiry(expiresAt: string | null, now: Date): string {
  if (expiresAt === null) return 'never';
  const diff = new Date(expiresAt).getTime() - now.getTime();
  const phrase = span(Math.abs(diff));
  if (diff <= 0) return phrase === undefined ? 'expired just now' : `expired ${phrase} ago`;
  return phrase === undefined ? 'in less than a minute' : `in ${phrase}`;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const SPANS: Array<[limit: number, size: number, unit: string]> = [
  [HOUR, MINUTE, 'minute'],
  [2 * DAY, HOUR, 'hour'],
  [90 * DAY, DAY, 'day'],
  [730 * DAY, 30 * DAY, 'month'],
  [Infinity, 365 * DAY, 'year'],
];

const SHORT_UNITS: Record<string, string> = { minute: 'm', hour: 'h', day: 'd', month: 'mo', year: 'y' };

/** `in 12d`, `3d ago`, `never`, `now`: describeExpiry for a narrow terminal. */
export function describeExpiryShort(expiresAt: string | null, now: Date): string {
  if (expiresAt === null) return 'never';
  const diff = new Date(expiresAt).getTime() - now.getTime();
  const ms = Math.abs(diff);
  if (ms < MINUTE) return 'now';
  const [, size, unit] = SPANS.find(([limit]) => ms < limit)!;
  const text = `${Math.round(ms / size)}${SHORT_UNITS[unit]}`;
  return diff <= 0 ? `${text} ago` : `in ${text}`;
}

function span(ms: number): string | undefined {
  if (ms < MINUTE) return undefined;
  const [, size, unit] = SPANS.find(([limit]) => ms < limit)!;
  // Rounded: a token made "for 5 days" a moment ago still reads "in 5 days".
  const n = Math.round(ms / size);
  return `${n} ${unit}${n === 1 ? '' : 's'}`;
}
