// The list verbs' reads (the ones the bin may send at start-up, VERB_READS in src/startup/early.ts): each goes out
// once, a failure is the verb's error, and flags are checked before any request.
import { describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';
import { useEmulator } from '../../helpers/emulator.js';
import { BOGUS_TOKEN, envFor } from '../../helpers/fixtures/token.js';

const emu = useEmulator();
const reads = () => emu.state.requests.map((r) => `${r.method} ${r.path} ${r.status}`);

describe("list verbs' reads", () => {
  it.each([
    [
      ['token', 'list', '--json'],
      ['GET /v2/tokens 200', 'GET /v2/organizations/roles 200'],
    ],
    [
      ['token', 'audit', '--json'],
      ['GET /v2/tokens 200', 'GET /v2/organizations/roles 200'],
    ],
    [['role', 'list', '--json'], ['GET /v2/organizations/roles 200']],
    [['db', 'list', '--json'], ['GET /v2/databases 200']],
  ])('%j makes each of its reads once', async (argv, expected) => {
    const r = await runCli(argv, { env: envFor(emu) });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(reads().sort()).toEqual(expected.sort());
  });

  it("a rejected credential is the verb's error", async () => {
    const r = await runCli(['token', 'list', '--json'], { env: envFor(emu, BOGUS_TOKEN) });
    expect(r.code).toBe(3);
    expect(JSON.parse(r.stderr)).toMatchObject({ error: { code: 'UNAUTHENTICATED', status: 401 } });
    expect(r.stdout).toBe('');
  });

  it.each([
    [['token', 'list', '--expiring-within', 'soon']],
    [['--token-file', '-', 'token', 'list', '--expiring-within', 'soon']],
    [['token', 'audit', '--fail-on', 'critical']],
    [['token', 'list', '--role', '']],
    [['token', 'exec', '--role', ' ', '--', 'true']],
    [['token', 'exec', '--role', 'RO User', '--role', '', '--', 'true']],
    [['token', 'create', '--role', '']],
  ])('%j: a bad flag is a usage error before any request', async (argv) => {
    const r = await runCli(argv, { env: envFor(emu), stdin: emu.adminToken });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: --/);
    expect(r.stdout).toBe('');
    expect(reads()).toEqual([]);
  });
});
