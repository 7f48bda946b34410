// How instants look to a person (TTY) and to a script (piped: ISO-8601 UTC).

const pad = (n: number) => String(n).padStart(2, '0');

/** Local wall-clock time, minute precision: `2026-11-23 15:04`. */
export function formatLocal(date: Date): string {
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

const STEPS: Array<[number, string]> = [
  [365 * 86_400_000, 'year'],
  [30 * 86_400_000, 'month'],
  [7 * 86_400_000, 'week'],
  [86_400_000, 'day'],
  [3_600_000, 'hour'],
  [60_000, 'minute'],
];

/** `in 12 days`, `3 hours ago`, `just now`. */
export function formatRelative(date: Date, now: Date): string {
  const diff = date.getTime() - now.getTime();
  const abs = Math.abs(diff);
  for (const [size, unit] of STEPS) {
    if (abs >= size) {
      const n = Math.floor(abs / size);
      const phrase = `${n} ${unit}${n === 1 ? '' : 's'}`;
      return diff > 0 ? `in ${phrase}` : `${phrase} ago`;
    }
  }
  return 'just now';
}

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
