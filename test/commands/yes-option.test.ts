// `-y` is the short form of `--yes` on every verb that has `--yes`.
import type { Option } from '@commander-js/extra-typings';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { useEmulator } from '../helpers/emulator.js';
import { commandPaths } from '../helpers/tree.js';
import { DAY, NOW, at, clientIdOf, envFor } from '../helpers/fixtures/token.js';

const emu = useEmulator({ state: { now: () => NOW } });

function verbsWithYes(): Array<[string, Option]> {
  return commandPaths().flatMap(({ path, command }) => {
    const yes = command.options.find((o) => o.long === '--yes');
    return yes ? [[path.join(' '), yes] as [string, Option]] : [];
  });
}

describe('-y', () => {
  const verbs = verbsWithYes();

  it('is found on the destructive verbs', () => {
    expect(verbs.map(([name]) => name)).toEqual(
      expect.arrayContaining(['token delete', 'token rotate', 'token prune', 'role delete', 'org remove', 'streaming token delete']),
    );
  });

  it.each(verbs)('%s: -y is the short form of --yes', (_name, option) => {
    expect(option.short).toBe('-y');
  });

  const issue = (expiresAt: Date) =>
    clientIdOf(emu.state.issueToken(emu.state.defaultOrg.id, ['RO User'], { expiresAt, generatedOn: at(-DAY) }).token);

  it('token delete -y revokes without a terminal', async () => {
    const id = issue(at(30 * DAY));
    const r = await runCli(['token', 'delete', id, '-y'], { env: envFor(emu), now: NOW });
    expect(r.stderr).not.toMatch(/error/);
    expect(r.code).toBe(0);
    expect(emu.state.findToken(id)).toBeUndefined();
  });

  it('token prune -y and token rotate -y run without a terminal', async () => {
    const expired = issue(at(-DAY));
    const prune = await runCli(['token', 'prune', '--expired', '-y'], { env: envFor(emu), now: NOW });
    expect(prune.code).toBe(0);
    expect(emu.state.findToken(expired)).toBeUndefined();
    const old = issue(at(30 * DAY));
    const rotate = await runCli(['token', 'rotate', old, '-y'], { env: envFor(emu), now: NOW });
    expect(rotate.code).toBe(0);
    expect(emu.state.findToken(old)).toBeUndefined();
  });
});
