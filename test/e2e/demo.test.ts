// `npm run demo` is the first thing a newcomer sees: it shows the terminal table, also when its own output is piped
// (a CI log, this test), by running each step in a pseudo-terminal.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HAS_BUILD, NO_BUILD_REASON, ROOT, childEnv } from '../helpers/bin.js';

const hasScript = spawnSync('sh', ['-c', 'command -v script'], { stdio: 'ignore' }).status === 0;

describe.skipIf(!HAS_BUILD || !hasScript)(
  `npm run demo${HAS_BUILD ? '' : ` (${NO_BUILD_REASON})`}${hasScript ? '' : ' (needs script(1), from util-linux)'}`,
  () => {
    it('prints token list as the terminal table, with a header and aligned columns', () => {
      const r = spawnSync(process.execPath, [join(ROOT, 'scripts', 'demo.mjs')], {
        cwd: ROOT,
        env: childEnv(),
        encoding: 'utf8',
        timeout: 120_000,
      });
      expect(r.status, r.stdout + r.stderr).toBe(0);
      expect(r.stdout).toMatch(/^CLIENT ID\s+ROLES\s+DESCRIPTION\s+CREATED\s+EXPIRES\s+STATUS$/m);
      expect(r.stdout).toMatch(/^NAME\s+ID\s+TYPE\s+DESCRIPTION$/m);
    }, 150_000);
  },
);
