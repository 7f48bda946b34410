// --fields is checked against each verb's declared JSON fields before anything is sent, every verb's --help lists
// them, and a filter that would keep a new token's value from stdout never leaves a live token nobody received.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasJsonOutput } from '../../src/commands/options.js';
import { JSON_FIELDS } from '../../src/output/json-fields.js';
import { tempConfigDir } from '../helpers/cli.js';
import { demoTenant, TARGET, useStreamingEmulator, FLAGS } from '../helpers/fixtures/streaming.js';
import { commandPaths, commandTree } from '../helpers/tree.js';

const { emu, run } = useStreamingEmulator();
// The admin token is issued on first use: asking for it first keeps it out of a test's differences.
const liveIds = () => {
  void emu.adminToken;
  return emu.state
    .listTokens(emu.state.defaultOrg.id)
    .map((t) => t.clientId)
    .sort();
};
const seed = () => emu.state.issueToken(emu.state.defaultOrg.id, ['RO User'], { description: 'ci job' });

describe('declared JSON fields', () => {
  it('every verb that prints JSON declares its fields, and every declaration names a verb', () => {
    const verbs = commandPaths()
      .filter(({ command }) => command.commands.length === 0 && hasJsonOutput(command))
      .map(({ path }) => path.join(' '));
    expect(verbs.sort()).toEqual(Object.keys(JSON_FIELDS).sort());
  });

  it("each verb's --help lists its JSON fields within 80 columns", () => {
    for (const [verb, fields] of Object.entries(JSON_FIELDS)) {
      let help = '';
      const tree = commandTree(verb.split(' '), (text) => (help += text));
      commandPaths(tree)
        .find((p) => p.path.join(' ') === verb)!
        .command.outputHelp();
      if (fields.length === 0) {
        expect(help, verb).not.toContain('JSON fields');
        continue;
      }
      const section = help.slice(help.indexOf('JSON fields (for --fields, --jq):'));
      expect(section, verb).not.toBe(help);
      expect(section.split('\n').slice(1).join(' ').split(/\s+/).filter(Boolean), verb).toEqual(fields);
      expect(
        help.split('\n').filter((l) => l.length > 80),
        verb,
      ).toEqual([]);
    }
  });
});

describe('--fields is checked before any request', () => {
  it.each([
    [['token', 'create', '--role', 'RO User']],
    [['role', 'create', 'Temp', '--action', 'db-table-select']],
    [['streaming', 'token', 'create', ...TARGET]],
  ])('%j --fields with an unknown name: exit 2 listing the available ones, nothing sent', async (argv) => {
    const verb = argv
      .filter((w) => /^[a-z]+$/.test(w))
      .slice(0, argv[0] === 'streaming' ? 3 : 2)
      .join(' ');
    const r = await run([...argv, '--fields', 'bogus']);
    expect(r).toMatchObject({ code: 2, stdout: '' });
    expect(JSON.parse(r.stderr)).toEqual({
      error: { code: 'USAGE', message: `--fields: unknown field 'bogus'; available: ${JSON_FIELDS[verb]!.join(', ')}` },
    });
    expect(emu.state.requests).toEqual([]);
  });

  it('token rotate --fields with an unknown name: nothing sent, the old token untouched', async () => {
    const old = seed();
    const r = await run(['token', 'rotate', old.clientId, '--yes', '--fields', 'clientId,token,revokedd']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown field 'revokedd'; available: .*replaced, revoked/);
    expect(emu.state.requests).toEqual([]);
    expect(liveIds()).toContain(old.clientId);
  });

  it('a declared field that no object holds is left out, not an error (after a delete it must not fail)', async () => {
    const t = seed();
    const r = await run(['token', 'delete', t.clientId, '--yes', '--fields', 'clientId,reason']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([{ clientId: t.clientId }]);
    expect(liveIds()).not.toContain(t.clientId);
  });

  it('role actions prints a list of strings: --fields is refused, --jq works', async () => {
    const fields = await run(['role', 'actions', '--fields', 'name']);
    expect(fields).toMatchObject({ code: 2, stdout: '' });
    expect(fields.stderr).toMatch(/--fields cannot be used with role actions: its JSON is a list of strings/);
    const jq = await run(['role', 'actions', '--jq', '.[0]']);
    expect(jq.code).toBe(0);
    expect(jq.stdout).toMatch(/^[a-z-]+\n$/);
  });
});

describe('a filter that drops the new token', () => {
  it('token create --fields without token: refused before anything is created; with --output-file it is fine', async () => {
    const before = liveIds();
    const r = await run(['token', 'create', '--role', 'RO User', '--fields', 'clientId']);
    expect(r).toMatchObject({ code: 2, stdout: '' });
    expect(JSON.parse(r.stderr)).toEqual({
      error: {
        code: 'USAGE',
        message: "--fields clientId leaves out 'token', the new token's only copy: nobody would receive it; nothing was created",
        hint: 'add token to --fields, or give --output-file <path>',
      },
    });
    expect(emu.state.requests).toEqual([]);

    const dir = tempConfigDir();
    try {
      const file = join(dir, 'token.json');
      const filed = await run(['token', 'create', '--role', 'RO User', '--fields', 'clientId', '--output-file', file]);
      expect(filed.code).toBe(0);
      const { clientId } = JSON.parse(filed.stdout) as { clientId: string };
      expect(filed.stdout).toBe(JSON.stringify({ clientId }, null, 2) + '\n');
      expect((JSON.parse(readFileSync(file, 'utf8')) as { token: string }).token).toMatch(new RegExp(`^AstraCS:${clientId}:`));
      expect(liveIds()).toEqual([...before, clientId].sort());
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('token create --jq .clientId: the token is revoked again (nobody has it), exit 8 says so', async () => {
    const before = liveIds();
    const r = await run(['token', 'create', '--role', 'RO User', '--jq', '.clientId']);
    expect(r).toMatchObject({ code: 8, stdout: '' });
    const { error } = JSON.parse(r.stderr) as { error: { code: string; message: string } };
    expect(error.code).toBe('PARTIAL');
    expect(error.message).toMatch(
      /^token \w{24} was created, but the --jq filter leaves the token out of standard output, so it reached no one; it was revoked$/,
    );
    expect(liveIds()).toEqual(before);
    expect(r.stderr).not.toMatch(/AstraCS:/);
  });

  it('token create --jq .clientId whose revoke fails: exit 8 with the exact revoke line, the token named', async () => {
    emu.state.injectFault({ method: 'DELETE', path: '/v2/tokens/*', status: 503, times: 10 });
    const before = liveIds();
    const r = await run(['token', 'create', '--role', 'RO User', '--jq', '.clientId', '--no-input']);
    expect(r.code).toBe(8);
    const { error } = JSON.parse(r.stderr) as { error: { message: string; hint: string } };
    const created = liveIds().filter((id) => !before.includes(id));
    expect(created).toHaveLength(1);
    expect(error.message).toMatch(new RegExp(`^token ${created[0]} was created, but .*; revoking it failed too: `));
    expect(error.hint).toBe(`revoke it with: astra-token token delete ${created[0]} --yes --if-exists; then run the same command again`);
  });

  it('token create --jq that keeps the token prints it; --handoff takes a token the filter dropped', async () => {
    const kept = await run(['token', 'create', '--role', 'RO User', '--jq', '.token']);
    expect(kept.code).toBe(0);
    const token = kept.stdout.trim();
    expect(liveIds()).toContain(token.split(':')[1]);

    const dir = tempConfigDir();
    try {
      const file = join(dir, 'handed');
      const handed = await run(['token', 'create', '--role', 'RO User', '--jq', '.clientId', '--handoff', `cat > '${file}'`]);
      expect(handed.code).toBe(0);
      const clientId = handed.stdout.trim();
      expect(existsSync(file) && readFileSync(file, 'utf8')).toMatch(new RegExp(`^AstraCS:${clientId}:`));
      expect(liveIds()).toContain(clientId);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('token rotate --jq .clientId: the new token is revoked, the old one kept and still live', async () => {
    const old = seed();
    const before = liveIds();
    const r = await run(['token', 'rotate', old.clientId, '--yes', '--jq', '.clientId']);
    expect(r).toMatchObject({ code: 8, stdout: '' });
    expect((JSON.parse(r.stderr) as { error: { message: string } }).error.message).toMatch(
      new RegExp(`it was revoked; the old token ${old.clientId} was kept and still works$`),
    );
    expect(liveIds()).toEqual(before);

    const refused = await run(['token', 'rotate', old.clientId, '--yes', '--fields', 'clientId,replaced']);
    expect(refused.code).toBe(2);
    expect(liveIds()).toEqual(before);
  });

  it('streaming token create: --fields without token refused up front; --jq .tokenId deletes the token, exit 8', async () => {
    const before = demoTenant(emu).tokens.map((t) => t.tokenId);
    const refused = await run(['streaming', 'token', 'create', ...TARGET, '--fields', 'tokenId']);
    expect(refused).toMatchObject({ code: 2, stdout: '' });
    expect(emu.state.requests).toEqual([]);

    const r = await run(['streaming', 'token', 'create', ...TARGET, '--jq', '.tokenId']);
    expect(r).toMatchObject({ code: 8, stdout: '' });
    expect((JSON.parse(r.stderr) as { error: { message: string } }).error.message).toMatch(
      /^Pulsar token \S+ was created, but the --jq filter leaves the token out of standard output, so it reached no one; it was deleted$/,
    );
    expect(demoTenant(emu).tokens.map((t) => t.tokenId)).toEqual(before);
    expect(FLAGS).toContain('--tenant');
  });
});
