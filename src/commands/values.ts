// Flag values checked where the flag is declared: enumerations through commander's `.choices()` (help, completion
// and the option's literal type all read the list), numbers and durations through `.argParser()` with the parsers
// below. Each throws commander's InvalidArgumentError with the reason only; main() words it as one line
// (`--flag: 'value' <reason>`, exit 2). Every value is trimmed, and enumerations match whatever the case
// (`--env PROD` is `--env prod`), so no verb checks a flag's value a second time.
import { Argument, InvalidArgumentError, Option } from '@commander-js/extra-typings';
import { parseDurationMs } from '../domain/time.js';

/** The listed value `value` names, trimmed and whatever its case; an InvalidArgumentError otherwise. */
export function oneOf<T extends string>(value: string, choices: readonly T[]): T {
  const wanted = value.trim().toLowerCase();
  const found = choices.find((choice) => choice.toLowerCase() === wanted);
  if (found === undefined) throw new InvalidArgumentError(`is not one of ${choices.join(', ')}`);
  return found;
}

/** An option taking one of `choices` (see oneOf): its type is their union. */
export function choiceOption<F extends string, const T extends readonly string[]>(flags: F, description: string, choices: T) {
  return new Option(flags, description).choices(choices).argParser((value) => oneOf<T[number]>(value, choices));
}

/** A positional argument taking one of `choices` (see oneOf). */
export function choiceArgument<N extends string, const T extends readonly string[]>(name: N, description: string, choices: T) {
  return new Argument(name, description).choices(choices).argParser((value) => oneOf<T[number]>(value, choices));
}

/** A whole number from `min` to `max`. */
export const integerIn =
  (min: number, max: number) =>
  (value: string): number => {
    const text = value.trim();
    const n = Number(text);
    if (!/^\d+$/.test(text) || n < min || n > max) throw new InvalidArgumentError(`is not a whole number from ${min} to ${max}`);
    return n;
  };

/** A decimal number from `min` to `max` (`0.25`, `.5`, `1`). */
export const decimalIn =
  (min: number, max: number) =>
  (value: string): number => {
    const text = value.trim();
    const n = Number(text);
    if (!/^\d*\.?\d+$/.test(text) || !(n >= min && n <= max)) throw new InvalidArgumentError(`is not a number from ${min} to ${max}`);
    return n;
  };

/** Seconds, more than 0 and at most `max` (fractions allowed), as milliseconds. */
export const secondsUpTo =
  (max: number, reason: { notNumber: string; outOfRange: string }) =>
  (value: string): number => {
    const text = value.trim();
    const seconds = Number(text);
    if (/^\d+(\.\d+)?$/.test(text) && seconds > 0 && seconds <= max) return Math.round(seconds * 1000);
    throw new InvalidArgumentError(/^-?\d+(\.\d+)?$/.test(text) ? reason.outOfRange : reason.notNumber);
  };

/** A duration (`30d`, `12h`, `90m`, `2w`, `45s`, `P90D`), as milliseconds. */
export function duration(value: string): number {
  const ms = parseDurationMs(value);
  if (ms === undefined) throw new InvalidArgumentError('is not a duration; use e.g. 30d, 12h, 90m, 2w or P90D');
  return ms;
}

/** A duration longer than zero (`0d` is a duration, but never a useful threshold), as milliseconds. */
export function positiveDuration(value: string): number {
  const ms = duration(value);
  if (ms <= 0) throw new InvalidArgumentError('must be longer than zero');
  return ms;
}

/** A lifetime (`--ttl 15m`): a duration longer than zero, kept with its text for an error about when it would end. */
export function lifetime(value: string): { ms: number; text: string } {
  return { ms: positiveDuration(value), text: value.trim() };
}
