// Temporary directories that remove themselves: one made inside a test goes when that test finishes (pass or fail),
// one made outside a test (at collection, in beforeAll) when the file's tests are done. The suite must leave $TMPDIR
// as it found it; every test helper that needs a directory comes here.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onTestFinished } from 'vitest';

const untilFileEnds: string[] = [];

function remove(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** A fresh directory under $TMPDIR, removed automatically (see above). */
export function tempDir(prefix = 'astra-token-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  try {
    onTestFinished(() => remove(dir));
  } catch {
    // Not inside a test: kept until the file is done (test/helpers/temp-setup.ts).
    untilFileEnds.push(dir);
  }
  return dir;
}

/** Removes the directories made outside tests; run after each test file by test/helpers/temp-setup.ts. */
export function removeFileTempDirs(): void {
  for (const dir of untilFileEnds.splice(0)) remove(dir);
}
