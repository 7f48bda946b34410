// .ci/node-versions is the one place the Node versions of CI's matrix, the bench and the single executable are
// pinned: every script reads it through scripts/node-dist.mjs, no other file in the repository names a pinned
// version, and the README's supported lines are the file's lines plus the floor's.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pinnedNodes, versionsFor, VERSIONS_FILE } from '../../scripts/node-dist.mjs';
import { ROOT } from '../helpers/bin.js';

/** Files the repository tracks, as far as a walk can tell (no dependencies, build output or git internals). */
function repositoryFiles(dir = ROOT): string[] {
  return readdirSync(dir).flatMap((name) => {
    if (['node_modules', 'dist', '.git', 'coverage', '.bench-tmp'].includes(name)) return [];
    const path = join(dir, name);
    return statSync(path).isDirectory() ? repositoryFiles(path) : [path];
  });
}

const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { engines: { node: string } };
const floor = /^>=(\d+)\.\d+\.\d+$/.exec(pkg.engines.node);

describe('.ci/node-versions', () => {
  it('pins a version, with its integrity, for every use', () => {
    for (const use of ['suite', 'bin', 'bench', 'sea']) expect(versionsFor(use), use).not.toEqual([]);
    for (const { version, integrity } of pinnedNodes()) {
      expect(version).toMatch(/^\d+\.\d+\.\d+$/);
      expect(integrity).toMatch(/^sha512-[A-Za-z0-9+/]{86}==$/);
    }
  });

  it('is the only file that names a pinned version (BENCHMARKS.md reports the versions it ran)', () => {
    const versions = pinnedNodes().map((n) => n.version);
    const naming = repositoryFiles()
      .filter((f) => f !== VERSIONS_FILE && relative(ROOT, f) !== 'BENCHMARKS.md')
      .filter((f) => {
        const text = readFileSync(f, 'latin1');
        return versions.some((v) => new RegExp(`(?<![\\d.])${v.replaceAll('.', '\\.')}(?![\\d.])`).test(text));
      })
      .map((f) => relative(ROOT, f));
    expect(naming).toEqual([]);
  });

  it('is read by CI, the bench and the single-executable build through scripts/node-dist.mjs', () => {
    expect(readFileSync(join(ROOT, '.ci', 'run'), 'utf8')).toMatch(/node scripts\/node-dist\.mjs versions suite/);
    expect(readFileSync(join(ROOT, '.ci', 'run'), 'utf8')).toMatch(/node scripts\/node-dist\.mjs versions bin/);
    expect(readFileSync(join(ROOT, 'bench', 'run.mjs'), 'utf8')).toMatch(/versionsFor\('bench'\)/);
    expect(readFileSync(join(ROOT, 'scripts', 'build-sea.mjs'), 'utf8')).toMatch(/versionsFor\('sea'\)/);
  });

  it("matches the README's supported Node lines: the floor's line and each pinned line", () => {
    expect(floor).not.toBeNull();
    const lines = [Number(floor![1]), ...pinnedNodes().map((n) => Number(n.version.split('.')[0]))];
    const expected = [...new Set(lines)].sort((a, b) => a - b);
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const stated = /^Supported Node\.js lines: ([^.]+)\./m.exec(readme);
    expect(stated, 'README.md: a line "Supported Node.js lines: 20, 22, ..."').not.toBeNull();
    expect(stated![1]!.match(/\d+/g)!.map(Number)).toEqual(expected);
    expect(readme).toContain(`Node.js ${pkg.engines.node.slice(2)} or newer`);
  });
});
