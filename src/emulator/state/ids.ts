/**
 * Ids and secrets drawn from the state's random source, so a test that injects `random` gets the same ids every run.
 * The order of the draws is part of that determinism: keep it when changing a caller.
 */
import { createHash, randomInt } from 'node:crypto';

export type Random = () => number;

const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const SECRET_CHARS = `${LETTERS}0123456789,.-_`;

/** Uniform numbers in [0, 1) from the OS generator: the default source. */
export const cryptoRandom: Random = () => randomInt(0, 2 ** 47) / 2 ** 47;

export const sha256Hex = (text: string): string => createHash('sha256').update(text).digest('hex');

/** A version 4 UUID. */
export function uuid(random: Random): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(random() * 16).toString(16));
  hex[12] = '4';
  hex[16] = (8 + Math.floor(random() * 4)).toString(16);
  const h = hex.join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** `n` ASCII letters: the alphabet of a token's client id. */
export function letters(random: Random, n: number): string {
  return Array.from({ length: n }, () => LETTERS[Math.floor(random() * LETTERS.length)]).join('');
}

/** A 64-character client secret. */
export function secretString(random: Random): string {
  return Array.from({ length: 64 }, () => SECRET_CHARS[Math.floor(random() * SECRET_CHARS.length)]).join('');
}
