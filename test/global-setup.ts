// The end-to-end tests drive the built bin: build it first, so they never test a stale dist/ (esbuild takes ~1 s).
// A nested run started by the suite itself (test/tmpdir.test.ts) reuses the build of the outer run.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export default function setup(): void {
  if (process.env.ASTRA_TOKEN_TEST_NESTED === '1') return;
  execFileSync(process.execPath, [fileURLToPath(new URL('../scripts/build.mjs', import.meta.url))], { stdio: 'inherit' });
}
