// --fields and --jq in-process: what is kept, what is refused (before anything is sent), and raw strings on a terminal.
import { describe, expect, it } from 'vitest';
import { selectFields } from '../../src/output/json-filter.js';
import { runCli } from '../helpers/cli.js';
import { useEmulator } from '../helpers/emulator.js';
import { envFor, NOW } from '../helpers/fixtures/token.js';

const emu = useEmulator({ state: { now: () => NOW } });

describe('selectFields', () => {
  it('keeps the named keys of each element of a list, in the order asked', () => {
    expect(
      selectFields(
        [
          { a: 1, b: 2, c: 3 },
          { a: 4, c: 6 },
        ],
        ['c', 'a'],
      ),
    ).toEqual([
      { c: 3, a: 1 },
      { c: 6, a: 4 },
    ]);
  });

  it('keeps the named keys of a single object; a key an object lacks is left out (names were checked before the verb ran)', () => {
    expect(selectFields({ a: 1, b: { x: 1 } }, ['b'])).toEqual({ b: { x: 1 } });
    expect(selectFields([{ a: 1 }, { b: 2 }], ['a', 'reason'])).toEqual([{ a: 1 }, {}]);
  });

  it('an empty list stays empty, whatever is asked', () => {
    expect(selectFields([], ['anything'])).toEqual([]);
  });
});

describe('--fields and --jq on the command line', () => {
  it('refuse an empty field name or expression before any request', async () => {
    const before = emu.state.requests.length;
    const empty = await runCli(['token', 'list', '--fields', 'clientId,,expiresAt'], { env: envFor(emu), now: NOW });
    expect(empty.code).toBe(2);
    expect(empty.stderr).toMatch(/--fields: 'clientId,,expiresAt' has an empty field name/);
    const jq = await runCli(['token', 'list', '--jq', ' '], { env: envFor(emu), now: NOW });
    expect(jq.code).toBe(2);
    expect(jq.stderr).toMatch(/--jq: the expression is empty/);
    expect(emu.state.requests.length).toBe(before);
  });

  it('are refused by the verbs that print no JSON: token exec and completion', async () => {
    const exec = await runCli(['token', 'exec', '--role', 'RO User', '--jq', '.', '--', 'true'], { env: envFor(emu), now: NOW });
    expect(exec).toMatchObject({ code: 2, stdout: '' });
    expect(exec.stderr).toBe('{"error":{"code":"USAGE","message":"--jq cannot be used with token exec: it prints no JSON"}}\n');
    const completion = await runCli(['completion', 'bash', '--fields', 'x']);
    expect(completion).toMatchObject({ code: 2, stdout: '' });
    expect(completion.stderr).toMatch(/--fields cannot be used with completion/);
  });

  it('--fields then --jq: the expression sees only the kept fields', async () => {
    const r = await runCli(['token', 'list', '--fields', 'clientId', '--jq', '.[0] | keys | join(",")'], { env: envFor(emu), now: NOW });
    expect(r).toEqual({ code: 0, stdout: 'clientId\n', stderr: '' });
  });

  it('raw strings on a terminal cannot drive it: escape sequences from the API are shown escaped', async () => {
    emu.state.issueToken(emu.state.defaultOrg.id, ['RO User'], { description: 'evil \u001b]0;title\u0007 text' });
    const filter = '.[] | select(.description | startswith("evil")) | .description';
    const tty = await runCli(['token', 'list', '--jq', filter], { env: envFor(emu), now: NOW, tty: true });
    expect(tty.code).toBe(0);
    expect(tty.stdout).not.toContain('\u001b');
    expect(tty.stdout).toMatch(/^evil .*title.* text\n$/);
    const piped = await runCli(['token', 'list', '--jq', filter], { env: envFor(emu), now: NOW });
    expect(piped.stdout).toBe('evil \u001b]0;title\u0007 text\n');
  });
});
