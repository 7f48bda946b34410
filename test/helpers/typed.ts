// Typed stand-ins where a test would otherwise hold `any` (typescript-eslint's no-unsafe-* rules): the JSON a
// command printed, its `--json` error, and vitest's asymmetric matchers (which vitest types as `any`).
import { expect } from 'vitest';
import type { ErrorReport } from '../../src/errors.js';

/** JSON a command printed, as the shape the test expects: nothing checks it here, the test's assertions do. */
export function parseJson<T>(text: string): T {
  return JSON.parse(text) as T;
}

/** The `error` object of a `--json` failure on stderr (src/main.ts writes it). */
export type JsonError = Pick<ErrorReport, 'code' | 'message'> & Partial<Pick<ErrorReport, 'status' | 'hint'>>;

/** The `error` object of a `--json` failure on stderr. */
export function jsonError(stderr: string): JsonError {
  return parseJson<{ error: JsonError }>(stderr).error;
}

/** vitest's asymmetric matchers, typed `unknown`: `like.any(String)` is `expect.any(String)`. */
export const like = {
  any: (type: unknown): unknown => expect.any(type),
  stringContaining: (text: string): unknown => expect.stringContaining(text),
  stringMatching: (pattern: string | RegExp): unknown => expect.stringMatching(pattern),
};
