// The layering of src/ as rules that fail the build when broken: the API layer speaks only HTTP (its own errors, no
// exit codes), the text utilities import nothing, commands ask what an error means (isNotFound, ...) instead of
// comparing statuses, and no comment cites a file the repository does not have.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './helpers/bin.js';

function filesUnder(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && /\.(ts|js|mjs)$/.test(e.name))
    .map((e) => relative(ROOT, join(e.parentPath, e.name)));
}

/** The repository files a module imports (static, dynamic and `export … from`), as paths from the root. */
function importsOf(file: string): string[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const specs = [...text.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)['"]([^'"]+)['"]/gm)].map((m) => m[1]!);
  return specs.map((s) => (s.startsWith('.') ? relative(ROOT, resolve(dirname(join(ROOT, file)), s)).replace(/\.js$/, '.ts') : s));
}

const SRC = filesUnder('src');

describe('architecture', () => {
  it('finds the modules it checks', () => {
    expect(SRC).toContain('src/errors.ts');
    expect(SRC.filter((f) => f.startsWith('src/api/')).length).toBeGreaterThan(5);
    expect(importsOf('src/api/transport.ts')).toContain('src/api/errors.ts');
  });

  it('no src/api module imports src/errors.ts: the API layer throws only its own errors', () => {
    const offenders = SRC.filter((f) => f.startsWith('src/api/') && importsOf(f).includes('src/errors.ts'));
    expect(offenders).toEqual([]);
  });

  it('src/api/errors.ts knows nothing of exit codes', () => {
    const text = readFileSync(join(ROOT, 'src/api/errors.ts'), 'utf8');
    expect(text).not.toMatch(/exitCode|EXIT_CODES|ErrorCode/);
  });

  it('src/text imports nothing (not even Node modules): everything else may use it', () => {
    const text = SRC.filter((f) => f.startsWith('src/text/'));
    expect(text.length).toBeGreaterThanOrEqual(2);
    for (const f of text)
      expect({ file: f, imports: importsOf(f).filter((i) => !i.startsWith('src/text/')) }).toEqual({ file: f, imports: [] });
  });

  it('src/errors.ts re-exports nothing from other layers', () => {
    const text = readFileSync(join(ROOT, 'src/errors.ts'), 'utf8');
    expect(text).not.toMatch(/^export\s*(?:\*|\{[^}]*\})\s*from/m);
  });

  // A raw status check decides what an error means outside the one classifier (src/errors.ts).
  const RAW_STATUS_CHECKS: ReadonlyArray<[string, RegExp]> = [
    ['isStatus()', /\bisStatus\(/],
    ['hasCode()', /\bhasCode\(/],
    ['a status compared with a number', /\bstatus\s*(?:===|!==|==|!=|>=|<=|>|<)\s*\d{3}\b/],
    ['a number compared with a status', /\b\d{3}\s*(?:===|!==|==|!=|>=|<=|>|<)\s*\w+\.status\b/],
    ['a switch over a status', /\bswitch\s*\([^)]*\.status\)/],
    ["an error's status read", /\b(?:err|error|e|cause)\.status\b(?!\s*=[^=])/],
  ];
  const OUTSIDE_THE_CLASSIFIER = SRC.filter((f) => !/^src\/(api|emulator)\//.test(f) && f !== 'src/errors.ts');

  it.each(RAW_STATUS_CHECKS)('no module outside src/api and src/errors.ts uses %s', (_what, pattern) => {
    const offenders = OUTSIDE_THE_CLASSIFIER.filter((f) => pattern.test(readFileSync(join(ROOT, f), 'utf8')));
    expect(offenders).toEqual([]);
  });

  it('the raw-status patterns catch what they are meant to catch', () => {
    const samples = [
      'if (isStatus(err, 403))',
      "hasCode(err, 'NOT_FOUND')",
      'err.status === 404',
      '404 === err.status',
      'switch (err.status) {',
      'status: err.status',
    ];
    samples.forEach((s, i) => expect(RAW_STATUS_CHECKS[i]![1].test(s)).toBe(true));
  });
});

describe('citations', () => {
  const TRACKED = [...filesUnder('src'), ...filesUnder('test'), ...filesUnder('scripts'), ...filesUnder('bench')];
  const NAMES = new Set(readdirSync(ROOT, { recursive: true }).map((p) => String(p).split('/').pop()!));
  // A comment's file mentions: a path under a top-level folder of the repo, or a bare Markdown file name.
  const CITATION = /(?<![\w/.-])(?:(?:src|test|docs|bench|scripts|bin)\/[\w./-]*\w|[\w-]+\.md)\b/g;

  function comments(text: string): string[] {
    const out: string[] = [];
    for (const line of text.split('\n')) {
      const at = line.search(/\/\/|\/\*|^\s*\*/);
      if (at >= 0 && !/['"`][^'"`]*\/\/[^'"`]*['"`]/.test(line.slice(0, at + 2))) out.push(line.slice(at));
    }
    return out;
  }

  function exists(cited: string): boolean {
    if (!cited.includes('/')) return NAMES.has(cited);
    const path = cited.replace(/[.]+$/, '');
    return existsSync(join(ROOT, path)) || existsSync(join(ROOT, path.replace(/\.js$/, '.ts')));
  }

  it('every file a source comment cites is in the repository', () => {
    const missing: string[] = [];
    for (const f of TRACKED) {
      for (const comment of comments(readFileSync(join(ROOT, f), 'utf8'))) {
        for (const [cited] of comment.matchAll(CITATION)) if (!exists(cited)) missing.push(`${f}: ${cited}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('a citation of a missing file is caught', () => {
    expect(exists('docs/contract.md')).toBe(true);
    expect(exists('CONTRACT.md')).toBe(false);
    expect(exists('src/api/nowhere.ts')).toBe(false);
    const cited = ['DEVOPS', 'API.md'].join('-');
    expect(comments(`const x = 1; // see ${cited} and /bin/sh`)[0]!.match(CITATION)).toEqual([cited]);
  });
});
