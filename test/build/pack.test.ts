// What `npm pack` puts in the package, read from `npm pack --dry-run --json`: the bin, the bundle (its chunks and
// their licence notices), the user's documents and package.json; no source maps, sources, tests, scripts, bench or
// single executable. The bundle has no runtime dependency but the optional keychain binding.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { childEnv, HAS_BUILD, NO_BUILD_REASON, ROOT } from '../helpers/bin.js';

const SHIPPED = [
  /^package\.json$/,
  /^(README|CHANGELOG|SECURITY)\.md$/,
  /^LICENSE$/,
  /^bin\/astra-token\.js$/,
  /^dist\/(cli|early|fast)\.js$/,
  /^dist\/chunks\/[\w-]+\.js$/,
  /^dist\/(chunks\/)?[\w-]+\.js\.LEGAL\.txt$/,
];

interface Pkg {
  bin: Record<string, string>;
  engines: { node: string };
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}

describe.skipIf(!HAS_BUILD)(`npm pack --dry-run${HAS_BUILD ? '' : ` (${NO_BUILD_REASON})`}`, () => {
  it('lists only what runs and what users read', () => {
    const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
      cwd: ROOT,
      encoding: 'utf8',
      env: childEnv({ npm_config_update_notifier: 'false' }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const files = (JSON.parse(out) as Array<{ files: Array<{ path: string }> }>)[0]!.files.map((f) => f.path);
    expect(files.filter((f) => !SHIPPED.some((re) => re.test(f)))).toEqual([]);
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as Pkg;
    for (const needed of [
      'package.json',
      'README.md',
      'CHANGELOG.md',
      'LICENSE',
      'SECURITY.md',
      'dist/cli.js',
      'dist/early.js',
      ...Object.values(pkg.bin),
    ]) {
      expect(files).toContain(needed);
    }
    // Every chunk the bundle can load is shipped (a chunk left out fails only when its verb runs).
    const chunks = files.filter((f) => f.startsWith('dist/chunks/') && f.endsWith('.js'));
    const built = ['cli.js', 'early.js'].flatMap(
      (entry) => readFileSync(join(ROOT, 'dist', entry), 'utf8').match(/chunks\/[\w-]+\.js/g) ?? [],
    );
    expect(built.length).toBeGreaterThan(0);
    for (const chunk of built) expect(chunks).toContain(`dist/${chunk}`);
    expect(pkg.dependencies ?? {}).toEqual({});
    expect(Object.keys(pkg.optionalDependencies ?? {})).toEqual(['@napi-rs/keyring']);
    expect(pkg.engines.node).toMatch(/^>=\d+\.\d+\.\d+$/);
  });
});
