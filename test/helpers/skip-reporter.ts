// A vitest reporter that says which tests were skipped and why, after the usual summary: every skip in this suite
// names its reason (a tool the machine lacks, no IPv6 loopback, ...) in its describe block or in `t.skip(reason)`.
// .ci/run fails on any skipped test, so in CI this list is empty; on a laptop it says what was not tested.
import { relative } from 'node:path';
import type { Reporter, TestModule, Vitest } from 'vitest/node';

export default class SkipReporter implements Reporter {
  private root = process.cwd();
  private filtered = false;

  onInit(vitest: Vitest): void {
    this.root = vitest.config.root;
    // With -t, every test whose name does not match is "skipped": not worth a line each.
    this.filtered = Boolean(vitest.config.testNamePattern);
  }

  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    if (this.filtered) return;
    // One line per block skipped as a whole (its name carries the reason), one per test skipped on its own.
    const lines = new Map<string, number>();
    for (const module of modules) {
      const file = relative(this.root, module.moduleId);
      for (const test of module.children.allTests('skipped')) {
        const result = test.result();
        const note = result.state === 'skipped' && result.note ? `: ${result.note}` : '';
        const where = note || test.parent.type === 'module' ? `${file} > ${test.fullName}${note}` : `${file} > ${test.parent.fullName}`;
        lines.set(where, (lines.get(where) ?? 0) + 1);
      }
    }
    if (lines.size === 0) return;
    const total = [...lines.values()].reduce((a, b) => a + b, 0);
    const out = [`\n${total} test${total === 1 ? '' : 's'} skipped, and why:`];
    for (const [where, n] of lines) out.push(`  ${where}${n > 1 ? ` [${n} tests]` : ''}`);
    process.stderr.write(out.join('\n') + '\n');
  }
}
