// A list shown to a person before a decision (a prompt, a warning): the first lines, then how many more there are.

/** How many items such a list shows before it summarises the rest. */
export const LISTED_ITEMS_LIMIT = 20;

/** The first `limit` lines, then `  ... and N more` (with `more`, e.g. where to see them all) when some were left out. */
export function cappedLines(lines: readonly string[], more = '', limit = LISTED_ITEMS_LIMIT): string[] {
  if (lines.length <= limit) return [...lines];
  return [...lines.slice(0, limit), `  ... and ${lines.length - limit} more${more}`];
}
