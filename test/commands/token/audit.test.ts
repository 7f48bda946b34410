// `token audit` against the in-process emulator, seeded with one token (or role) per rule and audited with a
// read-only credential that itself triggers nothing.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EmulatorState } from '../../../src/emulator/state.js';
import { runCli, type RunOptions } from '../../helpers/cli.js';
import { useEmulator } from '../../helpers/emulator.js';
import { DAY, NOW, at, clientIdOf, roleId } from '../../helpers/fixtures/token.js';

const emu = useEmulator({ state: { now: () => NOW } });
const ORPHAN_ROLE = '00000000-0000-4000-8000-000000000000';

interface Finding {
  rule: string;
  severity: string;
  clientId: string | null;
  roleId: string | null;
  message: string;
  advice: string;
}
interface Report {
  generatedAt: string;
  auditedWith: string | null;
  summary: Record<string, number>;
  findings: Finding[];
  tokens: Array<{ clientId: string }>;
  changes?: { created: string[]; revoked: string[]; newFindings: Finding[]; resolvedFindings: Finding[] };
}

function addRole(state: EmulatorState, name: string, resources: string[], actions: string[]): string {
  const id = state.uuid();
  state.defaultOrg.roles.push({
    id,
    name,
    policy: { description: name, resources, actions, effect: 'allow' },
    last_update_datetime: NOW.toISOString(),
    last_update_userid: 'test',
    builtIn: false,
  });
  return id;
}

/** A token that triggers no rule unless the overrides say otherwise. */
function issue(roles: string[], opts: { description?: string; expiresAt?: Date | null; generatedOn?: Date } = {}): string {
  const { token } = emu.state.issueToken(emu.state.defaultOrg.id, roles, {
    description: 'orders service',
    expiresAt: at(60 * DAY),
    generatedOn: at(-1 * DAY),
    ...opts,
  });
  return token;
}

/** One subject per rule; the emulator's own admin token is never issued (emu.adminToken is not read). */
function seed() {
  const org = emu.state.defaultOrg;
  const orgDrn = `drn:astra:org:${org.id}`;
  const ordersDb = org.databases.find((d) => d.info.name === 'orders')!.id;
  const broadRole = addRole(
    emu.state,
    'Every database reader',
    [orgDrn, `${orgDrn}:db:*`, `${orgDrn}:db:*:keyspace:*`],
    ['db-table-select'],
  );
  const unusedRole = addRole(
    emu.state,
    'Orders reader',
    [orgDrn, `${orgDrn}:db:${ordersDb}`, `${orgDrn}:db:${ordersDb}:keyspace:*`],
    ['db-table-select'],
  );
  const auditorToken = issue(['UI View Only'], { description: 'weekly audit' });
  const ids = {
    auditor: clientIdOf(auditorToken),
    admin: clientIdOf(issue(['Organization Administrator'], { description: 'ci admin' })),
    noExpiry: clientIdOf(issue(['RO User'], { expiresAt: null })),
    tooOld: clientIdOf(issue(['RO User'], { generatedOn: at(-120 * DAY) })),
    broadUser: clientIdOf(issue([broadRole])),
    deleted: clientIdOf(issue([ORPHAN_ROLE])),
    noDescription: clientIdOf(issue(['RO User'], { description: '' })),
    expiring: clientIdOf(issue(['RO User'], { expiresAt: at(3 * DAY) })),
    expired: clientIdOf(issue(['RO User'], { expiresAt: at(-3 * DAY) })),
  };
  return { ...ids, auditorToken, broadRole, unusedRole, adminRole: roleId(emu.state, 'Organization Administrator') };
}

const envWith = (token: string) => ({ ASTRA_DB_APPLICATION_TOKEN: token, ASTRA_API_URL: emu.baseUrl });
const audit = (token: string, args: string[], opts: RunOptions = {}) =>
  runCli(['token', 'audit', ...args], { env: envWith(token), now: NOW, ...opts });
const auditJson = async (token: string, args: string[] = []) => {
  const r = await audit(token, [...args, '--json']);
  return { ...r, report: JSON.parse(r.stdout) as Report };
};
const subjects = (findings: readonly Finding[]) => findings.map((f) => [f.rule, f.clientId, f.roleId]);

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'astra-token-audit-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

describe('token audit: rules', () => {
  it('every rule fires on its seeded subject and on nothing else, in severity, rule, id order', async () => {
    const s = seed();
    const { code, stderr, report } = await auditJson(s.auditorToken);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(subjects(report.findings)).toEqual([
      ['admin-role', s.admin, s.adminRole],
      ['broad-custom-role', null, s.broadRole],
      ['no-expiry', s.noExpiry, null],
      ['too-old', s.tooOld, null],
      ['deleted-role', s.deleted, ORPHAN_ROLE],
      ['expired', s.expired, null],
      ['expiring', s.expiring, null],
      ['no-description', s.noDescription, null],
      ['unused-role', null, s.unusedRole],
    ]);
    expect(report.findings.map((f) => f.severity)).toEqual(['high', 'medium', 'medium', 'medium', 'low', 'low', 'low', 'low', 'info']);
    expect(report.summary).toEqual({ high: 1, medium: 3, low: 4, info: 1 });
    expect(report.auditedWith).toBe(s.auditor);
    expect(report.generatedAt).toBe(NOW.toISOString());
    expect(Object.keys(report)).toEqual(['generatedAt', 'auditedWith', 'summary', 'findings', 'tokens']);
    expect(Object.keys(report.findings[0]!)).toEqual(['rule', 'severity', 'clientId', 'roleId', 'message', 'advice', 'fix']);
    // The admin message names the actions that make the role an admin role.
    expect(report.findings[0]!.message).toContain('"Organization Administrator"');
    expect(report.findings[0]!.message).toContain(
      'org-token-write, org-role-write, org-role-delete, org-user-write, org-write, org-db-create, org-db-terminate',
    );
    for (const f of report.findings) expect(f.advice.length).toBeGreaterThan(10);
    // Advice that names a command names this finding's own token or role, ready to paste.
    const advice = (rule: string) => report.findings.find((f) => f.rule === rule)!.advice;
    expect(advice('no-expiry')).toBe(`rotate it with an expiry: astra-token token rotate ${s.noExpiry} --expires 90d`);
    expect(advice('unused-role')).toContain(`astra-token role delete ${s.unusedRole}`);
    for (const f of report.findings) expect(f.advice).not.toMatch(/<clientId>|<role>/);
    // The remedy must not itself hold these actions on the org: token create --db's scoped role does (org-db-create).
    expect(advice('admin-role')).not.toContain('--db');
  });

  it("the report's tokens are exactly what token list --json prints", async () => {
    const s = seed();
    const { report } = await auditJson(s.auditorToken);
    const list = await runCli(['token', 'list', '--json'], { env: envWith(s.auditorToken), now: NOW });
    expect(report.tokens).toEqual(JSON.parse(list.stdout));
    expect(report.tokens).toHaveLength(9);
  });

  it('reads the token list and the roles once each, and nothing per token', async () => {
    const s = seed();
    await audit(s.auditorToken, []);
    expect(emu.state.requests.map((q) => `${q.method} ${q.path}`).sort()).toEqual(['GET /v2/organizations/roles', 'GET /v2/tokens']);
  });

  it('--max-age and --expiring-within move the thresholds', async () => {
    const s = seed();
    const rules = async (args: string[]) =>
      subjects((await auditJson(s.auditorToken, args)).report.findings).filter(([r]) => r === 'too-old' || r === 'expiring');
    expect(await rules(['--max-age', '200d', '--expiring-within', '2d'])).toEqual([]);
    // Every live token was created a day ago and expires within 60 days (P61D), apart from the two exceptions.
    const wide = await rules(['--max-age', '12h', '--expiring-within', 'P61D']);
    expect(wide.filter(([r]) => r === 'too-old')).toHaveLength(8);
    expect(wide.filter(([r]) => r === 'expiring')).toHaveLength(7);
  });

  it('a built-in role with org-db-create counts as admin; a custom role with write actions only on one database does not', async () => {
    const org = emu.state.defaultOrg;
    const db = org.databases[0]!.id;
    const scoped = addRole(emu.state, 'orders admin', [`drn:astra:org:${org.id}:db:${db}`], ['org-db-terminate', 'db-table-select']);
    const orgWide = addRole(emu.state, 'token minter', [`drn:astra:org:${org.id}`], ['org-token-write']);
    const auditor = issue(['UI View Only']);
    const dba = clientIdOf(issue(['Database Administrator']));
    clientIdOf(issue([scoped]));
    const minter = clientIdOf(issue([orgWide]));
    const { report } = await auditJson(auditor);
    const admin = report.findings.filter((f) => f.rule === 'admin-role');
    expect(subjects(admin)).toEqual(
      [
        ['admin-role', dba, roleId(emu.state, 'Database Administrator')],
        ['admin-role', minter, orgWide],
      ].sort((a, b) => (a[1]! < b[1]! ? -1 : 1)),
    );
    expect(admin.find((f) => f.clientId === dba)!.message).toContain('org-db-create, org-db-terminate');
    expect(admin.find((f) => f.clientId === minter)!.message).toMatch(
      /custom role "token minter" with org-token-write on the whole org \(it can mint a token of any role, Organization Administrator included\)$/,
    );
  });

  it('an expired token gets only "expired", whatever else is wrong with it', async () => {
    const auditor = issue(['UI View Only']);
    const old = clientIdOf(
      issue(['Organization Administrator', ORPHAN_ROLE], { description: '', expiresAt: at(-DAY), generatedOn: at(-400 * DAY) }),
    );
    const { report } = await auditJson(auditor);
    expect(subjects(report.findings)).toEqual([['expired', old, null]]);
  });
});

describe('token audit: --fail-on and exit 9', () => {
  it('never (the default) exits 0 whatever is found', async () => {
    const s = seed();
    expect((await audit(s.auditorToken, [])).code).toBe(0);
    expect((await audit(s.auditorToken, ['--fail-on', 'never'])).code).toBe(0);
  });

  it('high exits 9 naming the admin token, with the summary on stderr; the report is still on stdout', async () => {
    const s = seed();
    const r = await audit(s.auditorToken, ['--fail-on', 'high']);
    expect(r.code).toBe(9);
    expect(r.stdout.split('\n')[0]!.split('\t').slice(0, 4)).toEqual(['high', 'admin-role', s.admin, s.adminRole]);
    expect(r.stdout.trimEnd().split('\n')).toHaveLength(9);
    expect(r.stderr).toContain(`error: 1 finding at or above --fail-on high: admin-role ${s.admin} (1 high, 3 medium, 4 low, 1 info)`);
  });

  it('with --json, exit 9 keeps the whole report on stdout and puts a POLICY error on stderr', async () => {
    const s = seed();
    const r = await audit(s.auditorToken, ['--fail-on', 'medium', '--json']);
    expect(r.code).toBe(9);
    expect((JSON.parse(r.stdout) as Report).summary).toEqual({ high: 1, medium: 3, low: 4, info: 1 });
    const error = (JSON.parse(r.stderr.trim()) as { error: { code: string; message: string } }).error;
    expect(error.code).toBe('POLICY');
    expect(error.message).toMatch(
      /^4 findings at or above --fail-on medium: admin-role \w+, broad-custom-role [0-9a-f-]+, no-expiry \w+, too-old \w+ /,
    );
  });

  it('each threshold counts what is at or above it; info never fails', async () => {
    const s = seed();
    const ignoreAllBut = (...keep: string[]) =>
      ['admin-role', 'no-expiry', 'too-old', 'broad-custom-role', 'deleted-role', 'no-description', 'expiring', 'expired', 'unused-role']
        .filter((rule) => !keep.includes(rule))
        .flatMap((rule) => ['--ignore', rule]);
    expect((await audit(s.auditorToken, ['--fail-on', 'high', ...ignoreAllBut('no-expiry')])).code).toBe(0);
    expect((await audit(s.auditorToken, ['--fail-on', 'medium', ...ignoreAllBut('no-expiry')])).code).toBe(9);
    expect((await audit(s.auditorToken, ['--fail-on', 'medium', ...ignoreAllBut('expired')])).code).toBe(0);
    expect((await audit(s.auditorToken, ['--fail-on', 'low', ...ignoreAllBut('expired')])).code).toBe(9);
    expect((await audit(s.auditorToken, ['--fail-on', 'low', ...ignoreAllBut('unused-role')])).code).toBe(0);
  });
});

describe('token audit: suppressions', () => {
  it('--ignore <rule> drops every finding of the rule; <rule>:<clientId> and <rule>:<roleId> drop one', async () => {
    const s = seed();
    const extraAdmin = clientIdOf(issue(['Organization Administrator']));
    const all = (await auditJson(s.auditorToken)).report.findings.filter((f) => f.rule === 'admin-role');
    expect(all.map((f) => f.clientId).sort()).toEqual([s.admin, extraAdmin].sort());

    const rule = await auditJson(s.auditorToken, ['--ignore', 'admin-role']);
    expect(rule.report.findings.some((f) => f.rule === 'admin-role')).toBe(false);
    expect(rule.report.summary.high).toBe(0);
    expect(rule.stderr).toBe('2 findings suppressed by --ignore/--ignore-file\n');

    const one = await auditJson(s.auditorToken, [
      '--ignore',
      `admin-role:${s.admin}`,
      '--ignore',
      `unused-role:${s.unusedRole.toUpperCase()}`,
    ]);
    expect(subjects(one.report.findings.filter((f) => f.rule === 'admin-role' || f.rule === 'unused-role'))).toEqual([
      ['admin-role', extraAdmin, s.adminRole],
    ]);
    expect(one.report.summary).toEqual({ high: 1, medium: 3, low: 4, info: 0 });
  });

  it('says on stderr how many findings were suppressed (not with --quiet)', async () => {
    const s = seed();
    expect((await audit(s.auditorToken, ['--ignore', 'no-expiry', '--ignore', 'expired'])).stderr).toContain('2 findings suppressed');
    expect((await audit(s.auditorToken, ['--ignore', 'no-expiry', '-q'])).stderr).not.toContain('suppressed');
  });

  it('--ignore-file: entries, comments and blank lines; "until" applies through that day', async () => {
    const s = seed();
    const path = file(
      'audit-ignore',
      [
        '# accepted risks',
        '',
        `admin-role:${s.admin}   until 2026-03-01   # today: still applies`,
        `no-expiry:${s.noExpiry} until 2026-04-30`,
        'unused-role',
      ].join('\n'),
    );
    const r = await auditJson(s.auditorToken, ['--ignore-file', path]);
    expect(r.code).toBe(0);
    const rules = r.report.findings.map((f) => f.rule);
    expect(rules).not.toContain('admin-role');
    expect(rules).not.toContain('no-expiry');
    expect(rules).not.toContain('unused-role');
    expect(rules).toContain('too-old');
  });

  it('after its "until" date an entry lapses: the finding returns with a note, and --fail-on counts it', async () => {
    const s = seed();
    const path = file('audit-ignore', `admin-role:${s.admin} until 2026-02-28\n`);
    const r = await audit(s.auditorToken, ['--ignore-file', path, '--fail-on', 'high', '--json']);
    expect(r.code).toBe(9);
    const admin = (JSON.parse(r.stdout) as Report).findings.find((f) => f.rule === 'admin-role')!;
    expect(admin.clientId).toBe(s.admin);
    expect(admin.message).toContain(`[suppression ended 2026-02-28 (${path}:1)]`);
    expect(r.stderr).toContain(`warning: admin-role ${s.admin}: suppression ended 2026-02-28 (${path}:1); the finding applies again`);
    // The same entry the day before that date still applies.
    const before = await runCli(['token', 'audit', '--ignore-file', path, '--fail-on', 'high'], {
      env: envWith(s.auditorToken),
      now: at(-2 * DAY),
    });
    expect(before.code).toBe(0);
  });
});

describe('token audit: baseline', () => {
  it('reports tokens created and revoked and findings new and resolved since an earlier --json report', async () => {
    const s = seed();
    const first = await audit(s.auditorToken, ['--json']);
    const baseline = file('baseline.json', first.stdout);

    const created = clientIdOf(issue(['RO User'], { expiresAt: null }));
    emu.state.revokeToken(s.admin);
    emu.state.revokeToken(s.expired);

    const { code, report } = await auditJson(s.auditorToken, ['--baseline', baseline]);
    expect(code).toBe(0);
    expect(Object.keys(report)).toEqual(['generatedAt', 'auditedWith', 'summary', 'findings', 'tokens', 'changes']);
    expect(report.changes!.created).toEqual([created]);
    expect(report.changes!.revoked).toEqual([s.admin, s.expired].sort());
    expect(subjects(report.changes!.newFindings)).toEqual([['no-expiry', created, null]]);
    expect(subjects(report.changes!.resolvedFindings)).toEqual([
      ['admin-role', s.admin, s.adminRole],
      ['expired', s.expired, null],
    ]);
    // A finding that is merely suppressed now is neither new nor resolved.
    const suppressed = await auditJson(s.auditorToken, ['--baseline', baseline, '--ignore', 'too-old']);
    expect(subjects(suppressed.report.changes!.resolvedFindings).map(([rule]) => rule)).toEqual(['admin-role', 'expired']);
  });

  it('on a terminal, what the baseline file says is shown with its escape sequences made visible', async () => {
    const s = seed();
    const doc = JSON.parse((await audit(s.auditorToken, ['--json'])).stdout) as Report;
    doc.tokens.push({ clientId: 'gone\u001b]0;title\u0007\u001b[2J' });
    doc.findings.push({ rule: 'no-expiry\u202e', severity: 'medium', clientId: 'old\u001b[5m', roleId: null, message: 'm', advice: 'a' });
    const r = await audit(s.auditorToken, ['--baseline', file('evil.json', JSON.stringify(doc))], { tty: true });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('tokens revoked: gone\\x1b]0;title\\x07\\x1b[2J');
    expect(r.stdout).toContain('resolved findings: no-expiry\\u202e old\\x1b[5m');
  });

  it('a missing or malformed baseline exits 2 with the reason, before any request', async () => {
    const s = seed();
    const cases: Array<[string, RegExp]> = [
      [join(dir, 'nope.json'), /cannot read .*nope\.json: no such file/],
      [file('bad.json', '{"findings": ['), /is not a token audit --json report: invalid JSON/],
      [file('list.json', '[]'), /it is not a JSON object/],
      [file('nofind.json', '{"tokens": []}'), /it has no 'findings' list/],
      [file('badfind.json', '{"tokens": [], "findings": [{"rule": "x"}]}'), /findings\[0\] needs a rule, a clientId/],
    ];
    for (const [path, reason] of cases) {
      const r = await audit(s.auditorToken, ['--baseline', path]);
      expect(r.code, path).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(reason);
    }
    expect(emu.state.requests).toEqual([]);
  });
});

describe('token audit: output', () => {
  it('piped: one tab-separated row per finding, no header; the summary goes to stderr', async () => {
    const s = seed();
    const r = await audit(s.auditorToken, []);
    const rows = r.stdout
      .trimEnd()
      .split('\n')
      .map((l) => l.split('\t'));
    expect(rows).toHaveLength(9);
    expect(rows.every((row) => row.length === 6)).toBe(true);
    expect(rows[1]!.slice(0, 4)).toEqual(['medium', 'broad-custom-role', '', s.broadRole]);
    expect(rows[2]!.slice(0, 4)).toEqual(['medium', 'no-expiry', s.noExpiry, '']);
    expect(r.stderr).toBe(`1 high, 3 medium, 4 low, 1 info; 9 tokens, audited with ${s.auditor}\n`);
  });

  it("TTY: a table per severity, the advice once per rule, and the audit's own credential marked", async () => {
    // The auditor's own token never expires: it has a finding of its own.
    const auditorToken = issue(['UI View Only'], { expiresAt: null });
    const self = clientIdOf(auditorToken);
    const other = clientIdOf(issue(['Organization Administrator'], { expiresAt: null }));
    const r = await audit(auditorToken, ['--no-color'], { tty: true, columns: 200 });
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines.filter((l) => /^[A-Z]+ \(\d+\)$/.test(l))).toEqual(['HIGH (1)', 'MEDIUM (2)']);
    expect(lines.indexOf('HIGH (1)')).toBeLessThan(lines.indexOf('MEDIUM (2)'));
    expect(lines.find((l) => l.startsWith('no-expiry') && l.includes(self))).toContain(`${self} (this credential)`);
    expect(lines.find((l) => l.startsWith('no-expiry') && l.includes(other))).not.toContain('(this credential)');
    expect(lines.filter((l) => l.startsWith('  no-expiry: '))).toHaveLength(1);
    expect(r.stdout).toContain(`3 findings: 1 high, 2 medium, 0 low, 0 info; 2 tokens, audited with ${self} (this credential)`);
  });

  it('--format and --json are refused together', async () => {
    const s = seed();
    const r = await audit(s.auditorToken, ['--format', 'md', '--json']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
  });
});

/** A strict RFC 4180 parser: CRLF records, quoted fields with doubled quotes; anything else throws. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let i = 0;
  while (i < text.length) {
    const row: string[] = [];
    for (;;) {
      let value = '';
      if (text[i] === '"') {
        i += 1;
        for (;;) {
          if (i >= text.length) throw new Error('unterminated quoted field');
          if (text[i] === '"') {
            if (text[i + 1] === '"') {
              value += '"';
              i += 2;
            } else {
              i += 1;
              break;
            }
          } else value += text[i++];
        }
      } else {
        while (i < text.length && text[i] !== ',' && text[i] !== '\r' && text[i] !== '\n') {
          if (text[i] === '"') throw new Error(`bare quote at ${i}`);
          value += text[i++];
        }
      }
      row.push(value);
      if (text[i] === ',') {
        i += 1;
        continue;
      }
      if (text.slice(i, i + 2) !== '\r\n') throw new Error(`expected CRLF at ${i}`);
      i += 2;
      break;
    }
    rows.push(row);
  }
  return rows;
}

/** Splits a Markdown table row on unescaped pipes and removes backslash escapes. */
function parseMdRow(line: string): string[] {
  const cells: string[] = [];
  let cell = '';
  for (let i = 1; i < line.length; i++) {
    const c = line[i]!;
    if (c === '\\' && i + 1 < line.length) cell += line[++i];
    else if (c === '|') {
      cells.push(cell.trim());
      cell = '';
    } else cell += c;
  }
  return cells;
}

const NASTY = 'ops, "night" team\nsecond line | *bold* <b>x</b> @org/team `code`';

describe('token audit: md and csv parse back', () => {
  it('csv: a header, one RFC 4180 record per finding, descriptions with quotes, commas and newlines intact', async () => {
    const s = seed();
    const nasty = clientIdOf(issue(['RO User'], { description: NASTY, expiresAt: null }));
    const formula = clientIdOf(issue(['RO User'], { description: '=HYPERLINK("http://x")', expiresAt: null }));
    const { report } = await auditJson(s.auditorToken);
    const r = await audit(s.auditorToken, ['--format', 'csv']);
    expect(r.code).toBe(0);
    const [header, ...rows] = parseCsv(r.stdout);
    expect(header).toEqual(['severity', 'rule', 'clientId', 'self', 'description', 'roleId', 'roleName', 'message', 'advice']);
    expect(rows).toHaveLength(report.findings.length);
    rows.forEach((row, i) => {
      const f = report.findings[i]!;
      expect(row.length).toBe(9);
      expect([row[0], row[1], row[2] || null, row[5] || null, row[7], row[8]]).toEqual([
        f.severity,
        f.rule,
        f.clientId,
        f.roleId,
        f.message,
        f.advice,
      ]);
      expect(row[3]).toBe('false');
    });
    const byClient = (id: string) => rows.find((row) => row[2] === id)!;
    expect(byClient(nasty)[4]).toBe(NASTY);
    // A description a spreadsheet would run as a formula is defused.
    expect(byClient(formula)[4]).toBe(`'=HYPERLINK("http://x")`);
    expect(rows.find((row) => row[1] === 'admin-role')![6]).toBe('Organization Administrator');
  });

  it.each([false, true])('csv (on a terminal: %s): escape sequences and bidi controls from the API are shown as escapes', async (tty) => {
    const s = seed();
    const hostile = 'title\u001b]0;pwned\u0007 clip\u001b]52;c;aGk=\u0007 clear\u001b[2J\u001bc rtl\u202e end';
    const role = addRole(emu.state, `role ${hostile}`, [`drn:astra:org:${emu.state.defaultOrg.id}`], ['org-token-write']);
    const id = clientIdOf(issue([role], { description: `desc ${hostile}` }));
    const r = await audit(s.auditorToken, ['--format', 'csv'], { tty });
    expect(r.code).toBe(0);
    // eslint-disable-next-line no-control-regex -- finding control characters is this assertion's purpose
    expect(r.stdout).not.toMatch(/[\u0000-\u0009\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
    const shown = 'title\\x1b]0;pwned\\x07 clip\\x1b]52;c;aGk=\\x07 clear\\x1b[2J\\x1bc rtl\\u202e end';
    const rows = parseCsv(r.stdout);
    expect(rows.find((row) => row[2] === id)![4]).toBe(`desc ${shown}`);
    expect(rows.find((row) => row[6] === `role ${shown}`)).toBeDefined();
  });

  it("csv marks the audit's own credential", async () => {
    const auditorToken = issue(['UI View Only'], { description: '' });
    const r = await audit(auditorToken, ['--format', 'csv']);
    const rows = parseCsv(r.stdout).slice(1);
    expect(rows.map((row) => [row[1], row[2], row[3]])).toEqual([['no-description', clientIdOf(auditorToken), 'true']]);
  });

  it('md: a summary table and a findings table that parse back to the JSON findings, escaped text intact', async () => {
    const s = seed();
    const nasty = clientIdOf(issue(['RO User'], { description: NASTY, expiresAt: null }));
    const { report } = await auditJson(s.auditorToken);
    const r = await audit(s.auditorToken, ['--format', 'md'], { tty: true });
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('## Astra token audit');
    expect(lines[2]).toContain(`audited with \`${s.auditor}\` (this credential)`);
    const tables = lines.filter((l) => l.startsWith('| '));
    expect(parseMdRow(tables[0]!)).toEqual(['high', 'medium', 'low', 'info']);
    expect(parseMdRow(tables[2]!)).toEqual(['1', '4', '4', '1']);
    expect(parseMdRow(tables[3]!)).toEqual(['Severity', 'Rule', 'Client ID', 'Description', 'Role', 'Finding', 'Advice']);
    const rows = tables.slice(5).map(parseMdRow);
    expect(rows).toHaveLength(report.findings.length);
    rows.forEach((row, i) => {
      const f = report.findings[i]!;
      expect(row.length).toBe(7);
      expect([row[0]!.replace(/\*\*/g, ''), row[1], row[2] || null, row[5], row[6]]).toEqual([
        f.severity,
        f.rule,
        f.clientId,
        f.message,
        f.advice,
      ]);
    });
    // Newlines become spaces (a table row is one line); everything else survives the escaping.
    // Newlines become spaces (a table row is one line); everything else survives the escaping, a mention broken by an
    // invisible zero-width joiner.
    expect(rows.find((row) => row[2] === nasty)![3]).toBe(NASTY.replace('\n', ' ').replace('@', '@\u200d'));
    expect(r.stdout).not.toContain('<b>');
    expect(r.stdout).not.toMatch(/@org/);
  });

  // Checked against cmark-gfm 0.29 (GitHub's parser, `-e table -e autolink`): none of these renders as a link.
  it('md: URLs, www. names, e-mail addresses and mentions from the API never become links or notifications', async () => {
    const s = seed();
    const lure = 'see https://evil.example/x, WWW.evil.example, ftp://f.example and x@evil.example; cc @octocat @org/team';
    const id = clientIdOf(issue(['RO User'], { description: lure, expiresAt: null }));
    const r = await audit(s.auditorToken, ['--format', 'md']);
    expect(r.code).toBe(0);
    const row = r.stdout.split('\n').find((l) => l.includes(id))!;
    expect(parseMdRow(row)[3]).toBe(
      'see https:\u200d//evil.example/x, WWW\u200d.evil.example, ftp:\u200d//f.example and x@\u200devil.example; cc @\u200doctocat @\u200dorg/team',
    );
    expect(r.stdout).not.toMatch(/:\/\/|www\.|@[a-z]/i);
  });

  it('md: escape sequences and bidi controls from the API are shown as escapes, never passed to the reader', async () => {
    const s = seed();
    const hostile = 'clip\u001b]52;c;aGk=\u0007 red\u001b[31m rtl\u202e end';
    const role = addRole(emu.state, `role ${hostile}`, [`drn:astra:org:${emu.state.defaultOrg.id}`], ['org-token-write']);
    issue([role], { description: `desc ${hostile}` });
    const r = await audit(s.auditorToken, ['--format', 'md'], { tty: true });
    expect(r.code).toBe(0);
    // eslint-disable-next-line no-control-regex -- finding control characters is this assertion's purpose
    expect(r.stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
    expect(r.stdout).toContain('desc clip\\\\x1b\\]52;c;aGk=\\\\x07 red\\\\x1b\\[31m rtl\\\\u202e end');
  });

  it('md with a baseline lists the changes', async () => {
    const s = seed();
    const baseline = file('baseline.json', (await audit(s.auditorToken, ['--json'])).stdout);
    emu.state.revokeToken(s.expiring);
    const r = await audit(s.auditorToken, ['--format', 'md', '--baseline', baseline]);
    expect(r.stdout).toContain('### Changes since the baseline');
    expect(r.stdout).toContain(`- Tokens revoked: ${s.expiring}`);
    expect(r.stdout).toContain('**Resolved findings** (1)');
    expect(r.stdout).toContain('**New findings** (0)');
  });
});

describe('token audit: errors', () => {
  it('a 403 on roles exits 4 and names org-role-read', async () => {
    const org = emu.state.defaultOrg;
    const tokenReader = addRole(emu.state, 'token reader', [`drn:astra:org:${org.id}`], ['org-token-read']);
    const r = await audit(issue([tokenReader]), []);
    expect(r.code).toBe(4);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^error: token audit needs to read the org's roles: this credential lacks org-role-read/);
    expect(r.stderr).toContain('org-token-read and org-role-read');
  });

  it('a 403 on tokens exits 4 and names org-token-read', async () => {
    const org = emu.state.defaultOrg;
    const roleReader = addRole(emu.state, 'role reader', [`drn:astra:org:${org.id}`], ['org-role-read']);
    const r = await audit(issue([roleReader]), ['--json']);
    expect(r.code).toBe(4);
    const error = (JSON.parse(r.stderr.trim()) as { error: { code: string; message: string; status: number } }).error;
    expect(error).toMatchObject({ code: 'FORBIDDEN', status: 403 });
    expect(error.message).toContain('lacks org-token-read');
  });

  it('a server that keeps failing exits 7, as everywhere', async () => {
    const s = seed();
    emu.state.injectFault({ method: 'GET', path: '/v2/organizations/roles', status: 503, times: 20 });
    const r = await audit(s.auditorToken, []);
    expect(r.code).toBe(7);
    expect(r.stdout).toBe('');
  });

  it.each([
    [['--ignore', 'admin-roles'], /--ignore: 'admin-roles' is not an audit rule \(did you mean admin-role\?\)/],
    [['--ignore', 'admin-role:not an id'], /is not a client id or role id/],
    [['--fail-on', 'critical'], /--fail-on: 'critical' is not one of high, medium, low, never/],
    [['--format', 'xml'], /--format: 'xml' is not one of table, md, csv/],
    [['--max-age', '3 months'], /--max-age: '3 months' is not a duration/],
    [['--expiring-within', '0d'], /--expiring-within: '0d' must be longer than zero/],
    [['--ignore-file', '/nonexistent/audit-ignore'], /--ignore-file: cannot read \/nonexistent\/audit-ignore: no such file/],
  ])('%j exits 2 before any request', async (args, message) => {
    const s = seed();
    const r = await audit(s.auditorToken, args);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(message);
    expect(emu.state.requests).toEqual([]);
  });

  it('a malformed --ignore-file line exits 2 naming the file and line', async () => {
    const s = seed();
    const cases: Array<[string, RegExp]> = [
      ['# ok\nno-expiry until tomorrow\n', /audit-ignore:2: 'until tomorrow' is not a date; write until YYYY-MM-DD/],
      ['no-expiry until 2026-02-30\n', /audit-ignore:1: 'until 2026-02-30' is not a date/],
      ['no-expiry for a while\n', /audit-ignore:1: expected '<rule>\[:<id>\] \[until YYYY-MM-DD\]'/],
      ['\n\nnot-a-rule\n', /audit-ignore:3: 'not-a-rule' is not an audit rule/],
    ];
    for (const [text, message] of cases) {
      const r = await audit(s.auditorToken, ['--ignore-file', file('audit-ignore', text)]);
      expect(r.code, text).toBe(2);
      expect(r.stderr).toMatch(message);
    }
  });
});

describe('token audit --help', () => {
  it('shows its flags, the rules and examples, and token --help lists it', async () => {
    const r = await runCli(['token', 'audit', '--help']);
    expect(r.code).toBe(0);
    for (const flag of [
      '--max-age <duration>',
      '--expiring-within <duration>',
      '--fail-on <level>',
      '--baseline <file>',
      '--ignore <rule[:id]>',
      '--ignore-file <file>',
      '--format <table|md|csv>',
    ]) {
      expect(r.stdout).toContain(flag);
    }
    for (const rule of [
      'admin-role',
      'no-expiry',
      'too-old',
      'broad-custom-role',
      'deleted-role',
      'no-description',
      'expiring',
      'expired',
      'unused-role',
    ]) {
      expect(r.stdout).toContain(rule);
    }
    expect(r.stdout).toContain('Examples:\n  $ astra-token token audit');
    expect((await runCli(['token', '--help'])).stdout).toContain('audit [options]');
  });
});
