// The README and --help recipes work as written: xargs recipes survive an empty match, the vault hand-over drops
// the token's newline, the Node version is the one package.json requires, the install-scripts notice is explained;
// the README stays a guide of at most 400 lines, and every relative link of README.md and docs/ reaches its file and
// heading.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/bin.js';
import { runCli } from '../helpers/cli.js';

const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { engines: { node: string } };

/** README.md and every Markdown file under docs/, as paths from the root. */
function markdownFiles(): string[] {
  const docs = readdirSync(join(ROOT, 'docs'), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.md'))
    .map((f) => join('docs', f));
  return ['README.md', ...docs.sort()];
}

/** The text outside fenced code blocks and code spans, where links and headings are Markdown. */
function prose(text: string): string {
  return text.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '').replace(/`[^`\n]*`/g, 'code');
}

/** GitHub's anchors for a file's headings: lower case, punctuation dropped, spaces to dashes, repeats numbered. */
function anchors(text: string): Set<string> {
  const seen = new Map<string, number>();
  const out = new Set<string>();
  const body = text.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '');
  for (const [, heading] of body.matchAll(/^#{1,6} +(.*?)\s*#*$/gm)) {
    const slug = heading!
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/ /g, '-');
    const n = seen.get(slug) ?? 0;
    seen.set(slug, n + 1);
    out.add(n === 0 ? slug : `${slug}-${n}`);
  }
  return out;
}

describe('documentation', () => {
  it('the README is a guide of at most 400 lines', () => {
    expect(readme.trimEnd().split('\n').length).toBeLessThanOrEqual(400);
  });

  it('every relative link in README.md and docs/ points at an existing file and heading', () => {
    const files = markdownFiles();
    expect(files.length).toBeGreaterThan(5);
    const broken: string[] = [];
    let checked = 0;
    for (const file of files) {
      const text = readFileSync(join(ROOT, file), 'utf8');
      for (const [, target] of prose(text).matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
        if (/^[a-z][a-z0-9+.-]*:/i.test(target!)) continue; // https:, mailto:
        checked++;
        const [path, anchor] = target!.split('#') as [string, string | undefined];
        const resolved = path === '' ? join(ROOT, file) : join(ROOT, dirname(file), decodeURIComponent(path));
        if (!existsSync(resolved)) {
          broken.push(`${file}: ${target} (no ${relative(ROOT, resolved)})`);
          continue;
        }
        if (anchor !== undefined && resolved.endsWith('.md') && !anchors(readFileSync(resolved, 'utf8')).has(anchor)) {
          broken.push(`${file}: ${target} (no heading #${anchor} in ${relative(ROOT, resolved)})`);
        }
      }
    }
    expect(checked).toBeGreaterThan(20);
    expect(broken).toEqual([]);
  });

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
