import { readFileSync } from 'node:fs';
import { defineConfig } from 'vitest/config';

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as { version: string };

export default defineConfig({
  define: { __VERSION__: JSON.stringify(pkg.version) },
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    setupFiles: ['test/helpers/temp-setup.ts'],
    environment: 'node',
    // The usual report, then which tests were skipped and why (.ci/run adds a JSON report and fails on any skip).
    reporters: ['default', './test/helpers/skip-reporter.ts'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    // The end-to-end tests spawn the built bin; two cores, so keep workers modest.
    maxWorkers: 2,
  },
});
