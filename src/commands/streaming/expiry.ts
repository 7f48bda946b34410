// `--expires` for Pulsar tokens: a duration from 7 days up (the service refuses shorter ones), or none at all for a
// token that never expires. Checked here, before any request, with a message that says what is accepted.
import { UsageError } from '../../errors.js';
import { printable } from '../../text/terminal.js';
import { formatDuration, parseDurationMs, parseInstant } from '../../domain/time.js';

export const MIN_STREAMING_TOKEN_MS = 7 * 86_400_000;

export interface StreamingExpiry {
  /** What the service is sent (`30d`); undefined for a token that never expires. */
  exp?: string;
  /** The lifetime in milliseconds; null when it never expires. */
  ms: number | null;
}

export function streamingExpiry(input: string | undefined): StreamingExpiry {
  if (input === undefined || input.trim().toLowerCase() === 'never') return { ms: null };
  const ms = parseDurationMs(input);
  if (ms === undefined) {
    if (parseInstant(input)) {
      throw new UsageError(
        `--expires: streaming tokens take a lifetime, not an instant; give a duration of 7d or more (e.g. 30d) or 'never'`,
      );
    }
    throw new UsageError(`--expires: '${printable(input)}' is not a duration; use e.g. 7d, 30d, 12w, P90D, or 'never'`);
  }
  if (ms < MIN_STREAMING_TOKEN_MS) {
    const given = ms === 0 ? '0' : formatDuration(ms);
    throw new UsageError(`--expires: ${given} is shorter than the 7 days Astra Streaming accepts`, {
      hint: "give 7d or more, or leave --expires out (or say 'never') for a token that never expires",
    });
  }
  return { exp: wireDuration(ms), ms };
}

/** The largest whole unit the service understands: `30d`, else `200h`, `11000m`, `700000s`. */
function wireDuration(ms: number): string {
  for (const [size, unit] of [
    [86_400_000, 'd'],
    [3_600_000, 'h'],
    [60_000, 'm'],
  ] as const) {
    if (ms % size === 0) return `${ms / size}${unit}`;
  }
  return `${Math.ceil(ms / 1000)}s`;
}
