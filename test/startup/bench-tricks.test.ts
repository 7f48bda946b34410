// `BENCH_ONLY=tricks npm run bench` turns each start-up trick off by patching its source as the bundle is built
// (bench/tricks.mjs). A patch whose text moved would only fail an hour into a bench run; here it fails at once.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs module of the bench, without types.
import { TRICKS } from '../../bench/tricks.mjs';
// @ts-expect-error: the build's plain .mjs plugins, without types.
import { startupPlugins } from '../../src/startup/esbuild-plugins.mjs';

interface Trick {
  name: string;
  bin?: { find: string };
  patches?: Array<{ file: string; find: string }>;
  without?: string[];
  cases: unknown[];
}

const root = new URL('../../', import.meta.url);

describe('bench tricks', () => {
  it('every patch finds its text, every stand-in left out exists, every trick is named in docs/startup.md', () => {
    const page = readFileSync(new URL('docs/startup.md', root), 'utf8').replaceAll('`', '');
    for (const trick of TRICKS as Trick[]) {
      expect(trick.cases.length, trick.name).toBeGreaterThan(0);
      if (trick.bin) expect(readFileSync(new URL('bin/astra-token.js', root), 'utf8'), trick.name).toContain(trick.bin.find);
      for (const patch of trick.patches ?? []) {
        expect(readFileSync(new URL(patch.file, root), 'utf8'), `${trick.name}: ${patch.file}`).toContain(patch.find);
      }
      for (const name of trick.without ?? []) expect(Object.keys(startupPlugins as object), trick.name).toContain(name);
      // The page's table names each trick by the words before its parenthesis.
      expect(page.toLowerCase(), trick.name).toContain(trick.name.replace(/ \(.*$/, '').toLowerCase());
    }
  });
});
