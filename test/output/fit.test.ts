// Tables fit the terminal: the width comes from the terminal, else $COLUMNS, else 80; descriptions and role lists
// shrink first (with …), dates are compact on a TTY, and --wide gives everything in full. Piped and --json output
// never change with the width.
import { describe, expect, it } from 'vitest';
import { formatLocal } from '../../src/output/format-time.js';
import { fitWidths } from '../../src/output/render.js';
import { runCli, tempConfigDir, type RunOptions } from '../helpers/cli.js';
import { useEmulator } from '../helpers/emulator.js';
import { DAY, NOW, addCustomRole, at, envFor } from '../helpers/fixtures/token.js';
import { STREAMING_URL, TARGET } from '../helpers/fixtures/streaming.js';

const emu = useEmulator({ state: { now: () => NOW } });
const LONG_DESCRIPTION = 'nightly export of the orders keyspace to the analytics warehouse (owned by data-eng)';

function seed() {
  const org = emu.state.defaultOrg.id;
  addCustomRole(emu.state, 'orders keyspace reader for the analytics warehouse');
  emu.state.issueToken(org, ['R/W User', 'RO User', 'Database Administrator'], {
    description: LONG_DESCRIPTION,
    expiresAt: at(30 * DAY),
    generatedOn: at(-2 * DAY),
  });
  emu.state.issueToken(org, ['RO User'], { description: 'ci', expiresAt: at(-3 * DAY), generatedOn: at(-40 * DAY) });
}

const tty = (columns: number | null, extra: RunOptions = {}) => ({
  env: { ...envFor(emu), NO_COLOR: '1' },
  now: NOW,
  tty: true,
  columns,
  ...extra,
});
const widest = (out: string) =>
  Math.max(
    ...out
      .trimEnd()
      .split('\n')
      .map((l) => [...l].length),
  );

describe('tables fit the terminal', () => {
  it.each([80, 120, 200])('token list and role list: no row is wider than %i columns', async (columns) => {
    seed();
    for (const argv of [
      ['token', 'list'],
      ['role', 'list'],
    ]) {
      const r = await runCli(argv, tty(columns));
      expect(r.code).toBe(0);
      expect(widest(r.stdout)).toBeLessThanOrEqual(columns);
    }
  });

  it('at 80 columns, shortens the description and roles with … and shows dates compactly', async () => {
    seed();
    const r = await runCli(['token', 'list'], tty(80));
    expect(r.stdout).toContain('…');
    expect(r.stdout).not.toContain(LONG_DESCRIPTION);
    const row = r.stdout.split('\n').find((l) => l.includes('nightly'))!;
    // The creation date alone (local), and the expiry as `in 30d`.
    const created = formatLocal(at(-2 * DAY)).slice(0, 10);
    expect(row).toMatch(new RegExp(`${created}\\s+in 30d\\s+active$`));
    expect(r.stdout.split('\n').find((l) => / ci /.test(l))).toMatch(/3d ago\s+expired$/);
  });

  it('at 200 columns nothing is shortened', async () => {
    seed();
    const r = await runCli(['token', 'list'], tty(200));
    expect(r.stdout).toContain(LONG_DESCRIPTION);
    expect(r.stdout).not.toContain('…');
  });

  it('without a terminal width, uses $COLUMNS, else 80', async () => {
    seed();
    const fromEnv = await runCli(['token', 'list'], tty(null, { env: { ...envFor(emu), NO_COLOR: '1', COLUMNS: '100' } }));
    expect(widest(fromEnv.stdout)).toBeLessThanOrEqual(100);
    expect(widest(fromEnv.stdout)).toBeGreaterThan(80);
    const fallback = await runCli(['token', 'list'], tty(null));
    expect(widest(fallback.stdout)).toBeLessThanOrEqual(80);
  });

  it('--wide shows full times and cells, whatever the width', async () => {
    seed();
    const r = await runCli(['token', 'list', '--wide'], tty(80));
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(LONG_DESCRIPTION);
    expect(r.stdout).toContain('R/W User, RO User, Database Administrator');
    expect(r.stdout).toContain(formatLocal(at(-2 * DAY)));
    expect(r.stdout).toContain('in 30 days');
    const roles = await runCli(['role', 'list', '--wide'], tty(80));
    expect(roles.stdout).toContain('orders keyspace reader for the analytics warehouse');
  });

  it('piped rows and --json do not depend on the width', async () => {
    seed();
    for (const argv of [
      ['token', 'list'],
      ['token', 'list', '--json'],
      ['role', 'list'],
      ['role', 'list', '--json'],
    ]) {
      const narrow = await runCli(argv, { env: envFor(emu), now: NOW, columns: 80 });
      const wide = await runCli(argv, { env: envFor(emu), now: NOW, columns: 200 });
      expect(narrow.stdout).toBe(wide.stdout);
      expect(narrow.stdout).toContain(argv[0] === 'token' ? LONG_DESCRIPTION : 'orders keyspace reader for the analytics warehouse');
      expect(narrow.stdout).not.toContain('…');
    }
  });
});

describe('every list verb fits 80 columns', () => {
  /** Profiles with long names and URLs, saved against the emulator (and one not validated, on loopback). */
  async function profiles(): Promise<string> {
    const dir = tempConfigDir();
    const env = { ASTRA_TOKEN_CONFIG_DIR: dir };
    for (const [name, url, extra] of [
      ['customer/acme production', emu.baseUrl, []],
      ['local emulator on a fixed port', 'http://127.0.0.1:8181', ['--no-validate']],
    ] as const) {
      const r = await runCli(['org', 'add', name, '--with-token', '--api-url', url, ...extra], { env, stdin: emu.adminToken });
      expect(r.code).toBe(0);
    }
    return dir;
  }

  it.each([
    ['token list', ['token', 'list']],
    ['role list', ['role', 'list']],
    ['org list', ['org', 'list']],
    ['db list', ['db', 'list']],
    ['streaming token list', ['streaming', 'token', 'list', ...TARGET]],
    ['token audit', ['token', 'audit']],
  ])('%s: no line is longer than 80 characters', async (_, argv) => {
    seed();
    const env =
      argv[0] === 'org' ? { ASTRA_TOKEN_CONFIG_DIR: await profiles() } : { ...envFor(emu), ASTRA_STREAMING_API_URL: STREAMING_URL };
    const r = await runCli(argv, tty(80, { env: { ...env, NO_COLOR: '1' } }));
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n').length).toBeGreaterThan(2);
    expect(widest(r.stdout)).toBeLessThanOrEqual(80);
  });

  it('org list keeps the API URL readable at 80 columns', async () => {
    const r = await runCli(['org', 'list'], tty(80, { env: { ASTRA_TOKEN_CONFIG_DIR: await profiles(), NO_COLOR: '1' } }));
    expect(r.stdout).toContain('http://127.0.0.1:8181');
    expect(r.stdout).toContain(emu.baseUrl);
  });
});

describe('fitWidths', () => {
  it('shrinks flexible columns, then names, then fixed columns, until the row fits', () => {
    // Three fixed columns of 36 + 7 + 7 already exceed 40.
    const widths = fitWidths([20, 36, 12, 30, 7, 7], ['last', false, true, true, false, false], 40);
    expect(widths.reduce((a, b) => a + b, 0)).toBe(40);
    expect(widths.every((w) => w >= 1)).toBe(true);
    // The fixed columns gave way only once the flexible ones were down to one character.
    expect([widths[2], widths[3], widths[0]]).toEqual([1, 1, 1]);
  });

  it('cuts an id before a description, and a name only after both', () => {
    // NAME, ID, TYPE, DESCRIPTION: 24 over; the id alone gives way.
    expect(fitWidths([30, 36, 8, 20], ['last', 'id', false, true], 70)).toEqual([30, 12, 8, 20]);
    // 60 over: the id and the description go down to 1 before the name loses a character.
    expect(fitWidths([30, 36, 8, 20], ['last', 'id', false, true], 34)).toEqual([24, 1, 8, 1]);
  });

  it('a wrapped column gives way to 16, never below 8 before names do', () => {
    expect(fitWidths([20, 60], ['last', 'wrap'], 40)).toEqual([20, 20]);
    expect(fitWidths([20, 60], ['last', 'wrap'], 24)).toEqual([8, 16]);
  });

  it('leaves a table that fits as it is, and stops flexible columns at 8 when that is enough', () => {
    expect(fitWidths([10, 20], [true, false], 80)).toEqual([10, 20]);
    expect(fitWidths([30, 36], [true, false], 44)).toEqual([8, 36]);
  });
});

describe('token audit on a terminal', () => {
  it('--wide prints every finding and advice line in full, whatever the width', async () => {
    seed();
    const narrow = await runCli(['token', 'audit'], tty(80));
    const wide = await runCli(['token', 'audit', '--wide'], tty(80));
    expect([narrow.code, wide.code]).toEqual([0, 0]);
    expect(widest(wide.stdout)).toBeGreaterThan(80);
    expect(wide.stdout).not.toContain('…');
    // The advice wraps at 80 and is whole with --wide.
    const advice = wide.stdout.split('\n').filter((l) => /^ {2}[a-z-]+: /.test(l));
    expect(advice.length).toBeGreaterThan(0);
    for (const line of advice) expect(narrow.stdout.replace(/\n {4}/g, ' ')).toContain(line);
  });

  it.each([80, 120])('at %i columns the findings wrap onto more lines, never cut', async (columns) => {
    seed();
    const r = await runCli(['token', 'audit'], tty(columns));
    expect(r.code).toBe(0);
    expect(widest(r.stdout)).toBeLessThanOrEqual(columns);
    expect(r.stdout).not.toContain('…');
    // Every word of every finding is there (the timed ones read as token list does, below).
    const words = r.stdout.split(/\s+/);
    const report = JSON.parse((await runCli(['token', 'audit', '--json'], { env: envFor(emu), now: NOW })).stdout) as {
      findings: Array<{ rule: string; message: string }>;
    };
    const untimed = report.findings.filter((f) => !['expired', 'expiring', 'too-old'].includes(f.rule));
    expect(untimed.length).toBeGreaterThan(2);
    for (const f of untimed) for (const word of f.message.split(' ')) expect(words).toContain(word);
    if (columns === 80) expect(r.stdout.split('\n').length).toBeGreaterThan(report.findings.length + 8);
  });

  it('says expiry and creation the way token list does: relative on a terminal, ISO-8601 piped and in JSON', async () => {
    const org = emu.state.defaultOrg.id;
    emu.state.issueToken(org, ['RO User'], { description: 'soon', expiresAt: at(DAY), generatedOn: at(-2 * DAY) });
    emu.state.issueToken(org, ['RO User'], { description: 'gone', expiresAt: at(-3 * DAY), generatedOn: at(-40 * DAY) });
    emu.state.issueToken(org, ['RO User'], { description: 'old', expiresAt: at(60 * DAY), generatedOn: at(-200 * DAY) });
    const flat = (s: string) => s.replace(/\s+/g, ' ');
    const narrow = flat((await runCli(['token', 'audit'], tty(80))).stdout);
    expect(narrow).toContain('expires in 24h, within 2 weeks');
    expect(narrow).toContain('expired 3d ago but is still listed');
    expect(narrow).toContain(`created ${formatLocal(at(-200 * DAY)).slice(0, 10)}, more than 3 months ago`);
    expect(narrow).not.toMatch(/\d{4}-\d\d-\d\dT/);
    const wide = flat((await runCli(['token', 'audit', '--wide'], tty(80))).stdout);
    expect(wide).toContain('expires in 24 hours, within 2 weeks');
    expect(wide).toContain('expired 3 days ago but is still listed');
    expect(wide).toContain(`created ${formatLocal(at(-200 * DAY))}, more than 3 months ago`);
    const piped = (await runCli(['token', 'audit'], { env: envFor(emu), now: NOW })).stdout;
    expect(piped).toContain(`expires ${at(DAY).toISOString()}, within 2 weeks`);
    expect(piped).toContain(`expired ${at(-3 * DAY).toISOString()} but is still listed`);
  });
});

describe('role list at 80 columns', () => {
  const NAME = 'orders keyspace reader for the analytics warehouse';

  it('shows the NAME first and whole, and cuts the id instead', async () => {
    const role = { id: addCustomRole(emu.state, NAME) };
    const r = await runCli(['role', 'list'], tty(80));
    expect(r.code).toBe(0);
    expect(widest(r.stdout)).toBeLessThanOrEqual(80);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toMatch(/^NAME\s+ID\s+TYPE\s+DESCRIP/);
    const row = lines.find((l) => l.startsWith(NAME))!;
    expect(row).toBeDefined();
    expect(row).not.toContain(role.id);
    expect(row).toContain(`${role.id.slice(0, 3)}`);
    expect(row).toMatch(/…/);
    // --wide shows what was cut.
    const wide = await runCli(['role', 'list', '--wide'], tty(80));
    expect(wide.stdout.split('\n').find((l) => l.startsWith(NAME))).toContain(role.id);
  });
});
