// The one check for role names, whoever makes them: a name typed for `role create/update`, and a name built from API
// data (the scoped role `token create --db` names after a database). A role name is shown in tables, prompts, audit
// reports and shell completion; a control character, a line break or a bidi control in it can rewrite what the
// terminal shows (ESC sequences), forge a second line or completion candidate (newline), or make a name read as
// another one (U+202E RIGHT-TO-LEFT OVERRIDE turns "resu RW" around).

/**
 * C0 and C1 controls and DEL (line feed, carriage return and NEL among them), the Unicode line and paragraph
 * separators, and the bidi controls: ALM U+061C, LRM/RLM U+200E-F, the embeddings and overrides U+202A-E and the
 * isolates U+2066-9.
 */
// eslint-disable-next-line no-control-regex -- control characters are what this matches
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/u;

/** Why `name` cannot name a role, or undefined when it can. */
export function roleNameProblem(name: string): string | undefined {
  if (name.trim() === '') return 'a role name must not be empty';
  const bad = UNSAFE.exec(name)?.[0];
  if (bad === undefined) return undefined;
  const code = `U+${bad.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
  if (/[\n\r\u0085\u2028\u2029]/u.test(bad)) return `a role name must not contain a line break (${code})`;
  if (/[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/u.test(bad)) return `a role name must not contain a bidi control (${code})`;
  return `a role name must not contain control characters (${code})`;
}

/** Whether `name` is safe to show as one line and one word of a completion list. */
export const isSafeName = (name: string): boolean => roleNameProblem(name) === undefined;
