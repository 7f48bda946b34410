// `npm test` says which tests it skipped and why, and CI (.ci/run) fails on any skip: a nested vitest over a probe
// with skips of each kind, its report, and the verdict script CI runs on it.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/bin.js';
import { tempDir } from '../helpers/temp.js';

const verdict = (report: string) =>
  spawnSync(process.execPath, [join(ROOT, 'scripts', 'check-test-report.mjs'), report], { encoding: 'utf8' });

describe('skipped tests', () => {
  it('are listed after the summary with their reasons, and fail the CI verdict', () => {
    const report = join(tempDir('astra-token-skips-'), 'report.json');
    const run = spawnSync(
      process.execPath,
      [
        join(ROOT, 'node_modules', 'vitest', 'vitest.mjs'),
        'run',
        '--config',
        'test/fixtures/skip-probe/vitest.config.ts',
        '--reporter=default',
        '--reporter=./test/helpers/skip-reporter.ts',
        '--reporter=json',
        `--outputFile.json=${report}`,
      ],
      { cwd: ROOT, env: { ...process.env, ASTRA_TOKEN_TEST_NESTED: '1', NO_COLOR: '1' }, encoding: 'utf8', timeout: 120_000 },
    );
    expect(run.status, run.stdout + run.stderr).toBe(0);
    const listed = run.stderr.slice(run.stderr.indexOf('tests skipped, and why:'));
    expect(listed.split('\n').filter(Boolean)).toEqual([
      'tests skipped, and why:',
      '  test/fixtures/skip-probe/skips.probe.ts > a block that needs a tool (needs probe-tool; .ci/run installs it) [2 tests]',
      '  test/fixtures/skip-probe/skips.probe.ts > a block that runs > skips at run time: no probe loopback on this machine',
    ]);
    expect(run.stderr).toContain('\n3 tests skipped, and why:\n');

    const ci = verdict(report);
    expect([ci.status, ci.stdout, ci.stderr]).toEqual([
      1,
      '1 passed, 0 failed, 3 skipped\n',
      'CI never skips: 3 tests were skipped (see the lists above)\n',
    ]);
  }, 150_000);

  it('a report with none skipped passes the CI verdict; one where nothing ran does not', () => {
    const dir = tempDir('astra-token-skips-');
    const write = (name: string, counts: object) => {
      const path = join(dir, name);
      writeFileSync(path, JSON.stringify({ numPendingTests: 0, numTodoTests: 0, numFailedTests: 0, ...counts }));
      return path;
    };
    const clean = verdict(write('clean.json', { numTotalTests: 5, numPassedTests: 5 }));
    expect([clean.status, clean.stdout, clean.stderr]).toEqual([0, '5 passed, 0 failed, 0 skipped\n', '']);
    const empty = verdict(write('empty.json', { numTotalTests: 0, numPassedTests: 0 }));
    expect([empty.status, empty.stderr]).toEqual([1, 'no test ran\n']);
  });

  it('sums a directory of runs (the Node matrix) and fails when a run left no report', () => {
    const dir = tempDir('astra-token-skips-');
    for (const [name, n] of [
      ['node-20', 5],
      ['node-22', 4],
    ] as const) {
      writeFileSync(
        join(dir, `${name}.json`),
        JSON.stringify({ numTotalTests: n, numPassedTests: n, numFailedTests: 0, numPendingTests: 0, numTodoTests: 0 }),
      );
    }
    const complete = spawnSync(process.execPath, [join(ROOT, 'scripts', 'check-test-report.mjs'), dir, '2'], { encoding: 'utf8' });
    expect([complete.status, complete.stdout]).toEqual([
      0,
      'node-20: 5 passed, 0 failed, 0 skipped\nnode-22: 4 passed, 0 failed, 0 skipped\n9 passed, 0 failed, 0 skipped\n',
    ]);
    const short = spawnSync(process.execPath, [join(ROOT, 'scripts', 'check-test-report.mjs'), dir, '3'], { encoding: 'utf8' });
    expect([short.status, short.stderr]).toEqual([1, '1 of 3 runs left no report\n']);
  });
});
