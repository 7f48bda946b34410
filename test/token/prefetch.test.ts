// The list verbs declare the reads they make (VerbPlan.prefetch): main starts them before the verb's code loads.
// Each read still goes out once, a failure is the verb's error as before, and a verb that fails before it needs
// them (a bad flag) ends cleanly with its usage error.
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { useEmulator } from '../helpers/emulator.js';
import { BOGUS_TOKEN, envFor } from './fixtures.js';

const emu = useEmulator();
const reads = () => emu.state.requests.map((r) => `${r.method} ${r.path} ${r.status}`);

describe('prefetched reads', () => {
  it.each([
    [['token', 'list', '--json'], ['GET /v2/tokens 200', 'GET /v2/organizations/roles 200']],
    [['token', 'audit', '--json'], ['GET /v2/tokens 200', 'GET /v2/organizations/roles 200']],
    [['role', 'list', '--json'], ['GET /v2/organizations/roles 200']],
    [['db', 'list', '--json'], ['GET /v2/databases 200']],
  ])('%j makes each of its reads once', async (argv, expected) => {
    const r = await runCli(argv, { env: envFor(emu) });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(reads().sort()).toEqual(expected.sort());
  });

  it('a rejected credential is the verb\'s error, as without a prefetch', async () => {
    const r = await runCli(['token', 'list', '--json'], { env: envFor(emu, BOGUS_TOKEN) });
    expect(r.code).toBe(3);
    expect(JSON.parse(r.stderr)).toMatchObject({ error: { code: 'UNAUTHENTICATED', status: 401 } });
    expect(r.stdout).toBe('');
  });

  it('a bad flag is still a usage error, and the reads started for it are dropped', async () => {
    const r = await runCli(['token', 'list', '--expiring-within', 'soon'], { env: envFor(emu) });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: --expiring-within: 'soon' is not a duration/);
    expect(r.stdout).toBe('');
  });

  it('nothing is prefetched when the token is to be read from stdin', async () => {
    const r = await runCli(['--token-file', '-', 'token', 'list', '--expiring-within', 'soon'], { env: { ASTRA_API_URL: emu.baseUrl }, stdin: emu.adminToken });
    expect(r.code).toBe(2);
    expect(reads()).toEqual([]);
  });
});
