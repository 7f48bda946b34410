// `token audit --baseline <file>`: an earlier run's `--json` report, and what changed since it.
import { UsageError } from '../../errors.js';
import { printable } from '../../text/terminal.js';
import { compareFindings, findingKey, type Finding } from './rules.js';

export interface Baseline {
  clientIds: string[];
  findings: Finding[];
}

export interface Changes {
  created: string[];
  revoked: string[];
  newFindings: Finding[];
  resolvedFindings: Finding[];
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isText = (v: unknown): v is string => typeof v === 'string';
const isTextOrNull = (v: unknown): v is string | null => v === null || typeof v === 'string';

/** Reads a baseline report; anything that is not one is a usage error (exit 2) saying what is wrong. */
export function parseBaseline(text: string, path: string): Baseline {
  const bad = (reason: string) =>
    new UsageError(`--baseline: ${printable(path, 120)} is not a token audit --json report: ${reason}`, {
      hint: 'write one with: astra-token token audit --json > audit.json',
    });
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw bad(`invalid JSON (${err instanceof Error ? err.message : String(err)})`);
  }
  if (!isObject(doc)) throw bad('it is not a JSON object');
  const { tokens, findings } = doc;
  if (!Array.isArray(tokens)) throw bad("it has no 'tokens' list");
  if (!Array.isArray(findings)) throw bad("it has no 'findings' list");
  const clientIds = tokens.map((t, i) => {
    if (!isObject(t) || !isText(t.clientId)) throw bad(`tokens[${i}] has no clientId`);
    return t.clientId;
  });
  const parsed = findings.map((f, i): Finding => {
    if (!isObject(f) || !isText(f.rule) || !isTextOrNull(f.clientId) || !isTextOrNull(f.roleId)) {
      throw bad(`findings[${i}] needs a rule, a clientId (or null) and a roleId (or null)`);
    }
    if (!isText(f.severity) || !isText(f.message) || !isText(f.advice)) {
      throw bad(`findings[${i}] needs a severity, a message and an advice`);
    }
    const fix = Array.isArray(f.fix) && f.fix.every(isText) ? f.fix : null;
    return {
      rule: f.rule,
      severity: f.severity,
      clientId: f.clientId,
      roleId: f.roleId,
      message: f.message,
      advice: f.advice,
      fix,
    } as Finding;
  });
  return { clientIds, findings: parsed };
}

/**
 * What changed since the baseline. `found` is every finding of this run, suppressed ones included: a finding that is
 * now suppressed is neither new nor resolved. `reported` is what remains after suppressions.
 */
export function diffBaseline(
  baseline: Baseline,
  clientIds: readonly string[],
  found: readonly Finding[],
  reported: readonly Finding[],
): Changes {
  const before = new Set(baseline.clientIds);
  const now = new Set(clientIds);
  const beforeFindings = new Set(baseline.findings.map(findingKey));
  const nowFindings = new Set(found.map(findingKey));
  return {
    created: clientIds.filter((id) => !before.has(id)).sort(),
    revoked: baseline.clientIds.filter((id) => !now.has(id)).sort(),
    newFindings: reported.filter((f) => !beforeFindings.has(findingKey(f))),
    resolvedFindings: baseline.findings.filter((f) => !nowFindings.has(findingKey(f))).sort(compareFindings),
  };
}
