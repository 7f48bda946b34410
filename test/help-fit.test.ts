// Every help page fits 80 columns (what a pipe or CI log gets): commander wraps its lists, src/text/wrap.ts the prose.
import { describe, expect, it } from 'vitest';
import { commandPaths, commandTree } from './helpers/tree.js';

/** Every help page of the whole tree: the top level, then each noun and verb. */
function helpPages(): Array<[string, string]> {
  let text = '';
  const root = commandTree(undefined, (s) => (text += s));
  root.outputHelp();
  const pages: Array<[string, string]> = [['astra-token', text]];
  for (const { path, command } of commandPaths(root)) {
    text = '';
    command.outputHelp();
    pages.push([path.join(' '), text]);
  }
  return pages;
}

describe('help pages', () => {
  const pages = helpPages();

  it('cover the whole tree', () => {
    expect(pages.map(([p]) => p)).toEqual(expect.arrayContaining(['astra-token', 'token list', 'streaming token create', 'completion']));
  });

  it.each(pages)('%s fits in 80 columns', (_path, text) => {
    const wide = text.split('\n').filter((line) => [...line].length > 80);
    expect(wide).toEqual([]);
  });
});
