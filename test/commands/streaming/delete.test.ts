import { delay, http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { DEMO_CLUSTER } from '../../../src/emulator/state.js';
import {
  demoTenant,
  FLAGS,
  LIST_PATH,
  screen,
  sent,
  STREAMING_URL,
  TARGET,
  WHERE,
  useStreamingEmulator,
} from '../../helpers/fixtures/streaming.js';
import { jsonError } from '../../helpers/typed.js';

const { emu, run } = useStreamingEmulator();

/** The seeded token and two more. */
function threeIds(): [string, string, string] {
  const tenant = demoTenant(emu);
  emu.state.createStreamingToken(tenant, null);
  emu.state.createStreamingToken(tenant, 30 * 86_400);
  return tenant.tokens.map((t) => t.tokenId) as [string, string, string];
}
const remaining = () => demoTenant(emu).tokens.map((t) => t.tokenId);

describe('streaming token delete', () => {
  it('needs --yes without a terminal: exit 2 and nothing touched, not even a request', async () => {
    const [a] = threeIds();
    expect(await run(['streaming', 'token', 'delete', a, ...TARGET])).toEqual({
      code: 2,
      stdout: '',
      stderr: 'error: streaming token delete needs confirmation: pass --yes (no terminal to ask on, or --no-input)\n',
    });
    expect(await run(['streaming', 'token', 'delete', a, ...TARGET, '--no-input'], { tty: true })).toMatchObject({ code: 2 });
    expect(sent(emu)).toEqual([]);
    expect(remaining()).toHaveLength(3);
  });

  it('asks on a TTY and deletes when confirmed', async () => {
    const [a, b, c] = threeIds();
    const res = await run(['streaming', 'token', 'delete', a, ...TARGET], {
      tty: true,
      columns: 200,
      stdin: 'y\n',
      env: { NO_COLOR: '1' },
    });
    expect({ ...res, stderr: screen(res.stderr) }).toEqual({
      code: 0,
      stdout: '',
      stderr: `Delete Pulsar token ${a} of streaming ${WHERE}? Clients using it lose access. [y/N] y\n✓ deleted Pulsar token ${a} from streaming ${WHERE}\n`,
    });
    expect(remaining()).toEqual([b, c]);
    expect(sent(emu)).toEqual(['GET /v2/currentOrg', `GET ${LIST_PATH}`, `DELETE ${LIST_PATH}/${a}`]);
  });

  it('deletes nothing when the answer is no (exit 2)', async () => {
    const [a, b] = threeIds();
    const res = await run(['streaming', 'token', 'delete', a, b, ...TARGET], {
      tty: true,
      columns: 300,
      stdin: 'n\n',
      env: { NO_COLOR: '1' },
    });
    expect({ ...res, stderr: screen(res.stderr) }).toEqual({
      code: 2,
      stdout: '',
      stderr: `Delete Pulsar 2 tokens (${a}, ${b}) of streaming ${WHERE}? Clients using them lose access. [y/N] n\nerror: nothing deleted: not confirmed\n`,
    });
    expect(remaining()).toHaveLength(3);
  });

  it('deletes several with --yes and reports each with --json', async () => {
    const [a, b, c] = threeIds();
    const res = await run(['streaming', 'token', 'delete', a, c, a, ...TARGET, '--yes', '--json']);
    expect(res.code).toBe(0);
    expect(JSON.parse(res.stdout)).toEqual([
      { tokenId: a, deleted: true },
      { tokenId: c, deleted: true },
    ]);
    expect(res.stderr).toBe(`deleted Pulsar token ${a} from streaming ${WHERE}\ndeleted Pulsar token ${c} from streaming ${WHERE}\n`);
    expect(remaining()).toEqual([b]);
  });

  it('prints nothing on stdout without --json, and nothing at all with -q', async () => {
    const [a] = threeIds();
    expect(await run(['streaming', 'token', 'delete', a, ...TARGET, '--yes', '-q'])).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  it('deletes nothing when one id is unknown, naming it (exit 5)', async () => {
    const [a] = threeIds();
    expect(await run(['streaming', 'token', 'delete', a, 'nope', 'gone', ...TARGET, '--yes'])).toEqual({
      code: 5,
      stdout: '',
      stderr: `error: no token 'nope', 'gone' in streaming ${WHERE}; 'astra-token streaming token list ${FLAGS}' shows the token ids\n`,
    });
    expect(remaining()).toHaveLength(3);
    expect(sent(emu)).toEqual(['GET /v2/currentOrg', `GET ${LIST_PATH}`]);
  });

  it('names the tenant when it is not found (exit 5)', async () => {
    const res = await run(['streaming', 'token', 'delete', 'x', '--tenant', 'nope', '--cluster', DEMO_CLUSTER, '--yes', '--json']);
    expect(res.code).toBe(5);
    expect(res.stdout).toBe('');
    expect(jsonError(res.stderr)).toMatchObject({
      code: 'NOT_FOUND',
      message: `no streaming tenant 'nope' on cluster ${DEMO_CLUSTER} in org ${emu.state.defaultOrg.id}`,
    });
  });

  it('reports a partial failure per token and exits 8', async () => {
    const [a, b, c] = threeIds();
    emu.state.injectFault({ method: 'DELETE', path: `${LIST_PATH}/${b}`, status: 403, body: '{"reason":"not yours"}' });
    const res = await run(['streaming', 'token', 'delete', a, b, ...TARGET, '--yes', '--json']);
    const reason = `not yours (HTTP 403 from DELETE ${LIST_PATH}/${b})`;
    expect(res.code).toBe(8);
    expect(JSON.parse(res.stdout)).toEqual([
      { tokenId: a, deleted: true },
      { tokenId: b, deleted: false, reason },
    ]);
    expect(res.stderr).toBe(
      `deleted Pulsar token ${a} from streaming ${WHERE}\n` +
        `warning: token ${b} not deleted: ${reason}\n` +
        '{"error":{"code":"PARTIAL","message":"deleted 1 of 2 tokens; 1 not deleted (see above)"}}\n',
    );
    expect(remaining()).toEqual([b, c]);
  });

  // The contract's bulk rule: once a delete was tried, stdout holds the per-item report whatever the exit code.
  it('fails with the error of the only token when nothing could be deleted, with the report on stdout', async () => {
    const [a] = threeIds();
    emu.state.injectFault({ method: 'DELETE', path: `${LIST_PATH}/${a}`, status: 404, body: '' });
    expect(await run(['streaming', 'token', 'delete', a, ...TARGET, '--yes', '--json'])).toEqual({
      code: 5,
      stdout: JSON.stringify([{ tokenId: a, deleted: false, reason: `no token '${a}' in streaming ${WHERE}` }], null, 2) + '\n',
      stderr:
        JSON.stringify({
          error: {
            code: 'NOT_FOUND',
            message: `no token '${a}' in streaming ${WHERE}`,
            status: 404,
            hint: `'astra-token streaming token list ${FLAGS}' shows the token ids`,
          },
        }) + '\n',
    });
  });

  // The rule shared with `token delete`: with nothing deleted, only one shared cause is the command's own error.
  it('reports each token and exits 8 when nothing was deleted for different causes', async () => {
    const [a, b] = threeIds();
    emu.state.injectFault({ method: 'DELETE', path: `${LIST_PATH}/${a}`, status: 403, body: '{"reason":"not yours"}' });
    emu.state.injectFault({ method: 'DELETE', path: `${LIST_PATH}/${b}`, status: 404, body: '' });
    const res = await run(['streaming', 'token', 'delete', a, b, ...TARGET, '--yes', '--json']);
    expect(res.code).toBe(8);
    expect(JSON.parse(res.stdout)).toEqual([
      { tokenId: a, deleted: false, reason: `not yours (HTTP 403 from DELETE ${LIST_PATH}/${a})` },
      { tokenId: b, deleted: false, reason: `no token '${b}' in streaming ${WHERE}` },
    ]);
    expect(JSON.parse(res.stderr.trim().split('\n').at(-1)!)).toEqual({
      error: { code: 'PARTIAL', message: 'deleted 0 of 2 tokens; 2 not deleted (see above)' },
    });
  });

  it('exits 130 with the report on Ctrl-C, even when the first delete had failed', async () => {
    const tenant = demoTenant(emu);
    for (let i = 0; i < 5; i++) emu.state.createStreamingToken(tenant, null);
    const ids = tenant.tokens.map((t) => t.tokenId);
    expect(ids).toHaveLength(6);
    const controller = new AbortController();
    const interrupted = new Promise<void>((resolve) => controller.signal.addEventListener('abort', () => resolve()));
    let started = 0;
    emu.server.use(
      http.delete(`${STREAMING_URL}${LIST_PATH}/:id`, async () => {
        started += 1;
        // The first delete is refused at once; the next three hang, past Ctrl-C (which comes with the fifth) and past
        // the grace a request on the wire gets after it.
        if (started === 1) return HttpResponse.json({ reason: 'not yours' }, { status: 403 });
        if (started === 5) controller.abort();
        await interrupted.then(() => delay(10_000));
        return new HttpResponse(null, { status: 200 });
      }),
    );
    const res = await run(['streaming', 'token', 'delete', ...ids, ...TARGET, '--yes', '--json'], { signal: controller.signal });
    expect(res.code).toBe(130);
    const report = JSON.parse(res.stdout) as Array<{ tokenId: string; deleted: boolean; reason?: string }>;
    expect(report.map((r) => r.tokenId)).toEqual(ids);
    expect(report.every((r) => !r.deleted)).toBe(true);
    // The deletes still on the wire at Ctrl-C got no answer: their outcome is unknown, not a failure.
    const unknown = 'interrupted: outcome unknown, check with streaming token list';
    expect(report.slice(1, 5).map((r) => r.reason)).toEqual([unknown, unknown, unknown, unknown]);
    expect(report[5]).toEqual({ tokenId: ids[5], deleted: false, reason: 'interrupted before it was deleted' });
    expect(JSON.parse(res.stderr.trim().split('\n').at(-1)!)).toEqual({
      error: {
        code: 'INTERRUPTED',
        message: `interrupted: 1 of 6 tokens not deleted; 4 of 6 tokens with no answer to the delete, check with 'astra-token streaming token list ${FLAGS}' (see above)`,
      },
    });
    expect(remaining()).toHaveLength(6);
  });
});
