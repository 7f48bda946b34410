// One style for what the tool says: success lines are `✓ <verb> …` on a terminal and plain when piped; an error
// after Ctrl-D at a prompt starts on its own line; --timeout says the range it takes.
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { useEmulator } from '../helpers/emulator.js';
import { DAY, NOW, at, clientIdOf, envFor } from '../helpers/fixtures/token.js';

const emu = useEmulator({ state: { now: () => NOW } });
const issue = () => clientIdOf(emu.state.issueToken(emu.state.defaultOrg.id, ['RO User'], { expiresAt: at(30 * DAY) }).token);
// eslint-disable-next-line no-control-regex -- ANSI escape sequences start with the control character ESC
const plain = (s: string) => s.replace(/\u001b\[[0-9;]*[A-Za-z]/g, '');

describe('success lines', () => {
  it('start with ✓ and a lower-case verb on a terminal', async () => {
    const id = issue();
    const r = await runCli(['token', 'delete', id], { env: envFor(emu), now: NOW, tty: true, stdin: 'y\n' });
    expect(r.code).toBe(0);
    expect(plain(r.stderr).split('\n').at(-2)).toBe(`✓ revoked ${id}`);
  });

  it('have no ✓ when stderr is not a terminal', async () => {
    const id = issue();
    const r = await runCli(['token', 'delete', id, '--yes'], { env: envFor(emu), now: NOW });
    expect(r.stderr).toBe(`revoked ${id}\n`);
  });

  it('org add says what it did, verb first', async () => {
    const add = await runCli(['org', 'add', 'p1', '--with-token', '--api-url', emu.baseUrl], { stdin: emu.adminToken });
    expect(add.code).toBe(0);
    expect(add.stderr).toMatch(/^saved profile 'p1' for org .* at https:\/\/api\.emulator\.test$/m);
  });
});

describe('prompts', () => {
  it('Ctrl-D at a confirmation prompt: the error starts on a new line', async () => {
    const id = issue();
    const r = await runCli(['token', 'delete', id], { env: envFor(emu), now: NOW, tty: true, stdin: '' });
    expect(r.code).toBe(2);
    expect(plain(r.stderr)).toMatch(/\[y\/N\] \nerror: input closed before an answer was given\n$/);
    expect(emu.state.findToken(id)).toBeDefined();
  });
});

describe('--timeout', () => {
  it.each([
    ['0', 'is out of range'],
    ['-1', 'is out of range'],
    ['4000', 'is out of range'],
    ['soon', 'is not a number of seconds'],
  ])('--timeout %s says the range it wants', async (value, what) => {
    const r = await runCli(['--timeout', value, 'role', 'list'], { env: envFor(emu) });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`error: --timeout: '${value}' ${what}: give seconds, more than 0 and at most 3600 (e.g. 30, 2.5)\n`);
  });
});
