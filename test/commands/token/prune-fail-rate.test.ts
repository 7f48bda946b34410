// Prune at scale against an unreliable API: 300 tokens, a fifth of all requests answered 503/429 with Retry-After
// (runCli's sleep is a no-op, so waiting costs no time), and 20 ms latency per request.
import { describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';
import { useEmulator } from '../../helpers/emulator.js';
import { DAY, NOW, at, clientIdOf, envFor } from '../../helpers/fixtures/token.js';

/** mulberry32: a small seeded PRNG, so the failures fall the same way on every run. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const emu = useEmulator({ state: { now: () => NOW }, handlers: { failRate: 0.2, latencyMs: 20, random: seeded(20260301) } });

describe('token prune with --fail-rate 0.2 and 20 ms latency', () => {
  it('300 tokens: every matching token ends revoked or reported, none other is touched, and the run finishes', async () => {
    const org = emu.state.defaultOrg.id;
    const matching: string[] = [];
    const others: string[] = [];
    for (let i = 0; i < 300; i++) {
      const expired = i % 3 !== 0;
      const ci = i % 5 !== 0;
      const id = clientIdOf(
        emu.state.issueToken(org, ['RO User'], {
          description: ci ? `ci-run-${i}` : `service ${i}`,
          expiresAt: expired ? at(-(i + 1) * 60_000) : at(30 * DAY),
          generatedOn: at(-40 * DAY),
        }).token,
      );
      (expired && ci ? matching : others).push(id);
    }
    // Six of them fail on every attempt the transport makes, on top of the random failures.
    const doomed = matching.slice(10, 16);
    for (const id of doomed) emu.state.injectFault({ method: 'DELETE', path: `/v2/tokens/${id}`, status: 503, retryAfter: 1, times: 4 });
    const r = await runCli(['token', 'prune', '--expired', '--description', 'ci-*', '--yes', '--json', '--concurrency', '16'], {
      env: envFor(emu),
      now: NOW,
    });
    expect([0, 8]).toContain(r.code);
    const report = JSON.parse(r.stdout) as Array<{ clientId: string; deleted: boolean; reason?: string }>;
    expect(report.map((x) => x.clientId).sort()).toEqual([...matching].sort());
    for (const x of report) {
      if (x.deleted) expect(emu.state.findToken(x.clientId), x.clientId).toBeUndefined();
      else expect(x.reason, x.clientId).toMatch(/HTTP (503|429)/);
    }
    const failed = report.filter((x) => !x.deleted).map((x) => x.clientId);
    expect(failed).toEqual(expect.arrayContaining(doomed));
    expect(r.code).toBe(8);
    expect(JSON.parse(r.stderr)).toMatchObject({
      error: {
        code: 'PARTIAL',
        message: `revoked ${matching.length - failed.length} of ${matching.length} tokens; failed: ${failed.length} (listed above)`,
      },
    });
    for (const id of others) expect(emu.state.findToken(id), id).toBeDefined();
    // Retries happened: more DELETE attempts than tokens.
    const attempts = emu.state.requests.filter((q) => q.method === 'DELETE');
    expect(attempts.length).toBeGreaterThan(matching.length);
    // Every DELETE went to a matching token.
    expect(new Set(attempts.map((q) => q.path.split('/').at(-1)))).toEqual(new Set(matching));
  });

  it('the failures a run leaves are revoked by running it again', async () => {
    const org = emu.state.defaultOrg.id;
    for (let i = 0; i < 60; i++) emu.state.issueToken(org, ['RO User'], { expiresAt: at(-DAY), generatedOn: at(-2 * DAY) });
    let code = 8;
    for (let run = 0; run < 5 && code !== 0; run++) {
      code = (await runCli(['token', 'prune', '--expired', '--yes', '-q'], { env: envFor(emu), now: NOW })).code;
      expect([0, 8]).toContain(code);
    }
    expect(code).toBe(0);
    expect(emu.state.listTokens(org).filter((t) => emu.state.isExpired(t))).toEqual([]);
  });
});
