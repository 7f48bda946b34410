// The selectors that `token list`, `token prune` and `token audit` share (--role, --older-than, --expired,
// --expiring-within, --description), `token audit --fail-on-rule`, and suppressions that match nothing. The org is
// seeded through the emulator's own seed (the same code as `emulator --seed`), on a fixed clock.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applySeed } from '../../../src/emulator/index.js';
import { runCli } from '../../helpers/cli.js';
import { useEmulator } from '../../helpers/emulator.js';
import { NOW, clientIdOf, envFor } from '../../helpers/fixtures/token.js';
import { tempDir } from '../../helpers/temp.js';
import { jsonError, parseJson } from '../../helpers/typed.js';

const emu = useEmulator({ state: { now: () => NOW } });

interface Finding {
  rule: string;
  clientId: string | null;
  roleId: string | null;
}
interface Report {
  findings: Finding[];
  tokens: Array<{ clientId: string }>;
  unusedSuppressions?: Array<{ entry: string; source: string }>;
}

/**
 * Five tokens besides the admin's (created at NOW, never expires, Organization Administrator): by description,
 * `ci-old` (200 days, RO User), `ci-new` (2 days, the custom "ci reader", expires in 30 days), `batch` (40 days,
 * R/W User, expired 3 days ago), `soon` (10 days, RO User, expires in 5 days) and `undated` (RO User, created at NOW).
 */
function seed() {
  applySeed(emu.state, {
    roles: [{ name: 'ci reader', actions: ['db-table-read'] }],
    tokens: [
      { roles: ['RO User'], description: 'ci-old', age: '200d' },
      { roles: ['ci reader'], description: 'ci-new', age: '2d', expiresIn: '30d' },
      { roles: ['R/W User'], description: 'batch', age: '40d', expiresIn: '-3d' },
      { roles: ['RO User'], description: 'soon', age: '10d', expiresIn: '5d' },
      { roles: ['RO User'], description: 'undated' },
    ],
  });
  const byDescription = new Map(emu.state.listTokens(emu.state.defaultOrg.id).map((t) => [t.description, t.clientId]));
  const id = (d: string) => byDescription.get(d)!;
  return {
    admin: clientIdOf(emu.adminToken),
    ciOld: id('ci-old'),
    ciNew: id('ci-new'),
    batch: id('batch'),
    soon: id('soon'),
    undated: id('undated'),
  };
}

const run = (args: string[]) => runCli(args, { env: envFor(emu), now: NOW });
const listed = async (args: string[]) => {
  const r = await run(['token', 'list', ...args, '--json']);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return parseJson<Array<{ clientId: string }>>(r.stdout).map((t) => t.clientId);
};

describe('token list selectors', () => {
  it('--older-than goes by the creation time', async () => {
    const t = seed();
    expect(await listed(['--older-than', '30d'])).toEqual([t.batch, t.ciOld]);
    expect(await listed(['--older-than', '5d'])).toEqual([t.soon, t.batch, t.ciOld]);
  });

  it('--description is a glob over the whole description', async () => {
    const t = seed();
    expect(await listed(['--description', 'ci-*'])).toEqual([t.ciNew, t.ciOld]);
    expect(await listed(['--description', 'ci'])).toEqual([]);
  });

  it('--expiring-within leaves out what has expired; --expired keeps only that', async () => {
    const t = seed();
    expect(await listed(['--expiring-within', '7d'])).toEqual([t.soon]);
    expect(await listed(['--expired'])).toEqual([t.batch]);
  });

  it('selectors combine: a token must match them all', async () => {
    const t = seed();
    expect(await listed(['--role', 'RO User', '--older-than', '7d'])).toEqual([t.soon, t.ciOld]);
    expect(await listed(['--role', 'ci reader', '--description', 'ci-*'])).toEqual([t.ciNew]);
  });

  it('a bad --older-than is exit 2 before any request', async () => {
    seed();
    const r = await run(['token', 'list', '--older-than', 'old']);
    expect(r).toEqual({
      code: 2,
      stdout: '',
      stderr: "error: --older-than: 'old' is not a duration; use e.g. 30d, 12h, 90m, 2w or P90D\n",
    });
    expect(emu.state.requests).toEqual([]);
  });
});

describe('token prune selectors', () => {
  it('--role revokes only the tokens holding that role (and matching the other selectors)', async () => {
    const t = seed();
    const r = await run(['token', 'prune', '--role', 'RO User', '--older-than', '7d', '--yes']);
    expect(r.code).toBe(0);
    expect(r.stderr.split('\n').slice(-2)).toEqual(['revoked 2 of 2 tokens', '']);
    const live = emu.state.listTokens(emu.state.defaultOrg.id).map((x) => x.clientId);
    expect(live.sort()).toEqual([t.admin, t.ciNew, t.batch, t.undated].sort());
  });

  it('--expiring-within selects as in token list', async () => {
    const t = seed();
    const r = await run(['token', 'prune', '--expiring-within', '7d', '--dry-run', '--json']);
    expect(r.code).toBe(0);
    expect(parseJson<Array<{ clientId: string }>>(r.stdout).map((x) => x.clientId)).toEqual([t.soon]);
  });
});

describe('token audit selectors and gates', () => {
  it('--fail-on-rule: exit 9 naming the findings of those rules, the report still printed', async () => {
    const t = seed();
    const r = await run(['token', 'audit', '--fail-on-rule', 'expired,admin-role', '--json']);
    expect(r.code).toBe(9);
    const report = parseJson<Report>(r.stdout);
    expect(report.findings.map((f) => f.rule)).toContain('no-expiry');
    expect(jsonError(r.stderr)).toEqual({
      code: 'POLICY',
      message: `2 findings of --fail-on-rule expired,admin-role: admin-role ${t.admin}, expired ${t.batch} (1 high, 5 medium, 2 low, 0 info)`,
      hint: 'fix them, or suppress accepted ones with --ignore <rule>:<id> or --ignore-file',
    });
  });

  it('--fail-on-rule passes when the findings of those rules are suppressed, and with --fail-on either gate fails', async () => {
    const t = seed();
    const ok = await run(['token', 'audit', '--fail-on-rule', 'expired', '--ignore', `expired:${t.batch}`]);
    expect(ok.code).toBe(0);
    const either = await run(['token', 'audit', '--fail-on-rule', 'expired', '--fail-on', 'high', '--ignore', `expired:${t.batch}`]);
    expect(either.code).toBe(9);
    expect(either.stderr).toContain(`error: 1 finding at or above --fail-on high or of --fail-on-rule expired: admin-role ${t.admin} `);
  });

  it('an unknown --fail-on-rule is exit 2 listing the rules, before any request', async () => {
    seed();
    const r = await run(['token', 'audit', '--fail-on-rule', 'no-expiry,too_old']);
    expect(r).toEqual({
      code: 2,
      stdout: '',
      stderr:
        "error: --fail-on-rule: 'too_old' is not an audit rule (did you mean too-old?); rules: admin-role, no-expiry, too-old, broad-custom-role, deleted-role, no-description, expiring, expired, unused-role\n",
    });
    expect(emu.state.requests).toEqual([]);
  });

  it('selectors limit the report to the selected tokens and the roles they hold', async () => {
    const t = seed();
    const r = await run(['token', 'audit', '--description', 'ci-*', '--json']);
    expect(r.code).toBe(0);
    const report = parseJson<Report>(r.stdout);
    expect(report.tokens.map((x) => x.clientId)).toEqual([t.ciNew, t.ciOld]);
    // The custom role ci-new holds is reported (org-wide: broad-custom-role); nothing about the other tokens.
    const ciReader = emu.state.findRole(emu.state.defaultOrg.id, 'ci reader')!.id;
    expect(report.findings.map((f) => [f.rule, f.clientId ?? f.roleId])).toEqual([
      ['broad-custom-role', ciReader],
      ['no-expiry', t.ciOld],
      ['too-old', t.ciOld],
    ]);
    // Without selectors the admin token and the others are audited too.
    const all = parseJson<Report>((await run(['token', 'audit', '--json'])).stdout);
    expect(all.tokens).toHaveLength(6);
    expect(all.findings.some((f) => f.clientId === t.admin)).toBe(true);
  });

  it('--expired selects the expired tokens; --expiring-within stays the window of the expiring rule', async () => {
    const t = seed();
    const expired = parseJson<Report>((await run(['token', 'audit', '--expired', '--json'])).stdout);
    expect(expired.findings.map((f) => [f.rule, f.clientId])).toEqual([['expired', t.batch]]);
    const wide = parseJson<Report>((await run(['token', 'audit', '--expiring-within', '40d', '--json'])).stdout);
    expect(
      wide.findings
        .filter((f) => f.rule === 'expiring')
        .map((f) => f.clientId)
        .sort(),
    ).toEqual([t.ciNew, t.soon].sort());
  });
});

describe('token audit: suppressions that match nothing', () => {
  it('are warned about on stderr and listed in --json; a used one is not', async () => {
    const t = seed();
    const dir = tempDir();
    const file = join(dir, 'ignore');
    writeFileSync(file, `# accepted\nno-expiry:${t.ciOld}\ntoo-old:${'Z'.repeat(24)} until 2099-01-01\n`);
    const r = await run(['token', 'audit', '--ignore', 'unused-role', '--ignore', `expired:${t.batch}`, '--ignore-file', file, '--json']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(
      `warning: --ignore: 'unused-role' matches no finding; remove it\nwarning: ${file}:3: 'too-old:${'Z'.repeat(24)}' matches no finding; remove it\n2 findings suppressed by --ignore/--ignore-file\n`,
    );
    expect(parseJson<Report>(r.stdout).unusedSuppressions).toEqual([
      { entry: 'unused-role', source: '--ignore' },
      { entry: `too-old:${'Z'.repeat(24)}`, source: `${file}:3` },
    ]);
  });

  it('an entry for a token outside the selection is not stale; without suppressions the key is absent', async () => {
    const t = seed();
    const r = await run(['token', 'audit', '--description', 'ci-*', '--ignore', `expired:${t.batch}`, '--json']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(parseJson<Report>(r.stdout).unusedSuppressions).toEqual([]);
    expect(parseJson<Report>((await run(['token', 'audit', '--json'])).stdout)).not.toHaveProperty('unusedSuppressions');
  });
});
