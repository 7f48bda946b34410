// Runs before every test file (vitest setupFiles): directories made outside a test go when the file is done, and
// the tool's cache directory ($XDG_CACHE_HOME) is a private one: a fresh path for each test (made by the tool when
// it writes there), under a directory removed with the file's others. Never the real ~/.cache.
import { join } from 'node:path';
import { afterAll, beforeEach } from 'vitest';
import { removeFileTempDirs, tempDir } from './temp.js';

const caches = tempDir('astra-token-cache-');
let next = 0;
process.env.XDG_CACHE_HOME = join(caches, 'file');
beforeEach(() => {
  process.env.XDG_CACHE_HOME = join(caches, `test-${++next}`);
});

afterAll(removeFileTempDirs);
