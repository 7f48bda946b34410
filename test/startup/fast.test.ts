// `--version` and `--help` alone are answered by dist/fast.js (src/startup/fast.ts) without loading the CLI: the
// top-level help is made at build time from the command tree (src/startup/root-help.ts) and fitted to the terminal
// with the CLI's own wrapHelp. These tests hold it to the help the CLI itself prints, at every width.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { unwrappedRootHelp } from '../../src/startup/root-help.js';
import { helpWidth, wrapHelp } from '../../src/text/wrap.js';
import { VERSION } from '../../src/version.js';
import { HAS_BUILD, NO_BUILD_REASON, ROOT, runBin, runInPty } from '../helpers/bin.js';
import { tempDir } from '../helpers/temp.js';
import { commandTree } from '../helpers/tree.js';

/** The top-level help as the CLI prints it on a pipe, or in a terminal `columns` wide (the whole tree unless `argv`). */
function cliHelp(columns?: number, argv?: string[]): string {
  let text = '';
  commandTree(argv, (s) => (text += s), columns).outputHelp();
  return text;
}

describe('the top-level help answered without the CLI', () => {
  it('is the help the CLI prints, at every terminal width from 1 to 300 and on a pipe', () => {
    const unwrapped = unwrappedRootHelp();
    for (let columns = 1; columns <= 300; columns++) {
      const fitted = wrapHelp(unwrapped, helpWidth(true, columns));
      expect(fitted, `${columns} columns`).toBe(cliHelp(columns, ['--help']));
    }
    expect(wrapHelp(unwrapped, helpWidth(false, undefined))).toBe(cliHelp(undefined, ['--help']));
    // The registration that reads argv (only the noun named is registered) makes the same top-level help.
    expect(cliHelp(undefined, ['--help'])).toBe(cliHelp());
  });
});

describe.skipIf(!HAS_BUILD)(`the built bin's --help and --version${HAS_BUILD ? '' : ` (${NO_BUILD_REASON})`}`, () => {
  it.each([['--help'], ['-h']])('%s on a pipe prints the CLI help for 80 columns, exit 0, nothing on stderr', async (flag) => {
    const r = await runBin([flag]);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toBe(cliHelp());
  });

  it.each([['--version'], ['-V']])('%s prints the version', async (flag) => {
    const r = await runBin([flag]);
    expect(r).toMatchObject({ code: 0, stdout: `${VERSION}\n`, stderr: '' });
  });

  it('--help in a 100-column terminal is fitted to it', async () => {
    const r = await runInPty(['--help'], 100);
    expect(r.code).toBe(0);
    expect(r.output.replace(/\r\n/g, '\n')).toBe(cliHelp(100));
  });

  it('anything besides the flag goes to the CLI (token --help is the noun help; --help --json too)', async () => {
    const noun = await runBin(['token', '--help']);
    expect(noun.code).toBe(0);
    expect(noun.stdout).toMatch(/^Usage: astra-token token /);
    const withJson = await runBin(['--help', '--json']);
    expect(withJson.code).toBe(0);
    expect(withJson.stdout).toBe(cliHelp());
  });

  it('loads no module of the CLI: only the bin and dist/fast.js', async () => {
    const dir = tempDir('astra-token-fast-');
    const log = join(dir, 'loaded.txt');
    const hooks = `export async function resolve(specifier, context, next) {
  const found = await next(specifier, context);
  if (found.url.startsWith('file:')) (await import('node:fs')).appendFileSync(${JSON.stringify(log)}, found.url + '\\n');
  return found;
}`;
    const register = join(dir, 'register.mjs');
    writeFileSync(
      register,
      `import { register } from 'node:module';\nregister(${JSON.stringify(`data:text/javascript,${encodeURIComponent(hooks)}`)});\n`,
    );
    for (const flag of ['--help', '--version']) {
      writeFileSync(log, '');
      const r = await runBin([flag], { env: { NODE_OPTIONS: `--import=${pathToFileURL(register).href}` } });
      expect(r.code).toBe(0);
      const loaded = readFileSync(log, 'utf8')
        .trim()
        .split('\n')
        .map((url) => url.replace(pathToFileURL(ROOT).href, ''));
      expect(loaded).toEqual(['bin/astra-token.js', 'dist/fast.js']);
    }
  });
});
