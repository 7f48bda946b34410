// Guards of the start-up tricks (docs/startup.md), through the built bin: what each command must NOT load. A trick
// undone (a stand-in left out of the build, an eager import) loads the node built-in its guard names, and fails here.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HAS_BUILD, NO_BUILD_REASON, runBin } from '../helpers/bin.js';
import { withEmulatorServer } from '../helpers/emulator.js';
import { tempDir } from '../helpers/temp.js';

/** Runs the bin with a preloaded hook that lists, at exit, the node built-ins the process loaded. */
async function builtinsLoaded(args: string[], env: Record<string, string> = {}): Promise<string[]> {
  const dir = tempDir('astra-token-startup-');
  const hook = join(dir, 'hook.mjs');
  const out = join(dir, 'builtins.json');
  writeFileSync(
    hook,
    `import { writeFileSync } from 'node:fs';
process.on('exit', () => writeFileSync(${JSON.stringify(out)}, JSON.stringify(process.moduleLoadList.filter((m) => m.startsWith('NativeModule ')).map((m) => m.slice(13)))));`,
  );
  const r = await runBin(args, { env: { ...env, NODE_OPTIONS: `--import=${hook}` } });
  expect(r.code).toBe(0);
  return JSON.parse(readFileSync(out, 'utf8')) as string[];
}

describe.skipIf(!HAS_BUILD)(`start-up guards${HAS_BUILD ? '' : ` (${NO_BUILD_REASON})`}`, () => {
  it.each([[['--version']], [['--help']], [['token', '--help']]])('%j loads no HTTP client and no child_process', async (args) => {
    const loaded = await builtinsLoaded(args);
    // The early reads' http/https, commander's child_process, undici's http2, crypto (token-format.ts, store.ts).
    for (const builtin of ['http', 'https', 'child_process', 'http2', 'crypto']) expect(loaded).not.toContain(builtin);
  });

  it('token list answered by the early reads loads no undici (its assert, dns), nor http2, child_process, crypto', async () => {
    await withEmulatorServer(async (emu) => {
      const loaded = await builtinsLoaded(['token', 'list', '--json'], {
        ASTRA_DB_APPLICATION_TOKEN: emu.adminToken,
        ASTRA_API_URL: emu.url,
      });
      expect(loaded).toContain('http');
      for (const builtin of ['http2', 'child_process', 'tls', 'crypto', 'assert', 'dns']) expect(loaded).not.toContain(builtin);
    });
  });
});
