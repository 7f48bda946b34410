// `astra-token create ...` is `astra-token token create ...` (and list, delete, rotate, prune, inspect, exec, audit).
import { describe, expect, it } from 'vitest';
import { expandShortcut, TOKEN_SHORTCUTS } from '../../src/commands/shortcuts.js';
import { addProfile, cliWithDir } from '../helpers/fixtures/org.js';
import { commandTree } from '../helpers/tree.js';
import { runCli } from '../helpers/cli.js';
import { useEmulator } from '../helpers/emulator.js';
import { NOW, envFor } from '../helpers/fixtures/token.js';

const emu = useEmulator({ state: { now: () => NOW } });

describe('top-level shortcuts for the token verbs', () => {
  it('`create --role "R/W User"` creates a token', async () => {
    const r = await runCli(['create', '--role', 'R/W User', '--json'], { env: envFor(emu), now: NOW });
    expect(r.code).toBe(0);
    const created = JSON.parse(r.stdout) as { clientId: string; roles: Array<{ name: string }> };
    expect(created.roles.map((x) => x.name)).toEqual(['R/W User']);
    expect(emu.state.findToken(created.clientId)).toBeDefined();
  });

  it('`exec --role ... -- <command>` runs the command with a token, and `audit --json` reports', async () => {
    const exec = await runCli(['exec', '--role', 'RO User', '--', 'sh', '-c', 'test -n "$ASTRA_DB_APPLICATION_TOKEN"'], {
      env: { ...envFor(emu), PATH: process.env.PATH ?? '/usr/bin:/bin' },
      now: NOW,
    });
    expect(exec.code).toBe(0);
    const audit = await runCli(['audit', '--json'], { env: envFor(emu), now: NOW });
    expect(audit.code).toBe(0);
    expect(audit.stdout).toBe((await runCli(['token', 'audit', '--json'], { env: envFor(emu), now: NOW })).stdout);
  });

  it('global options may come first: `--json list`, `-p <name> list`', async () => {
    const viaShortcut = await runCli(['--json', 'list'], { env: envFor(emu), now: NOW });
    const viaToken = await runCli(['--json', 'token', 'list'], { env: envFor(emu), now: NOW });
    expect(viaShortcut.code).toBe(0);
    expect(viaShortcut.stdout).toBe(viaToken.stdout);
    const withValue = await runCli(['--timeout', '5', 'list', '--json'], { env: envFor(emu), now: NOW });
    expect(withValue.stdout).toBe(viaToken.stdout);
  });

  it.each(TOKEN_SHORTCUTS.map((v) => [v]))('%s has the same help as token %s', async (verb) => {
    const short = await runCli([verb, '--help']);
    expect(short.code).toBe(0);
    expect(short.stdout).toBe((await runCli(['token', verb, '--help'])).stdout);
    expect((await runCli(['help', verb])).stdout).toBe(short.stdout);
  });

  it('are listed under "Shortcuts" in the top-level help', async () => {
    const r = await runCli(['--help']);
    const section = r.stdout.split(/^Shortcuts.*:$/m)[1]?.split('\n\n')[0] ?? '';
    for (const verb of ['list', 'create', 'delete', 'rotate', 'prune', 'inspect', 'exec', 'audit'])
      expect(section).toMatch(new RegExp(`^  ${verb}\\s+= token ${verb}$`, 'm'));
  });

  it('delete -y through the shortcut needs the same flags', async () => {
    const r = await runCli(['delete', 'AbCdEfGhIjKlMnOpQrStUvWx'], { env: envFor(emu), now: NOW });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--yes/);
  });
});

describe('global options before a shortcut are read as commander reads them', () => {
  const words = (argv: string[]) => {
    const program = commandTree([]);
    return expandShortcut(program, argv);
  };

  it.each([
    [
      ['-qp', 'pa', 'list'],
      ['-qp', 'pa', 'token', 'list'],
    ],
    [
      ['-qp', 'create', 'role', 'list'],
      ['-qp', 'create', 'role', 'list'],
    ],
    [
      ['-pcreate', 'list'],
      ['-pcreate', 'token', 'list'],
    ],
    [
      ['-p', 'create', 'list'],
      ['-p', 'create', 'token', 'list'],
    ],
    [
      ['--profile=create', 'list'],
      ['--profile=create', 'token', 'list'],
    ],
    [
      ['--profile', 'list', 'create'],
      ['--profile', 'list', 'token', 'create'],
    ],
    [
      ['-q', '--timeout=5', 'delete'],
      ['-q', '--timeout=5', 'token', 'delete'],
    ],
    [
      ['--jq', '.[]', 'list'],
      ['--jq', '.[]', 'token', 'list'],
    ],
  ])('%j -> %j', (argv, expanded) => {
    expect(words(argv)).toEqual(expanded);
  });

  it('`-qp <name> list` and `-qp create role list` run with profile <name> and create', async () => {
    const cli = cliWithDir();
    await addProfile(cli, emu, 'pa', emu.adminToken);
    await addProfile(cli, emu, 'create', emu.adminToken);
    const list = await cli.run(['-qp', 'pa', 'list', '--json']);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/^\[/);
    const roles = await cli.run(['-qp', 'create', 'role', 'list', '--json']);
    expect(roles.code).toBe(0);
    expect(roles.stderr).toBe('');
    const other = await cli.run(['-pnope', 'list']);
    expect(other.code).toBe(5);
    expect(other.stderr).toMatch(/nope/);
  });
});
