// Several processes adding profiles at the same moment: every profile survives (the store re-reads under a lock).
// Runs the built bin as real child processes; `npm run build` must have run first (CI builds before testing).
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ConfigData } from '../../src/config/store.js';
import { tempConfigDir } from '../helpers/cli.js';
import { UNKNOWN_TOKEN } from '../helpers/fixtures/org.js';
import { BIN as bin, HAS_BUILD as built, NO_BUILD_REASON } from '../helpers/bin.js';

function run(args: string[], dir: string, stdin: string): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], {
      env: { PATH: process.env.PATH, HOME: dir, ASTRA_TOKEN_CONFIG_DIR: dir },
      stdio: ['pipe', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
    child.stdin.end(stdin);
  });
}

describe.skipIf(!built)(`concurrent writers (built bin)${built ? '' : ` (${NO_BUILD_REASON})`}`, () => {
  it('ten processes adding profiles at once all survive, and one of them is current', async () => {
    const dir = tempConfigDir();
    const names = Array.from({ length: 10 }, (_, i) => `p${i} team/a.b`);
    const results = await Promise.all(
      names.map((name) => run(['org', 'add', name, '--with-token', '--no-validate', '--storage', 'file', '-q'], dir, UNKNOWN_TOKEN)),
    );
    expect(results).toEqual(names.map(() => ({ code: 0, stderr: '' })));
    const config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as ConfigData;
    expect(config.profiles.map((p) => p.name).sort()).toEqual(names);
    expect(names).toContain(config.current);
    // No lock file or temporary file left behind.
    expect(readdirSync(dir).sort()).toEqual(['config.json']);
  });

  it('two processes each adding and switching in a loop lose nothing', async () => {
    const dir = tempConfigDir();
    const worker = (tag: string) =>
      (async () => {
        for (let i = 0; i < 5; i++) {
          const r = await run(
            ['org', 'add', `${tag}${i}`, '--with-token', '--no-validate', '--use', '--storage', 'file', '-q'],
            dir,
            UNKNOWN_TOKEN,
          );
          if (r.code !== 0) throw new Error(r.stderr);
        }
      })();
    await Promise.all([worker('a'), worker('b')]);
    const config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as ConfigData;
    expect(config.profiles.map((p) => p.name).sort()).toEqual(['a0', 'a1', 'a2', 'a3', 'a4', 'b0', 'b1', 'b2', 'b3', 'b4']);
  });
});
