// Temporary directories that remove themselves: one made inside a test goes when that test finishes (pass or fail),
// one made outside a test (at collection, in beforeAll) when the file's tests are done. The suite must leave $TMPDIR
// as it found it; every test helper that needs a directory comes here.
import { chmodSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { onTestFinished } from 'vitest';

const untilFileEnds: string[] = [];

function remove(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** A fresh directory under $TMPDIR, removed automatically (see above). */
export function tempDir(prefix = 'astra-token-test-'): string {
  return track(mkdtempSync(join(tmpdir(), prefix)));
}

/** Every directory from `path` up to the root lets other users through (o+x). */
function traversableByOthers(path: string): boolean {
  for (let at = resolve(path); ; at = dirname(at)) {
    if ((statSync(at).mode & 0o001) === 0) return false;
    if (dirname(at) === at) return true;
  }
}

/**
 * A fresh directory (mode 0755) that another user (nobody, in the permission tests) can reach: under $TMPDIR when
 * every directory on its path lets others through, else under /tmp (a private $TMPDIR such as `mktemp -d`'s 0700
 * is never loosened). Removed automatically, like tempDir.
 */
export function reachableTempDir(prefix = 'astra-token-test-'): string {
  const parent = traversableByOthers(tmpdir()) ? tmpdir() : '/tmp';
  const dir = track(mkdtempSync(join(parent, prefix)));
  chmodSync(dir, 0o755);
  return dir;
}

function track(dir: string): string {
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
