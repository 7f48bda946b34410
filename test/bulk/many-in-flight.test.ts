// Many requests in flight at once (a bulk revoke at --concurrency 32) share the command's interrupt signal: each
// listens on a signal of its own, derived from it, so Node never warns of a listener leak on the shared one.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { useEmulator } from '../helpers/emulator.js';
import { NOW } from '../helpers/fixtures/token.js';

const emu = useEmulator({ state: { now: () => NOW } });

let warnings: string[] = [];
const onWarning = (w: Error) => warnings.push(`${w.name}: ${w.message}`);
beforeEach(() => {
  warnings = [];
  process.on('warning', onWarning);
});
afterEach(() => {
  process.off('warning', onWarning);
});

describe('a bulk run with many requests in flight', () => {
  it('prune --concurrency 32 over 40 tokens: every token revoked, no MaxListenersExceededWarning', async () => {
    const org = emu.state.defaultOrg.id;
    const ids = Array.from({ length: 40 }, (_, i) => emu.state.issueToken(org, ['RO User'], { description: `batch ${i}` }).clientId);
    const signal = new AbortController().signal;
    const r = await runCli(['token', 'prune', '--description', 'batch *', '--concurrency', '32', '--yes', '--json'], {
      env: { ASTRA_DB_APPLICATION_TOKEN: emu.adminToken, ASTRA_API_URL: emu.baseUrl },
      signal,
      now: NOW,
    });
    expect(r.code, r.stderr).toBe(0);
    expect((JSON.parse(r.stdout) as Array<{ deleted: boolean }>).filter((i) => i.deleted)).toHaveLength(40);
    expect(ids.filter((id) => emu.state.findToken(id) !== undefined)).toEqual([]);
    // Node emits its warnings on a later tick.
    await new Promise((resolve) => setImmediate(resolve));
    expect(warnings.filter((w) => w.startsWith('MaxListenersExceededWarning'))).toEqual([]);
  });
});
