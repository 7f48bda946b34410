// docs/reference/ is generated from the command tree (`npm run docs`); this fails when it no longer says what the
// declarations say, and holds the help topics to the tables the code acts on.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { referenceMarkdown } from '../../src/commands/help-topics.js';
import { ENVIRONMENT } from '../../src/environment.js';
import { EXIT_CODES } from '../../src/errors.js';
import { HAS_BUILD, NO_BUILD_REASON, ROOT, runBin } from '../helpers/bin.js';
import { runCli } from '../helpers/cli.js';
import { commandPaths, commandTree } from '../helpers/tree.js';

const checkedIn = () => readFileSync(`${ROOT}docs/reference/commands.md`, 'utf8');

describe('docs/reference', () => {
  it('is what the command tree generates now (run `npm run docs` after changing a command)', () => {
    expect(checkedIn()).toBe(referenceMarkdown(commandTree()));
  });

  it('has a section for every command of the tree, with each of its options', () => {
    const text = checkedIn();
    for (const { path, command } of commandPaths()) {
      if (path[0] === 'help') continue;
      const section = text.split(`\n## astra-token ${path.join(' ')}\n`)[1]?.split('\n## ')[0];
      expect(section, path.join(' ')).toBeDefined();
      for (const option of command.options.filter((o) => !o.hidden)) expect(section).toContain(`\`${option.flags}\``);
    }
  });

  it.skipIf(!HAS_BUILD)(
    `is what \`astra-token help reference\` prints from the built bin${HAS_BUILD ? '' : ` (${NO_BUILD_REASON})`}`,
    async () => {
      const r = await runBin(['help', 'reference']);
      expect(r.code).toBe(0);
      expect(r.stdout).toBe(checkedIn());
    },
  );
});

describe('help topics', () => {
  it('`help exit-codes` lists every exit code of the classifier with its error.code', async () => {
    const r = await runCli(['help', 'exit-codes']);
    expect(r.code).toBe(0);
    for (const [code, exit] of Object.entries(EXIT_CODES)) expect(r.stdout).toMatch(new RegExp(`^ +${exit}  [^]*?${code}`, 'm'));
  });

  it('`help environment` lists every variable of the table, and the table every variable the source reads', async () => {
    const r = await runCli(['help', 'environment']);
    expect(r.code).toBe(0);
    const listed = ENVIRONMENT.flatMap((v) => v.name.split(', '));
    for (const name of listed) expect(r.stdout).toContain(name);
    const { execFileSync } = await import('node:child_process');
    const read = execFileSync('grep', ['-rhoE', String.raw`env(\.|\[')[A-Z][A-Z0-9_]+`, `${ROOT}src`, '--exclude-dir=emulator'], {
      encoding: 'utf8',
    });
    const names = new Set(
      read
        .split('\n')
        .filter(Boolean)
        .map((m) => m.replace(/^env(\.|\[')/, '')),
    );
    expect([...names].filter((n) => !listed.includes(n))).toEqual([]);
  });

  it('`help formats` explains --fields and --jq; an unknown topic or command gets a did-you-mean', async () => {
    const r = await runCli(['help', 'formats']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/--fields/);
    expect(r.stdout).toMatch(/--jq/);
    const typo = await runCli(['help', 'exit-code']);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toBe("error: help: 'exit-code' is not a command (Did you mean exit-codes?); see 'astra-token --help'\n");
  });
});
