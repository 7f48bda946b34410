// `token audit`: the org's token risks in one report (rules in src/domain/audit/rules.ts), suppressions, a diff against an
// earlier report, and a CI gate (`--fail-on`, exit 9). Reads the token list and the roles, once each, in parallel.
import type { Role } from '../../api/schemas.js';
import { MAX_BASELINE_BYTES, MAX_IGNORE_FILE_BYTES, readUserFile, unreadableReason } from '../../config/safe-fs.js';
import { diffBaseline, parseBaseline, type Changes } from '../../domain/audit/baseline.js';
import {
  isTimedRule,
  parseRuleList,
  RULES,
  SEVERITIES,
  severityRank,
  summarize,
  timedMessage,
  type AuditSettings,
  type Finding,
  type InstantWords,
  type RuleId,
  type Severity,
} from '../../domain/audit/rules.js';
import { withFixes } from '../../domain/audit/fixes.js';
import { describeExpiry, describeExpiryShort, formatLocal, formatLocalDate } from '../../output/format-time.js';
import {
  applySuppressions,
  parseIgnoreEntry,
  parseIgnoreFile,
  unusedSuppressions,
  type Suppression,
} from '../../domain/audit/suppressions.js';
import type { Context } from '../../context.js';
import { AppError, PolicyError, UsageError, isMissingPermission, answerStatus, describeError } from '../../errors.js';
import { spreadsheetSafe, toCsv } from '../../output/csv.js';
import { mdTable, mdText } from '../../output/markdown.js';
import { renderList, wrapText, type Column, type ListOutput } from '../../output/render.js';
import { listOutput } from '../options.js';
import { renderResult } from '../../output/result.js';
import { printable, terminalSafe } from '../../text/terminal.js';
import { selfClientId } from './revoke-guards.js';
import { parseSelectors } from './selectors.js';
import { globalArgs, shellLine } from './shell-command.js';
import { newestFirst, tokenJson, toTokenView, type TokenJson, type TokenView } from './token-view.js';
import type { OptionsOf } from '../verb.js';
import type { TokenVerbs } from './register.js';

export type TokenAuditOptions = OptionsOf<TokenVerbs['audit']>;

/** The contract's `token audit --json` document (key order included). */
export interface AuditReport {
  generatedAt: string;
  auditedWith: string | null;
  summary: Record<Severity, number>;
  findings: Finding[];
  tokens: TokenJson[];
  changes?: Changes;
  /** Present when suppressions were given: the entries that matched no finding. */
  unusedSuppressions?: UnusedSuppression[];
}

export interface UnusedSuppression {
  /** As written: `<rule>[:<id>]`. */
  entry: string;
  /** `--ignore` or `<file>:<line>`. */
  source: string;
}

const DEFAULT_MAX_AGE_MS = 90 * 86_400_000;
const DEFAULT_EXPIRING_WITHIN_MS = 14 * 86_400_000;
/** How many failing findings the exit-9 error names before it counts the rest. */
const NAMED_FAILURES = 5;

export async function tokenAudit(ctx: Context, options: TokenAuditOptions): Promise<void> {
  // Every flag and file is checked before the first request.
  const maxAgeMs = options.maxAge ?? DEFAULT_MAX_AGE_MS;
  const expiringWithinMs = options.expiringWithin ?? DEFAULT_EXPIRING_WITHIN_MS;
  const failOn = options.failOn ?? 'never';
  const failOnRules = options.failOnRule === undefined ? new Set<RuleId>() : parseRuleList(options.failOnRule, '--fail-on-rule');
  // --expiring-within is not a selector here: it sets the window of the 'expiring' rule.
  const { role, olderThan, expired, description } = options;
  const selection = parseSelectors({ role, olderThan, expired, description }, ctx.now());
  const format = options.format ?? 'table';
  if (options.format !== undefined && ctx.output === 'json') {
    throw new UsageError('--format and --json cannot be combined: --json is the machine-readable report');
  }
  const suppressions: Suppression[] = (options.ignore ?? []).map((entry) => parseIgnoreEntry(entry, '--ignore'));
  if (options.ignoreFile !== undefined) {
    const text = await readInput('--ignore-file', options.ignoreFile, MAX_IGNORE_FILE_BYTES);
    suppressions.push(...parseIgnoreFile(text, options.ignoreFile));
  }
  const baseline =
    options.baseline === undefined
      ? undefined
      : parseBaseline(await readInput('--baseline', options.baseline, MAX_BASELINE_BYTES), options.baseline);

  const self = await selfClientId(ctx);
  const api = await ctx.api();
  const [infos, roles] = await Promise.all([
    api.listTokens().catch(explainForbidden('org-token-read', "list the org's tokens")),
    api.listRoles().catch(explainForbidden('org-role-read', "read the org's roles")),
  ]);
  const now = ctx.now();
  const all = infos.map((info) => toTokenView(info, roles, now)).sort(newestFirst);
  const settings: AuditSettings = { now, maxAgeMs, expiringWithinMs };
  // The rules see the whole org (a role held by an unselected token is not unused); the report covers the selection.
  const everything = withFixes({ tokens: all, roles, settings }, globalArgs(ctx), shellLine);
  const tokens = selection.count ? all.filter(selection.bind(roles, all)) : all;
  const found = selection.count ? everything.filter(aboutTokens(tokens)) : everything;
  const { kept, suppressed, notes } = applySuppressions(found, suppressions, now);

  const report: AuditReport = {
    generatedAt: now.toISOString(),
    auditedWith: self,
    summary: summarize(kept),
    findings: kept,
    tokens: tokens.map(tokenJson),
  };
  if (baseline)
    report.changes = diffBaseline(
      baseline,
      tokens.map((t) => t.clientId),
      found,
      kept,
    );
  // Matched against the whole org's findings: an entry for a token outside the selection is not stale.
  const unused = unusedSuppressions(everything, suppressions);
  if (suppressions.length > 0) report.unusedSuppressions = unused.map(({ entry, source }) => ({ entry, source }));

  for (const s of unused) ctx.io.warn(`${s.source}: '${terminalSafe(s.entry)}' matches no finding; remove it`);
  for (const note of notes) ctx.io.warn(note);
  const view = new ReportView(report, tokens, roles, settings);
  const out = listOutput(ctx, options);
  renderResult(ctx, {
    json: report,
    print:
      format === 'md'
        ? () => ctx.io.out.write(view.markdown())
        : format === 'csv'
          ? () => ctx.io.out.write(view.csv())
          : { plain: () => view.printRows(out), tty: () => view.printTables(out) },
  });
  if (suppressed.length > 0) ctx.io.info(`${countFindings(suppressed.length)} suppressed by --ignore/--ignore-file`);

  const failing = kept.filter((f) => (failOn !== 'never' && severityRank(f.severity) <= severityRank(failOn)) || failOnRules.has(f.rule));
  if (failing.length > 0) throw policyError(failing, gateName(failOn, failOnRules), report);
}

/** The findings about the selected tokens, and those about roles one of them holds. */
function aboutTokens(tokens: readonly TokenView[]): (f: Finding) => boolean {
  const ids = new Set(tokens.map((t) => t.clientId));
  const held = new Set(tokens.flatMap((t) => t.roles.map((r) => r.id.toLowerCase())));
  return (f) => (f.clientId !== null ? ids.has(f.clientId) : f.roleId !== null && held.has(f.roleId.toLowerCase()));
}

/** The gate in the exit-9 message: `--fail-on high`, `--fail-on-rule no-expiry` or both. */
function gateName(failOn: string, rules: ReadonlySet<RuleId>): string {
  const parts = failOn === 'never' ? [] : [`at or above --fail-on ${failOn}`];
  if (rules.size > 0) parts.push(`of --fail-on-rule ${[...rules].join(',')}`);
  return parts.join(' or ');
}

/** A file a CI job may take from its repository: a regular file, never through a symlink, never without a cap. */
async function readInput(flag: string, path: string, maxBytes: number): Promise<string> {
  try {
    return await readUserFile(path, maxBytes, { regularOnly: true });
  } catch (err) {
    const reason = unreadableReason(err);
    throw new UsageError(`${flag}: cannot read ${printable(path, 120)}: ${reason}`);
  }
}

/** A 403 says which permission the audit needs; every other error keeps its own code and message. */
function explainForbidden(action: string, what: string) {
  return (err: unknown): never => {
    if (isMissingPermission(err)) {
      throw new AppError('FORBIDDEN', `token audit needs to ${what}: this credential lacks ${action} (${describeError(err).message})`, {
        status: answerStatus(err),
        hint: 'run it with a token whose role holds org-token-read and org-role-read (e.g. the built-in "UI View Only")',
        cause: err,
      });
    }
    throw err;
  };
}

const countFindings = (n: number) => `${n} finding${n === 1 ? '' : 's'}`;

export const summaryLine = (summary: Record<Severity, number>) => SEVERITIES.map((s) => `${summary[s]} ${s}`).join(', ');

function policyError(failing: readonly Finding[], gate: string, report: AuditReport): PolicyError {
  const named = failing.slice(0, NAMED_FAILURES).map((f) => `${f.rule} ${f.clientId ?? f.roleId}`);
  const more = failing.length > NAMED_FAILURES ? `, and ${failing.length - NAMED_FAILURES} more` : '';
  return new PolicyError(`${countFindings(failing.length)} ${gate}: ${named.join(', ')}${more} (${summaryLine(report.summary)})`, {
    hint: 'fix them, or suppress accepted ones with --ignore <rule>:<id> or --ignore-file',
  });
}

/** The human and spreadsheet renderings of a report. */
class ReportView {
  private readonly roleNames = new Map<string, string>();
  private readonly descriptions: Map<string, string>;
  private readonly byClientId: Map<string, TokenView>;

  constructor(
    private readonly report: AuditReport,
    private readonly tokens: readonly TokenView[],
    roles: readonly Role[],
    private readonly settings: AuditSettings,
  ) {
    for (const r of roles) this.roleNames.set(r.id.toLowerCase(), r.name);
    this.descriptions = new Map(tokens.map((t) => [t.clientId, t.description]));
    this.byClientId = new Map(tokens.map((t) => [t.clientId, t]));
  }

  /**
   * A finding's message on a terminal: an instant in it reads as `token list` shows it (`in 24h`, `3d ago`, the
   * local creation date; with --wide `in 24 hours`, the local time), not as the ISO value the report keeps.
   */
  private ttyMessage(f: Finding, wide: boolean): string {
    const token = f.clientId === null ? undefined : this.byClientId.get(f.clientId);
    if (!token || !isTimedRule(f.rule)) return f.message;
    const { now } = this.settings;
    const words: InstantWords = wide
      ? {
          expires: (iso) => describeExpiry(iso, now),
          expired: (iso) => describeExpiry(iso, now).replace(/^expired /, ''),
          created: (iso) => formatLocal(new Date(iso)),
        }
      : {
          expires: (iso) => describeExpiryShort(iso, now),
          expired: (iso) => describeExpiryShort(iso, now),
          created: (iso) => formatLocalDate(new Date(iso)),
        };
    return timedMessage(f.rule, token, this.settings, words);
  }

  private roleName(f: Finding): string {
    return f.roleId === null ? '' : (this.roleNames.get(f.roleId.toLowerCase()) ?? f.roleId);
  }

  private isSelf(f: Finding): boolean {
    return f.clientId !== null && f.clientId === this.report.auditedWith;
  }

  private scope(): string {
    const { tokens, auditedWith } = this.report;
    return `${tokens.length} token${tokens.length === 1 ? '' : 's'}, audited with ${auditedWith ?? 'an unrecognised credential'}`;
  }

  /** Piped: one TSV row per finding, then the summary on stderr. */
  printRows(ctx: ListOutput): void {
    const { findings, summary } = this.report;
    const columns: Column<Finding>[] = [
      { header: 'SEVERITY', plain: (f) => f.severity },
      { header: 'RULE', plain: (f) => f.rule },
      { header: 'CLIENT ID', plain: (f) => f.clientId ?? '' },
      { header: 'ROLE ID', plain: (f) => f.roleId ?? '' },
      { header: 'MESSAGE', plain: (f) => f.message },
      { header: 'ADVICE', plain: (f) => f.advice },
    ];
    renderList(ctx, findings, columns, null);
    ctx.io.info(`${summaryLine(summary)}; ${this.scope()}`);
  }

  /** TTY: one table per severity, the advice of each rule once with the command that clears each finding, then the summary. */
  printTables(ctx: ListOutput): void {
    const { findings, summary, changes } = this.report;
    const { color } = ctx.io;
    const paint: Record<Severity, (s: string) => string> = { high: color.red, medium: color.yellow, low: color.cyan, info: color.dim };
    // Prose lines fit the terminal like the tables do (--wide: one line each, whatever the width).
    const lines = (text: string, indent: string) => (ctx.wide ? [indent + text] : wrapText(text, ctx.io.columns, indent));
    // The message names the role where one is involved: the subject column stays narrow and the finding gets room.
    const columns: Column<Finding>[] = [
      { header: 'RULE', plain: (f) => f.rule },
      {
        header: 'TOKEN / ROLE',
        plain: (f) => f.clientId ?? this.roleName(f),
        tty: (f) =>
          f.clientId === null
            ? `role ${this.roleName(f)}`
            : this.isSelf(f)
              ? `${f.clientId} ${color.bold('(this credential)')}`
              : f.clientId,
        // A long role name wraps too, as the findings do: nothing of either is cut.
        flexible: 'wrap',
      },
      // Wrapped, never cut: a finding shortened to fit would hide what it found.
      { header: 'FINDING', plain: (f) => f.message, tty: (f) => this.ttyMessage(f, ctx.wide === true), flexible: 'wrap' },
    ];
    for (const severity of SEVERITIES) {
      const group = findings.filter((f) => f.severity === severity);
      if (group.length === 0) continue;
      ctx.io.out.write(`${paint[severity](color.bold(`${severity.toUpperCase()} (${group.length})`))}\n`);
      renderList(ctx, group, columns, null);
      for (const rule of new Set(group.map((f) => f.rule))) {
        for (const line of lines(`${rule}: ${RULES[rule].advice}`, '  ')) ctx.io.out.write(color.dim(line) + '\n');
        // The command that clears each finding, as its advice (and its --json `fix`) gives it.
        for (const f of group) {
          if (f.rule !== rule || f.fix === null) continue;
          for (const line of lines(shellLine(f.fix), '    ')) ctx.io.out.write(`${line}\n`);
        }
      }
      ctx.io.out.write('\n');
    }
    if (changes) {
      ctx.io.out.write(`${color.bold('CHANGES SINCE THE BASELINE')}\n`);
      for (const line of changeLines(changes).flatMap((l) => lines(l, '  '))) ctx.io.out.write(`${line}\n`);
      ctx.io.out.write('\n');
    }
    const total = findings.length === 0 ? 'no findings' : countFindings(findings.length);
    const [first = '', ...rest] = lines(
      `${total}: ${summaryLine(summary)}; ${this.scope()}${this.report.auditedWith ? ' (this credential)' : ''}`,
      '',
    );
    ctx.io.out.write([color.bold(total) + first.slice(total.length), ...rest].join('\n') + '\n');
  }

  /** GitHub-flavoured Markdown for `$GITHUB_STEP_SUMMARY` or a pull-request comment. */
  markdown(): string {
    const { findings, summary, changes, generatedAt, auditedWith } = this.report;
    const out = [
      '## Astra token audit',
      '',
      `${mdText(generatedAt)}: ${this.tokens.length} token${this.tokens.length === 1 ? '' : 's'}, audited with ${auditedWith ? `\`${auditedWith}\` (this credential)` : 'an unrecognised credential'}`,
      '',
      mdTable(
        SEVERITIES.map((s) => s),
        [SEVERITIES.map((s) => String(summary[s]))],
      ),
      '',
    ];
    if (findings.length === 0) out.push('No findings.', '');
    else out.push(this.mdFindings(findings), '');
    if (changes) {
      out.push('### Changes since the baseline', '');
      out.push(`- Tokens created: ${mdIds(changes.created)}`, `- Tokens revoked: ${mdIds(changes.revoked)}`, '');
      out.push(
        `**New findings** (${changes.newFindings.length})`,
        '',
        changes.newFindings.length ? this.mdFindings(changes.newFindings) : 'None.',
        '',
      );
      out.push(
        `**Resolved findings** (${changes.resolvedFindings.length})`,
        '',
        changes.resolvedFindings.length ? this.mdFindings(changes.resolvedFindings) : 'None.',
        '',
      );
    }
    return out.join('\n');
  }

  private mdFindings(findings: readonly Finding[]): string {
    return mdTable(
      ['Severity', 'Rule', 'Client ID', 'Description', 'Role', 'Finding', 'Advice'],
      findings.map((f) => [
        f.severity === 'high' ? `**${f.severity}**` : mdText(f.severity),
        mdText(f.rule),
        f.clientId === null ? '' : `${mdText(f.clientId)}${this.isSelf(f) ? ' \\(this credential\\)' : ''}`,
        mdText(f.clientId === null ? '' : (this.descriptions.get(f.clientId) ?? '')),
        mdText(this.roleName(f)),
        mdText(f.message),
        mdText(f.advice),
      ]),
    );
  }

  /** RFC 4180, one row per finding, for spreadsheets. */
  csv(): string {
    const header = ['severity', 'rule', 'clientId', 'self', 'description', 'roleId', 'roleName', 'message', 'advice'];
    const rows = this.report.findings.map((f) => [
      f.severity,
      f.rule,
      f.clientId ?? '',
      this.isSelf(f) ? 'true' : 'false',
      spreadsheetSafe(f.clientId === null ? '' : (this.descriptions.get(f.clientId) ?? '')),
      f.roleId ?? '',
      spreadsheetSafe(this.roleName(f)),
      spreadsheetSafe(f.message),
      f.advice,
    ]);
    return toCsv(header, rows);
  }
}

const mdIds = (ids: readonly string[]) => (ids.length ? ids.map(mdText).join(', ') : 'none');

/** The changes as lines for a terminal; ids and rules may come from the baseline file: made safe to show. */
function changeLines(changes: Changes): string[] {
  const ids = (list: readonly string[]) => (list.length ? terminalSafe(list.join(', ')) : 'none');
  const findings = (list: readonly Finding[]) =>
    list.length ? terminalSafe(list.map((f) => `${f.rule} ${f.clientId ?? f.roleId}`).join(', ')) : 'none';
  return [
    `tokens created: ${ids(changes.created)}`,
    `tokens revoked: ${ids(changes.revoked)}`,
    `new findings: ${findings(changes.newFindings)}`,
    `resolved findings: ${findings(changes.resolvedFindings)}`,
  ];
}
