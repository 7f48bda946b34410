// The README and --help recipes work as written: xargs recipes survive an empty match, the vault hand-over drops
// the token's newline, the Node version is the one package.json requires, the install-scripts notice is explained.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/bin.js';
import { runCli } from '../helpers/cli.js';

const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { engines: { node: string } };

describe('documentation', () => {
  it('every xargs recipe uses xargs -r, in the README and in --help', async () => {
    const help = (await runCli(['token', 'delete', '--help'])).stdout;
    for (const text of [readme, help]) {
      const recipes = text.split('\n').filter((l) => /\|\s*xargs\b/.test(l));
      expect(recipes.length).toBeGreaterThan(0);
      for (const line of recipes) expect(line).toMatch(/\|\s*xargs -r /);
    }
  });

  it('the vault hand-over strips the newline, in the README and in --help', async () => {
    const help = (await runCli(['token', 'rotate', '--help'])).stdout;
    for (const text of [readme, help]) {
      const vault = text.split('\n').filter((l) => l.includes('vault kv put'));
      expect(vault.length).toBeGreaterThan(0);
      for (const line of vault) expect(line).toContain("tr -d '\\n' | vault kv put");
    }
  });

  it('the README names the Node version of engines and explains the install-scripts notice', () => {
    const version = pkg.engines.node.replace(/^>=/, '');
    expect(readme).toContain(`Requires Node.js ${version} or newer`);
    expect(readme).toMatch(/install scripts of esbuild and msw/);
  });
});
