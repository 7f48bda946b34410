// Ctrl-C during prune and delete: no new revoke starts, waits are cut, a revoke on the wire gets a short grace; one
// left unanswered is reported `deleted: false`, reason `interrupted: outcome unknown, check with token list`; exit 130.
import { spawn } from 'node:child_process';
import { delay, http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { BIN, HAS_BUILD, NO_BUILD_REASON, childEnv } from '../helpers/bin.js';
import { runCli } from '../helpers/cli.js';
import { useEmulator } from '../helpers/emulator.js';
import { DAY, NOW, at, envFor } from '../helpers/fixtures/token.js';
import { idOf } from '../helpers/fixtures/rotate.js';
import { startRawTokenApi } from '../helpers/raw-token-api.js';

const emu = useEmulator({ state: { now: () => NOW } });
const UNKNOWN = 'interrupted: outcome unknown, check with token list';

function expiredTokens(n: number): string[] {
  return Array.from(
    { length: n },
    (_, i) =>
      emu.state.issueToken(emu.state.defaultOrg.id, ['RO User'], {
        description: `old ${i}`,
        expiresAt: at(-DAY),
        generatedOn: at(-(10 + i) * DAY),
      }).token,
  );
}

describe('Ctrl-C while a revoke gets no answer', () => {
  it.each([
    ['token', 'prune', '--expired', '--yes', '--json', '--concurrency', '1'],
    ['token', 'delete', 'IDS', '--yes', '--json'],
  ])('%s %s: the unanswered one is outcome unknown, the rest not tried, exit 130', async (...argv) => {
    const tokens = expiredTokens(3);
    const ids = tokens.map(idOf);
    const controller = new AbortController();
    let deletes = 0;
    emu.server.use(
      http.delete('*/v2/tokens/:id', async () => {
        deletes++;
        controller.abort();
        // Never answers in time (longer than the grace).
        await delay(10_000);
        return new HttpResponse(null, { status: 204 });
      }),
    );
    const args = argv.flatMap((a) => (a === 'IDS' ? ids : [a]));
    const started = Date.now();
    const r = await runCli([...args, '--timeout', '60'], { env: envFor(emu), now: NOW, signal: controller.signal });
    expect(Date.now() - started).toBeLessThan(8000);
    expect(r.code).toBe(130);
    expect(deletes).toBe(args.includes('delete') ? 3 : 1);
    const report = JSON.parse(r.stdout) as Array<{ clientId: string; deleted: boolean; reason?: string }>;
    if (args.includes('prune')) {
      // Newest first: old 0 is the newest.
      expect(report).toEqual([
        { clientId: ids[0], deleted: false, reason: UNKNOWN },
        { clientId: ids[1], deleted: false, reason: 'interrupted' },
        { clientId: ids[2], deleted: false, reason: 'interrupted' },
      ]);
      expect(JSON.parse(r.stderr)).toEqual({
        error: {
          code: 'INTERRUPTED',
          message: `interrupted: 2 tokens not revoked (${ids[1]}, ${ids[2]}); 1 token with no answer to the revoke (${ids[0]}), check with 'astra-token token list'`,
        },
      });
    } else {
      expect(report.every((x) => !x.deleted && x.reason === UNKNOWN)).toBe(true);
    }
  });

  it('a revoke answered within the grace counts as done', async () => {
    const [token] = expiredTokens(1);
    const controller = new AbortController();
    emu.server.use(
      http.delete('*/v2/tokens/:id', async () => {
        controller.abort();
        await delay(200);
        emu.state.revokeToken(idOf(token!));
        return new HttpResponse(null, { status: 204 });
      }),
    );
    const r = await runCli(['token', 'prune', '--expired', '--yes', '--json'], { env: envFor(emu), now: NOW, signal: controller.signal });
    expect(JSON.parse(r.stdout)).toEqual([{ clientId: idOf(token!), deleted: true }]);
    expect(r.code).toBe(0);
  });

  it('a retry wait is cut and no retry starts', async () => {
    const [token] = expiredTokens(1);
    const controller = new AbortController();
    let deletes = 0;
    emu.server.use(
      http.delete('*/v2/tokens/:id', () => {
        deletes++;
        controller.abort();
        return new HttpResponse(null, { status: 503, headers: { 'Retry-After': '20' } });
      }),
    );
    const r = await runCli(['token', 'prune', '--expired', '--yes', '--json'], { env: envFor(emu), now: NOW, signal: controller.signal });
    expect(deletes).toBe(1);
    expect(r.code).toBe(130);
    expect(JSON.parse(r.stdout)).toEqual([{ clientId: idOf(token!), deleted: false, reason: 'interrupted' }]);
    expect(emu.state.listTokens(emu.state.defaultOrg.id).some((t) => t.clientId === idOf(token!))).toBe(true);
  });
});

// ---- the built bin, a real SIGINT --------------------------------------------------------------------------------

describe.skipIf(!HAS_BUILD)(`SIGINT to the built bin during prune${HAS_BUILD ? '' : ` (${NO_BUILD_REASON})`}`, () => {
  it('a revoke that never answers: stops within a few seconds (not after the retries), reports it unknown, exit 130', async () => {
    const ids = ['AaaaaaaaaaaaaaaaaaaaaaaA', 'BbbbbbbbbbbbbbbbbbbbbbbB'];
    const api = await startRawTokenApi(ids, () => undefined /* never answers */);
    const { url: apiUrl, seen } = api;
    try {
      const child = spawn(process.execPath, [BIN, 'token', 'prune', '--expired', '--yes', '--concurrency', '1', '--json'], {
        env: childEnv({ ASTRA_DB_APPLICATION_TOKEN: `AstraCS:${'Q'.repeat(24)}:${'ab'.repeat(32)}`, ASTRA_API_URL: apiUrl }),
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
      const done = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
      for (let i = 0; i < 1000 && !seen.some((q) => q.startsWith('DELETE')); i++) await new Promise((r) => setTimeout(r, 10));
      const sent = Date.now();
      child.kill('SIGINT');
      const code = await done;
      expect(Date.now() - sent).toBeLessThan(8000);
      expect(code).toBe(130);
      expect(JSON.parse(stdout)).toEqual([
        { clientId: ids[0], deleted: false, reason: UNKNOWN },
        { clientId: ids[1], deleted: false, reason: 'interrupted' },
      ]);
      expect(JSON.parse(stderr)).toMatchObject({ error: { code: 'INTERRUPTED' } });
      expect(seen.filter((q) => q.startsWith('DELETE'))).toEqual([`DELETE /v2/tokens/${ids[0]}`]);
    } finally {
      await api.close();
    }
  });
});
