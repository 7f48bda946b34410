// Suppressions of `token audit`: `--ignore <rule>[:<clientId>|<roleId>]` and the same entries from `--ignore-file`,
// one a line, `#` comments, and an optional `until YYYY-MM-DD` after which the entry lapses and the finding returns.
import { UsageError } from '../../errors.js';
import { printable } from '../../text/terminal.js';
import { parseInstant } from '../time.js';
import { requireRuleId, type Finding, type RuleId } from './rules.js';

export interface Suppression {
  rule: RuleId;
  /** A client id or a role id; every finding of the rule when absent. */
  id?: string;
  /** The first instant at which the entry no longer applies (the day after `until`, 00:00 UTC). */
  lapsesAt?: Date;
  /** `until` as written, for the note. */
  until?: string;
  /** Where it was given: `--ignore` or `<file>:<line>`. */
  source: string;
  /** The entry as written (without `until`), for the unused-entry warning. */
  entry: string;
}

/** `rule` or `rule:<id>`; an unknown rule is a usage error with the closest rule ids. */
export function parseIgnoreEntry(entry: string, source: string): Suppression {
  const text = entry.trim();
  const colon = text.indexOf(':');
  const rule = colon < 0 ? text : text.slice(0, colon);
  const id = colon < 0 ? undefined : text.slice(colon + 1);
  requireRuleId(rule, source);
  if (id !== undefined && !/^[A-Za-z0-9-]{1,64}$/.test(id)) {
    throw new UsageError(`${source}: '${printable(id)}' is not a client id or role id (in '${printable(text)}')`);
  }
  return { rule: rule as RuleId, id, source, entry: text };
}

const UNTIL = /^(\S+)\s+until\s+(\S+)$/;

/** The entries of an ignore file; a malformed line is a usage error naming the file and line. */
export function parseIgnoreFile(text: string, path: string): Suppression[] {
  const out: Suppression[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.replace(/#.*$/, '').trim();
    if (line === '') return;
    const source = `${path}:${i + 1}`;
    const dated = UNTIL.exec(line);
    if (!dated && /\s/.test(line)) {
      throw new UsageError(`${source}: expected '<rule>[:<id>] [until YYYY-MM-DD]', got '${printable(line)}'`);
    }
    const suppression = parseIgnoreEntry(dated ? dated[1]! : line, source);
    if (dated) {
      const until = dated[2]!;
      const day = /^\d{4}-\d{2}-\d{2}$/.test(until) ? parseInstant(`${until}T00:00:00Z`) : undefined;
      if (!day) throw new UsageError(`${source}: 'until ${printable(until)}' is not a date; write until YYYY-MM-DD`);
      suppression.until = until;
      suppression.lapsesAt = new Date(day.getTime() + 86_400_000);
    }
    out.push(suppression);
  });
  return out;
}

const matches = (s: Suppression, f: Finding) =>
  s.rule === f.rule && (s.id === undefined || s.id === f.clientId || s.id.toLowerCase() === f.roleId?.toLowerCase());

export interface SuppressionResult {
  /** The findings that remain; those whose only matching entries lapsed carry a note in their message. */
  kept: Finding[];
  suppressed: Finding[];
  /** One line per finding that returned because its entry lapsed. */
  notes: string[];
}

/** Drops the findings a live entry matches; an entry whose `until` has passed no longer applies. */
export function applySuppressions(findings: readonly Finding[], suppressions: readonly Suppression[], now: Date): SuppressionResult {
  const result: SuppressionResult = { kept: [], suppressed: [], notes: [] };
  for (const finding of findings) {
    const matching = suppressions.filter((s) => matches(s, finding));
    if (matching.some((s) => s.lapsesAt === undefined || now < s.lapsesAt)) {
      result.suppressed.push(finding);
      continue;
    }
    const lapsed = matching[0];
    if (lapsed === undefined) {
      result.kept.push(finding);
      continue;
    }
    const note = `suppression ended ${lapsed.until} (${lapsed.source})`;
    result.kept.push({ ...finding, message: `${finding.message} [${note}]` });
    result.notes.push(`${finding.rule} ${finding.clientId ?? finding.roleId}: ${note}; the finding applies again`);
  }
  return result;
}

/** The entries that match none of the findings (live or lapsed alike): stale ones, or mistyped ids. */
export function unusedSuppressions(findings: readonly Finding[], suppressions: readonly Suppression[]): Suppression[] {
  return suppressions.filter((s) => !findings.some((f) => matches(s, f)));
}
