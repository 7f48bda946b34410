// `npm test` leaves $TMPDIR as it found it: a representative slice of the suite (in-process runs, the built bin
// against a loopback emulator, the emulator command with --state, a hand-over, completion in a real shell) runs in
// a nested vitest with a private $TMPDIR, which must be empty again afterwards.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HAS_BUILD, NO_BUILD_REASON, ROOT } from './helpers/bin.js';
import { tempDir } from './helpers/temp.js';

const SLICE = [
  'test/commands/token/e2e.test.ts',
  'test/commands/token/create.test.ts',
  'test/commands/org/add.test.ts',
  'test/e2e/emulator-command.test.ts',
  'test/commands/token/handoff-create.test.ts',
  'test/commands/completion/completion.test.ts',
];

describe.skipIf(!HAS_BUILD)(`temporary files${HAS_BUILD ? '' : ` (${NO_BUILD_REASON})`}`, () => {
  it('a representative run of the suite leaves $TMPDIR as it found it', () => {
    const tmp = tempDir('astra-token-tmpdir-');
    const before = readdirSync(tmp);
    const r = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'vitest', 'vitest.mjs'), 'run', ...SLICE], {
      cwd: ROOT,
      env: { ...process.env, TMPDIR: tmp, ASTRA_TOKEN_TEST_NESTED: '1', CI: 'true' },
      encoding: 'utf8',
      timeout: 240_000,
    });
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(readdirSync(tmp)).toEqual(before);
  }, 300_000);
});
